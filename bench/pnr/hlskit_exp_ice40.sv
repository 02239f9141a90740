`default_nettype none
// hlskit_exp_ice40: place-and-route chip top of hlskit_exp (20 -> 17 bits, the svm's) (bench/pnr, docs/EXPORT.md "iCE40"): the block
// behind hlskit_block_harness, which drives its inputs from a register of LFSR bits and folds its
// outputs into a signature on sig_o; the pins of the kernels' chip tops (the export's PCF).
module hlskit_exp_ice40 #(
  parameter int SigWidth = 8
) (
  input  logic                ap_clk,
  input  logic                ap_rst_n,
  output logic [SigWidth-1:0] sig_o
);

  logic        rst_n, valid_o;
  logic [20:0] stim;
  logic [17:0] resp;
  logic [16:0] y;

  hlskit_block_harness #(.StimWidth(21), .RespWidth(18), .SigWidth(SigWidth)) u_harness (
    .clk_i (ap_clk),
    .rst_ni(ap_rst_n),
    .sig_o (sig_o),
    .rst_no(rst_n),
    .stim_o(stim),
    .resp_i(resp)
  );

  hlskit_exp #(.InWidth(20), .InFrac(14), .OutWidth(17), .OutFrac(16)) u_exp (
    .clk_i  (ap_clk),
    .rst_ni (rst_n),
    .valid_i(stim[20]),
    .x_i    (stim[19:0]),
    .valid_o(valid_o),
    .y_o    (y)
  );

  assign resp = {valid_o, y};

endmodule
`default_nettype wire
