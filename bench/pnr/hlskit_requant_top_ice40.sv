`default_nettype none
// hlskit_requant_top_ice40: place-and-route chip top of hlskit_requant_top (the kernel shell and
// a 12 -> 8 bit requantizer; bench/pnr, docs/EXPORT.md "iCE40"): the top behind hlskit_axi_harness,
// as the exported kernels' chip tops (the same pins).
module hlskit_requant_top_ice40 #(
  parameter int SigWidth = 8
) (
  input  logic                ap_clk,
  input  logic                ap_rst_n,
  output logic [SigWidth-1:0] sig_o
);

  localparam int InBits  = 16;   // ((InWidth + 7) / 8) * 8 at the default InWidth 12
  localparam int OutBits = 224;  // ((28 * OutWidth + 7) / 8) * 8 at the default OutWidth 8

  logic               rst_n;
  logic               awvalid, awready, wvalid, wready, arvalid, arready, rvalid, rready;
  logic               bvalid, bready, irq;
  logic [5:0]         awaddr, araddr;
  logic [31:0]        wdata, rdata;
  logic [3:0]         wstrb;
  logic [1:0]         rresp, bresp;
  logic [InBits-1:0]  in_tdata;
  logic               in_tvalid, in_tready, in_tlast;
  logic [OutBits-1:0] out_tdata;
  logic               out_tvalid, out_tready, out_tlast;

  hlskit_axi_harness #(.AddrWidth(6), .InWidth(InBits), .OutWidth(OutBits), .SigWidth(SigWidth)) u_harness (
    .clk_i       (ap_clk),
    .rst_ni      (ap_rst_n),
    .sig_o       (sig_o),
    .ap_rst_no   (rst_n),
    .awvalid_o   (awvalid),
    .awready_i   (awready),
    .awaddr_o    (awaddr),
    .wvalid_o    (wvalid),
    .wready_i    (wready),
    .wdata_o     (wdata),
    .wstrb_o     (wstrb),
    .arvalid_o   (arvalid),
    .arready_i   (arready),
    .araddr_o    (araddr),
    .rvalid_i    (rvalid),
    .rready_o    (rready),
    .rdata_i     (rdata),
    .rresp_i     (rresp),
    .bvalid_i    (bvalid),
    .bready_o    (bready),
    .bresp_i     (bresp),
    .irq_i       (irq),
    .in_tdata_o  (in_tdata),
    .in_tvalid_o (in_tvalid),
    .in_tready_i (in_tready),
    .in_tlast_o  (in_tlast),
    .out_tdata_i (out_tdata),
    .out_tvalid_i(out_tvalid),
    .out_tready_o(out_tready),
    .out_tlast_i (out_tlast)
  );

  hlskit_requant_top u_top (
    .ap_clk               (ap_clk),
    .ap_rst_n             (rst_n),
    .s_axi_control_AWVALID(awvalid),
    .s_axi_control_AWREADY(awready),
    .s_axi_control_AWADDR (awaddr),
    .s_axi_control_WVALID (wvalid),
    .s_axi_control_WREADY (wready),
    .s_axi_control_WDATA  (wdata),
    .s_axi_control_WSTRB  (wstrb),
    .s_axi_control_ARVALID(arvalid),
    .s_axi_control_ARREADY(arready),
    .s_axi_control_ARADDR (araddr),
    .s_axi_control_RVALID (rvalid),
    .s_axi_control_RREADY (rready),
    .s_axi_control_RDATA  (rdata),
    .s_axi_control_RRESP  (rresp),
    .s_axi_control_BVALID (bvalid),
    .s_axi_control_BREADY (bready),
    .s_axi_control_BRESP  (bresp),
    .interrupt            (irq),
    .in_r_TDATA           (in_tdata),
    .in_r_TVALID          (in_tvalid),
    .in_r_TREADY          (in_tready),
    .in_r_TLAST           (in_tlast),
    .out_r_TDATA          (out_tdata),
    .out_r_TVALID         (out_tvalid),
    .out_r_TREADY         (out_tready),
    .out_r_TLAST          (out_tlast)
  );

endmodule
`default_nettype wire
