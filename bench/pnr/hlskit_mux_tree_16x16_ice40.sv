`default_nettype none
// hlskit_mux_tree_16x16_ice40: place-and-route chip top of hlskit_mux_tree (16 inputs x 16 bits) (bench/pnr, docs/EXPORT.md "iCE40"): the block
// behind hlskit_block_harness, which drives its inputs from a register of LFSR bits and folds its
// outputs into a signature on sig_o; the pins of the kernels' chip tops (the export's PCF).
module hlskit_mux_tree_16x16_ice40 #(
  parameter int SigWidth = 8
) (
  input  logic                ap_clk,
  input  logic                ap_rst_n,
  output logic [SigWidth-1:0] sig_o
);

  logic unused_rst_n;
  logic [259:0] stim;  // 16 x 16 data, 4 select
  logic [15:0]  resp;

  hlskit_block_harness #(.StimWidth(260), .RespWidth(16), .SigWidth(SigWidth)) u_harness (
    .clk_i (ap_clk),
    .rst_ni(ap_rst_n),
    .sig_o (sig_o),
    .rst_no(unused_rst_n),  // a combinational block, or a RAM without reset
    .stim_o(stim),
    .resp_i(resp)
  );

  hlskit_mux_tree #(.NumInputs(16), .Width(16)) u_mux (
    .in_i (stim[255:0]),
    .sel_i(stim[259:256]),
    .out_o(resp)
  );

endmodule
`default_nettype wire
