`default_nettype none
// hlskit_requantize_ice40: place-and-route chip top of hlskit_requantize (32 -> 16 bits, round half up, saturate) (bench/pnr, docs/EXPORT.md "iCE40"): the block
// behind hlskit_block_harness, which drives its inputs from a register of LFSR bits and folds its
// outputs into a signature on sig_o; the pins of the kernels' chip tops (the export's PCF).
module hlskit_requantize_ice40 #(
  parameter int SigWidth = 8
) (
  input  logic                ap_clk,
  input  logic                ap_rst_n,
  output logic [SigWidth-1:0] sig_o
);

  logic unused_rst_n;
  logic [31:0] stim;
  logic [15:0] resp;

  hlskit_block_harness #(.StimWidth(32), .RespWidth(16), .SigWidth(SigWidth)) u_harness (
    .clk_i (ap_clk),
    .rst_ni(ap_rst_n),
    .sig_o (sig_o),
    .rst_no(unused_rst_n),  // a combinational block, or a RAM without reset
    .stim_o(stim),
    .resp_i(resp)
  );

  hlskit_requantize #(.InWidth(32), .InFrac(20), .OutWidth(16), .OutFrac(8), .QMode(0), .OMode(0)) u_requantize (
    .in_i (stim),
    .out_o(resp)
  );

endmodule
`default_nettype wire
