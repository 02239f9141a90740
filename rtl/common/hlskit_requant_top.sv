`default_nettype none
// Test kernel for hlskit_requantize, shaped like a Vitis HLS kernel (vendor port names) so the
// cosim harness can drive it through ports only: ap_ctrl_hs over AXI4-Lite, one AXI4-Stream
// in, one out. Each input code (InWidth bits, frac InFrac) is converted to the output format
// in all 28 mode pairs; result k = q*4 + o (q = QMode 0..6, o = OMode 0..3) sits at
// out_r_TDATA[k*OutWidth +: OutWidth], padding bits are zero.
//
// Registers (hlskit_kernel_shell): ap_ctrl_hs at 0x00..0x0C, 0x10 = count (samples per run).
// Run: after ap_start the kernel takes `count` input beats and emits `count` output beats in
// order, TLAST on the last output of the run. Input TLAST is ignored. ap_ready pulses when
// the last input is accepted, ap_done when the last output is accepted, ap_idle is high when
// no run is active (no input pending and the output pipeline empty). With auto_restart the
// next run starts the cycle after ap_ready and overlaps the previous run's drain.
// count = 0: the run takes no beats; once the output pipeline has drained, ap_ready and
// ap_done pulse together in the cycle the start is accepted.
// Timing: II = 1; an input accepted at clock edge t is valid on out_r at edge t+1 (1 cycle).
// in_r_TREADY and out_r_TVALID come from registers only (skid buffer on the input side, so
// out_r_TREADY never reaches in_r_TREADY combinationally).
module hlskit_requant_top #(
  parameter int InWidth   = 12,
  parameter int InFrac    = 6,
  parameter int InSigned  = 1,
  parameter int OutWidth  = 8,
  parameter int OutFrac   = 3,
  parameter int OutSigned = 1
) (
  input  logic                                       ap_clk,
  input  logic                                       ap_rst_n,  // synchronous, active low

  input  logic                                       s_axi_control_AWVALID,
  output logic                                       s_axi_control_AWREADY,
  input  logic [5:0]                                 s_axi_control_AWADDR,
  input  logic                                       s_axi_control_WVALID,
  output logic                                       s_axi_control_WREADY,
  input  logic [31:0]                                s_axi_control_WDATA,
  input  logic [3:0]                                 s_axi_control_WSTRB,
  input  logic                                       s_axi_control_ARVALID,
  output logic                                       s_axi_control_ARREADY,
  input  logic [5:0]                                 s_axi_control_ARADDR,
  output logic                                       s_axi_control_RVALID,
  input  logic                                       s_axi_control_RREADY,
  output logic [31:0]                                s_axi_control_RDATA,
  output logic [1:0]                                 s_axi_control_RRESP,
  output logic                                       s_axi_control_BVALID,
  input  logic                                       s_axi_control_BREADY,
  output logic [1:0]                                 s_axi_control_BRESP,
  // The vendor name is also a C++ word: Verilator names this port `__SYM__interrupt` in the
  // generated model class (the SystemVerilog name is unchanged).
  /* verilator lint_off SYMRSVDWORD */
  output logic                                       interrupt,
  /* verilator lint_on SYMRSVDWORD */

  // Code in the low InWidth bits; the padding bits are ignored.
  input  logic [((InWidth + 7) / 8) * 8 - 1:0]       in_r_TDATA,
  input  logic                                       in_r_TVALID,
  output logic                                       in_r_TREADY,
  input  logic                                       in_r_TLAST,

  output logic [((28 * OutWidth + 7) / 8) * 8 - 1:0] out_r_TDATA,
  output logic                                       out_r_TVALID,
  input  logic                                       out_r_TREADY,
  output logic                                       out_r_TLAST
);

  localparam int NumQModes = 7;
  localparam int NumOModes = 4;
  localparam int NumModes  = NumQModes * NumOModes;
  localparam int InBytes   = (InWidth + 7) / 8;
  localparam int ResWidth  = NumModes * OutWidth;
  localparam int OutBytes  = (ResWidth + 7) / 8;
  localparam int PadWidth  = OutBytes * 8 - ResWidth;

  // ---------------------------------------------------------------------------------------
  // Shell: AXI4-Lite, ap_ctrl_hs, count and the run control (no kernel registers)
  // ---------------------------------------------------------------------------------------
  logic                skid_valid_q, skid_last_q;
  logic [InWidth-1:0]  skid_code_q;
  logic                out_valid_q, out_last_q;
  logic [ResWidth-1:0] out_data_q;

  logic               pipe_empty, run_active, in_last;
  logic               in_hs, out_hs, out_load;
  logic [InWidth-1:0] in_code;

  logic        wr_valid, rd_req;
  logic [3:0]  wr_word, rd_word;
  logic [31:0] wr_data, count;
  logic [3:0]  wr_strb;
  logic        run_start, take_ok;

  hlskit_kernel_shell #(
    .AddrWidth(6),
    .NumArgs  (1)
  ) u_shell (
    .clk_i             (ap_clk),
    .rst_ni            (ap_rst_n),
    .s_axi_awaddr_i    (s_axi_control_AWADDR),
    .s_axi_awvalid_i   (s_axi_control_AWVALID),
    .s_axi_awready_o   (s_axi_control_AWREADY),
    .s_axi_wdata_i     (s_axi_control_WDATA),
    .s_axi_wstrb_i     (s_axi_control_WSTRB),
    .s_axi_wvalid_i    (s_axi_control_WVALID),
    .s_axi_wready_o    (s_axi_control_WREADY),
    .s_axi_bresp_o     (s_axi_control_BRESP),
    .s_axi_bvalid_o    (s_axi_control_BVALID),
    .s_axi_bready_i    (s_axi_control_BREADY),
    .s_axi_araddr_i    (s_axi_control_ARADDR),
    .s_axi_arvalid_i   (s_axi_control_ARVALID),
    .s_axi_arready_o   (s_axi_control_ARREADY),
    .s_axi_rdata_o     (s_axi_control_RDATA),
    .s_axi_rresp_o     (s_axi_control_RRESP),
    .s_axi_rvalid_o    (s_axi_control_RVALID),
    .s_axi_rready_i    (s_axi_control_RREADY),
    .interrupt_o       (interrupt),
    .args_o            (count),
    .wr_valid_o        (wr_valid),
    .wr_word_o         (wr_word),
    .wr_data_o         (wr_data),
    .wr_strb_o         (wr_strb),
    .rd_req_o          (rd_req),
    .rd_word_o         (rd_word),
    .rd_valid_i        (rd_req),
    .rd_data_i         (32'h0),
    .run_start_o       (run_start),
    .run_active_o      (run_active),
    .take_ok_o         (take_ok),
    .item_last_o       (in_last),
    .item_taken_i      (in_hs),
    .result_delivered_i(out_hs),
    .result_last_i     (out_last_q),
    .pipe_empty_i      (pipe_empty)
  );

  // No kernel registers; count is the shell's.
  logic unused_shell;
  assign unused_shell = ^{wr_valid, wr_word, wr_data, wr_strb, rd_word, count, run_start, take_ok};

  // Input is taken from the cycle after the run starts (run_active, not take_ok): a run
  // boundary costs one bubble (NOTES.md).
  assign pipe_empty  = ~out_valid_q & ~skid_valid_q;
  assign in_code     = in_r_TDATA[InWidth-1:0];
  assign in_r_TREADY = run_active & ~skid_valid_q;
  assign in_hs       = in_r_TVALID & in_r_TREADY;
  assign out_hs      = out_valid_q & out_r_TREADY;
  assign out_load    = ~out_valid_q | out_r_TREADY;  // output register free this cycle

  // ---------------------------------------------------------------------------------------
  // Datapath: skid register (raw code) -> requantizers -> output register
  // ---------------------------------------------------------------------------------------
  // The output register takes the skid entry first (it is older), else the input beat. An
  // input accepted while the output is stalled parks in the skid register, which also drops
  // in_r_TREADY for the next cycle.
  logic [InWidth-1:0]  rq_code;
  logic                rq_last;
  logic [ResWidth-1:0] rq_result;

  assign rq_code = skid_valid_q ? skid_code_q : in_code;
  assign rq_last = skid_valid_q ? skid_last_q : in_last;

  for (genvar q = 0; q < NumQModes; q++) begin : gen_qmode
    for (genvar o = 0; o < NumOModes; o++) begin : gen_omode
      hlskit_requantize #(
        .InWidth  (InWidth),
        .InFrac   (InFrac),
        .InSigned (InSigned != 0),
        .OutWidth (OutWidth),
        .OutFrac  (OutFrac),
        .OutSigned(OutSigned != 0),
        .QMode    (q),
        .OMode    (o)
      ) u_requantize (
        .in_i (rq_code),
        .out_o(rq_result[(q * NumOModes + o) * OutWidth +: OutWidth])
      );
    end
  end

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      out_valid_q  <= 1'b0;
      skid_valid_q <= 1'b0;
    end else if (out_load) begin
      out_valid_q  <= skid_valid_q | in_hs;
      skid_valid_q <= 1'b0;
    end else if (in_hs) begin
      skid_valid_q <= 1'b1;
    end
  end

  // Payload registers need no reset.
  always_ff @(posedge ap_clk) begin
    if (out_load && (skid_valid_q || in_hs)) begin
      out_data_q <= rq_result;
      out_last_q <= rq_last;
    end
    if (!out_load && in_hs) begin
      skid_code_q <= in_code;
      skid_last_q <= in_last;
    end
  end

  assign out_r_TVALID = out_valid_q;
  assign out_r_TLAST  = out_last_q;
  if (PadWidth > 0) begin : gen_pad
    assign out_r_TDATA = {{PadWidth{1'b0}}, out_data_q};
  end else begin : gen_no_pad
    assign out_r_TDATA = out_data_q;
  end

  // Input TLAST is ignored (the run length is `count`); so are the TDATA padding bits.
  logic unused_in;
  if (InBytes * 8 > InWidth) begin : gen_unused_pad
    assign unused_in = ^{in_r_TLAST, in_r_TDATA[InBytes*8-1:InWidth]};
  end else begin : gen_no_unused_pad
    assign unused_in = in_r_TLAST;
  end

endmodule
`default_nettype wire
