`default_nettype none
// Icarus testbench (not synthesizable): hlskit_kernel_shell's kernel read handshake, which no
// kernel top uses yet. A window answers one cycle after the request (a RAM with a registered
// read); reads must return its word ORed with the control registers' (0 there), RVALID one
// cycle later than for a same-cycle answer, and no second read may be accepted meanwhile.
// Prints PASS or FAIL lines; ctest fails on FAIL (rtl/CMakeLists.txt).
module tb_hlskit_kernel_shell;
  logic clk = 1'b0, rst_n = 1'b0;
  always #5 clk = ~clk;

  logic        arvalid = 1'b0, arready, rvalid, rready = 1'b0, irq;
  logic [11:0] araddr = '0;
  logic [31:0] rdata, args, wr_data;
  logic [1:0]  rresp, bresp;
  logic        awready, wready, bvalid, wr_valid, rd_req, rd_valid_q = 1'b0;
  logic [9:0]  rd_word, wr_word;
  logic [3:0]  wr_strb;
  logic [31:0] rd_data_q = '0;
  logic        run_start, run_active, take_ok, item_last;

  hlskit_kernel_shell #(.AddrWidth(12), .NumArgs(1)) dut (
    .clk_i(clk), .rst_ni(rst_n),
    .s_axi_awaddr_i(12'h0), .s_axi_awvalid_i(1'b0), .s_axi_awready_o(awready),
    .s_axi_wdata_i(32'h0), .s_axi_wstrb_i(4'h0), .s_axi_wvalid_i(1'b0), .s_axi_wready_o(wready),
    .s_axi_bresp_o(bresp), .s_axi_bvalid_o(bvalid), .s_axi_bready_i(1'b1),
    .s_axi_araddr_i(araddr), .s_axi_arvalid_i(arvalid), .s_axi_arready_o(arready),
    .s_axi_rdata_o(rdata), .s_axi_rresp_o(rresp), .s_axi_rvalid_o(rvalid), .s_axi_rready_i(rready),
    .interrupt_o(irq), .args_o(args),
    .wr_valid_o(wr_valid), .wr_word_o(wr_word), .wr_data_o(wr_data), .wr_strb_o(wr_strb),
    .rd_req_o(rd_req), .rd_word_o(rd_word), .rd_valid_i(rd_valid_q), .rd_data_i(rd_data_q),
    .run_start_o(run_start), .run_active_o(run_active), .take_ok_o(take_ok), .item_last_o(item_last),
    .item_taken_i(1'b0), .result_delivered_i(1'b0), .result_last_i(1'b0), .pipe_empty_i(1'b1));

  // The window: words 0x40 and up read 3 * word, one cycle after the request.
  always @(posedge clk) begin
    rd_valid_q <= rd_req;
    rd_data_q  <= (rd_req && rd_word >= 10'h40) ? 32'(rd_word) * 3 : 32'h0;
  end

  integer errors = 0;
  integer wait_cycles;
  logic [31:0] value;

  // AR from a falling edge until accepted, then count the cycles to RVALID; RREADY held high.
  task automatic read(input logic [11:0] addr, output logic [31:0] data, output integer cycles);
    @(negedge clk);
    araddr  = addr;
    arvalid = 1'b1;
    rready  = 1'b1;
    while (!arready) @(negedge clk);
    @(negedge clk);
    arvalid = 1'b0;
    cycles  = 1;
    while (!rvalid) begin
      if (arready) begin
        $display("FAIL: ARREADY high while the kernel's answer is pending");
        errors++;
      end
      @(negedge clk);
      cycles++;
    end
    data = rdata;
    @(negedge clk);
    rready = 1'b0;
  endtask

  task automatic expect_read(input logic [11:0] addr, input logic [31:0] want);
    read(addr, value, wait_cycles);
    if (value !== want || wait_cycles != 2) begin
      $display("FAIL: read 0x%03h = 0x%08h after %0d cycles, want 0x%08h after 2", addr, value, wait_cycles, want);
      errors++;
    end
  endtask

  initial begin
    repeat (4) @(posedge clk);
    rst_n = 1'b1;
    expect_read(12'h000, 32'h4);         // control: idle (the kernel answers 0 a cycle later)
    expect_read(12'h100, 32'h40 * 3);    // the window
    expect_read(12'h3FC, 32'hFF * 3);
    expect_read(12'h010, 32'h0);         // count
    expect_read(12'h014, 32'h0);         // unmapped
    if (errors == 0) $display("PASS");
    $finish;
  end

  logic unused;
  assign unused = ^{awready, wready, bvalid, bresp, rresp, irq, args, wr_valid, wr_word, wr_data, wr_strb,
                    run_start, run_active, take_ok, item_last};
endmodule
`default_nettype wire
