`default_nettype none
// hlskit_ram_16x1024_ice40: place-and-route chip top of hlskit_ram (16 bits x 1024 words) (bench/pnr, docs/EXPORT.md "iCE40"): the block
// behind hlskit_block_harness, which drives its inputs from a register of LFSR bits and folds its
// outputs into a signature on sig_o; the pins of the kernels' chip tops (the export's PCF).
module hlskit_ram_16x1024_ice40 #(
  parameter int SigWidth = 8
) (
  input  logic                ap_clk,
  input  logic                ap_rst_n,
  output logic [SigWidth-1:0] sig_o
);

  logic unused_rst_n;
  logic [36:0] stim;  // we, waddr, wdata, raddr
  logic [15:0] resp;

  hlskit_block_harness #(.StimWidth(37), .RespWidth(16), .SigWidth(SigWidth)) u_harness (
    .clk_i (ap_clk),
    .rst_ni(ap_rst_n),
    .sig_o (sig_o),
    .rst_no(unused_rst_n),  // a combinational block, or a RAM without reset
    .stim_o(stim),
    .resp_i(resp)
  );

  hlskit_ram #(.Width(16), .Depth(1024)) u_ram (
    .clk_i  (ap_clk),
    .we_i   (stim[36]),
    .waddr_i(stim[35:26]),
    .wdata_i(stim[25:10]),
    .raddr_i(stim[9:0]),
    .rdata_o(resp)
  );

endmodule
`default_nettype wire
