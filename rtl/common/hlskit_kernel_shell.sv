`default_nettype none
// The part every kernel top shares (DESIGN.md §6): the AXI4-Lite slave with the ap_ctrl_hs
// register file (hlskit_axil_ctrl), the counted-run control, and the register read mux. A top
// instantiates it, connects its vendor ports (ap_clk, ap_rst_n, s_axi_control_*, interrupt)
// and keeps only its datapath and its parameter windows.
//
// Registers (hlskit_axil_ctrl): 0x00 control, 0x04 GIE, 0x08 IER, 0x0C ISR, 0x10 + 4*i argument
// i < NumArgs; argument 0 (0x10) is `count`, the items per run. Everything else is the kernel's:
//   writes: wr_valid_o pulses once per performed write (any address), with the word address,
//           data and byte strobes; the kernel decodes its own windows.
//   reads:  rd_req_o pulses on the AR handshake with the word address rd_word_o. The kernel
//           answers exactly once, rd_valid_i with rd_data_i: in the same cycle (a register
//           window: tie rd_valid_i to rd_req_o, RVALID follows in the next cycle) or later (a
//           RAM window with a registered read: rd_valid_i one cycle after rd_req_o). rd_data_i
//           must be 0 at addresses that are not the kernel's (control and argument registers
//           included); the shell ORs it into the control registers' word. No further read is
//           accepted before the answer.
//
// Counted run (an item = what the kernel counts: an image, a feature vector of several beats):
//   A run starts (run_start_o) in a cycle where ap_start is set and no run is taking input;
//   a run of count = 0 waits until the datapath is empty (pipe_empty_i) so that its ap_done is
//   not merged with the previous run's. A run with items takes input (run_active_o, a
//   register) from its start until its last item is taken. take_ok_o: an item may be taken in
//   this cycle, which includes the run's start cycle (a run may take its first item in the
//   cycle it starts: with auto_restart, runs follow each other without a bubble). A kernel
//   that does not take an item in the start cycle gates its TREADY with run_active_o instead.
//   The datapath reports item_taken_i (only while take_ok_o); item_last_o says that the item
//   taken in this cycle is its run's last: the datapath carries this flag along with the item
//   (TLAST), and reports its delivery as result_delivered_i & result_last_i (the output beat
//   that ends the run is accepted).
//   ap_ready: the run's last item is taken; ap_done: its last result is delivered; a run of
//   count = 0 raises both together in its start cycle. ap_idle: no run takes input and
//   pipe_empty_i. ap_start is cleared by ap_ready unless auto_restart is set, so a start
//   written while a run is taking input neither starts a second run nor disturbs the first.
// Timing: run_start_o, take_ok_o, item_last_o and the ap_ctrl_hs events are combinational in
// ap_start (a register), the run registers, count and pipe_empty_i; ap_ready / ap_done reach
// the control registers at the next edge. No path from item_taken_i or result_*_i back to
// take_ok_o.
module hlskit_kernel_shell #(
  parameter int AddrWidth = 6,  // AXI4-Lite address bits (the kernel's windows included)
  parameter int NumArgs   = 1   // argument registers at 0x10 + 4*i; argument 0 is `count`
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,  // synchronous, active low

  // AXI4-Lite slave (s_axi_control_*)
  input  logic [AddrWidth-1:0]   s_axi_awaddr_i,
  input  logic                   s_axi_awvalid_i,
  output logic                   s_axi_awready_o,
  input  logic [31:0]            s_axi_wdata_i,
  input  logic [3:0]             s_axi_wstrb_i,
  input  logic                   s_axi_wvalid_i,
  output logic                   s_axi_wready_o,
  output logic [1:0]             s_axi_bresp_o,
  output logic                   s_axi_bvalid_o,
  input  logic                   s_axi_bready_i,
  input  logic [AddrWidth-1:0]   s_axi_araddr_i,
  input  logic                   s_axi_arvalid_i,
  output logic                   s_axi_arready_o,
  output logic [31:0]            s_axi_rdata_o,
  output logic [1:0]             s_axi_rresp_o,
  output logic                   s_axi_rvalid_o,
  input  logic                   s_axi_rready_i,
  output logic                   interrupt_o,

  // Argument registers, i at [i*32 +: 32]; [31:0] is count
  output logic [NumArgs*32-1:0]  args_o,

  // Kernel register windows
  output logic                   wr_valid_o,
  output logic [AddrWidth-3:0]   wr_word_o,
  output logic [31:0]            wr_data_o,
  output logic [3:0]             wr_strb_o,
  output logic                   rd_req_o,
  output logic [AddrWidth-3:0]   rd_word_o,
  input  logic                   rd_valid_i,
  input  logic [31:0]            rd_data_i,

  // Counted run
  output logic                   run_start_o,         // a run starts in this cycle
  output logic                   run_active_o,        // a run is taking input (register)
  output logic                   take_ok_o,           // an item may be taken in this cycle
  output logic                   item_last_o,         // the item taken now is its run's last
  input  logic                   item_taken_i,        // the datapath takes an item
  input  logic                   result_delivered_i,  // an output beat is accepted ...
  input  logic                   result_last_i,       // ... and it ends its run
  input  logic                   pipe_empty_i         // nothing in flight in the datapath
);

  logic        ap_start, ap_done, ap_idle, ap_ready;
  logic [31:0] count;

  hlskit_axil_ctrl #(
    .AddrWidth(AddrWidth),
    .NumArgs  (NumArgs)
  ) u_ctrl (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .s_axi_awaddr_i (s_axi_awaddr_i),
    .s_axi_awvalid_i(s_axi_awvalid_i),
    .s_axi_awready_o(s_axi_awready_o),
    .s_axi_wdata_i  (s_axi_wdata_i),
    .s_axi_wstrb_i  (s_axi_wstrb_i),
    .s_axi_wvalid_i (s_axi_wvalid_i),
    .s_axi_wready_o (s_axi_wready_o),
    .s_axi_bresp_o  (s_axi_bresp_o),
    .s_axi_bvalid_o (s_axi_bvalid_o),
    .s_axi_bready_i (s_axi_bready_i),
    .s_axi_araddr_i (s_axi_araddr_i),
    .s_axi_arvalid_i(s_axi_arvalid_i),
    .s_axi_arready_o(s_axi_arready_o),
    .s_axi_rdata_o  (s_axi_rdata_o),
    .s_axi_rresp_o  (s_axi_rresp_o),
    .s_axi_rvalid_o (s_axi_rvalid_o),
    .s_axi_rready_i (s_axi_rready_i),
    .interrupt_o    (interrupt_o),
    .ap_start_o     (ap_start),
    .ap_done_i      (ap_done),
    .ap_idle_i      (ap_idle),
    .ap_ready_i     (ap_ready),
    .args_o         (args_o),
    .wr_valid_o     (wr_valid_o),
    .wr_word_o      (wr_word_o),
    .wr_data_o      (wr_data_o),
    .wr_strb_o      (wr_strb_o),
    .rd_req_o       (rd_req_o),
    .rd_word_o      (rd_word_o),
    .rd_valid_i     (rd_valid_i),
    .rd_data_i      (rd_data_i)
  );

  assign count = args_o[31:0];

  // ---------------------------------------------------------------------------------------
  // Run control
  // ---------------------------------------------------------------------------------------
  logic        in_busy_q;  // a run is taking input
  logic [31:0] in_left_q;  // items it still takes
  logic        count_zero, run_start, in_last, item_end;
  logic [31:0] in_left;

  assign count_zero = (count == 32'd0);
  assign run_start  = ap_start & ~in_busy_q & (~count_zero | pipe_empty_i);
  assign in_left    = in_busy_q ? in_left_q : count;
  assign in_last    = (in_left == 32'd1);
  assign item_end   = item_taken_i & in_last;

  assign ap_ready = item_end | (run_start & count_zero);
  assign ap_done  = (result_delivered_i & result_last_i) | (run_start & count_zero);
  assign ap_idle  = ~in_busy_q & pipe_empty_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      in_busy_q <= 1'b0;
    end else if (item_end) begin
      in_busy_q <= 1'b0;
    end else if (run_start && !count_zero) begin
      in_busy_q <= 1'b1;
    end
  end

  // Payload register: no reset (read only while a run is busy).
  always_ff @(posedge clk_i) begin
    if (item_taken_i) begin
      in_left_q <= in_left - 32'd1;
    end else if (run_start) begin
      in_left_q <= count;
    end
  end

  assign run_start_o  = run_start;
  assign run_active_o = in_busy_q;
  assign take_ok_o    = in_busy_q | (run_start & ~count_zero);
  assign item_last_o  = in_last;

endmodule
`default_nettype wire
