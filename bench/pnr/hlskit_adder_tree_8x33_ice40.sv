`default_nettype none
// hlskit_adder_tree_8x33_ice40: place-and-route chip top of hlskit_adder_tree (8 terms x 33 bits -> 36 bits) (bench/pnr, docs/EXPORT.md "iCE40"): the block
// behind hlskit_block_harness, which drives its inputs from a register of LFSR bits and folds its
// outputs into a signature on sig_o; the pins of the kernels' chip tops (the export's PCF).
module hlskit_adder_tree_8x33_ice40 #(
  parameter int SigWidth = 8
) (
  input  logic                ap_clk,
  input  logic                ap_rst_n,
  output logic [SigWidth-1:0] sig_o
);

  logic unused_rst_n;
  logic [263:0] stim;
  logic [35:0] resp;

  hlskit_block_harness #(.StimWidth(264), .RespWidth(36), .SigWidth(SigWidth)) u_harness (
    .clk_i (ap_clk),
    .rst_ni(ap_rst_n),
    .sig_o (sig_o),
    .rst_no(unused_rst_n),  // a combinational block, or a RAM without reset
    .stim_o(stim),
    .resp_i(resp)
  );

  hlskit_adder_tree #(.NumTerms(8), .InWidth(33), .OutWidth(36)) u_tree (
    .terms_i(stim),
    .sum_o  (resp)
  );

endmodule
`default_nettype wire
