`default_nettype none
// Self-checking testbench of sparse_llm_top (simulation only; Icarus -g2012 or Verilator
// --binary --timing). Stimulus and expected results come from rtl/tb/sparse_llm_ref.py (the
// spec's reference, docs/kernels/sparse_llm.md): Dir/runs.txt, in.hex, w.hex, out.hex. For each
// run: the shape registers, GIE and IER (done), the run's in_r and w beats offered (with random
// TVALID gaps and out_r TREADY stalls when the run's stall flag is set), the ap_start write, then
// every out_r beat compared (data and TLAST) with the expected one, and TVALID / TDATA checked
// stable under back-pressure. The directory is the parameter Dir or the plusarg +dir=PATH.
//   python3 rtl/tb/sparse_llm_ref.py /tmp/t && iverilog -g2012 -s tb_sparse_llm -o tb.vvp <the
//   kernel's files> rtl/tb/tb_sparse_llm.sv && vvp -n tb.vvp +dir=/tmp/t
//   (or verilator --binary --timing --top-module tb_sparse_llm ...; +verilator+rand+reset+2
//   +verilator+seed+S starts from a random state); rtl/tb/sparse_llm_cycles.py checks the cycles. Cycles are measured as tests/cosim/test_cycle_model does: from the
// edge of the ap_start write's B handshake to the first edge after which `interrupt` is high.
// Prints one line per run ("run i ... cycles N") and PASS or FAIL.
module tb_sparse_llm #(
  parameter int Chains   = 2,
  parameter int Slices   = 16,
  parameter int MaxCols  = 256,
  parameter int MaxRows  = 64,
  parameter int MaxBatch = 4,
  parameter     Dir      = "sparse_llm_tb",
  parameter int MaxBeats = 65536,
  parameter int Seed     = 1
);
  localparam int AddrWidth = 6;
  localparam int WBits     = Chains * 224;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                 awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
  logic [AddrWidth-1:0] awaddr = '0, araddr = '0;
  logic [31:0]          wdata = '0;
  logic                 awready, wready, bvalid, arready, rvalid, irq;
  logic [31:0]          rdata;
  logic [1:0]           rresp, bresp;

  logic [127:0]   in_data = '0;
  logic           in_valid = 1'b0, in_ready;
  logic [WBits-1:0] w_data = '0;
  logic           w_valid = 1'b0, w_ready;
  logic [127:0]   out_data;
  logic           out_valid, out_ready = 1'b0, out_last;

  sparse_llm_top #(
    .Chains  (Chains),
    .Slices  (Slices),
    .MaxCols (MaxCols),
    .MaxRows (MaxRows),
    .MaxBatch(MaxBatch)
  ) dut (
    .ap_clk               (clk),
    .ap_rst_n             (rst_n),
    .s_axi_control_AWVALID(awvalid),
    .s_axi_control_AWREADY(awready),
    .s_axi_control_AWADDR (awaddr),
    .s_axi_control_WVALID (wvalid),
    .s_axi_control_WREADY (wready),
    .s_axi_control_WDATA  (wdata),
    .s_axi_control_WSTRB  (4'hf),
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
    .in_r_TDATA           (in_data),
    .in_r_TVALID          (in_valid),
    .in_r_TREADY          (in_ready),
    .in_r_TLAST           (1'b0),
    .w_TDATA              (w_data),
    .w_TVALID             (w_valid),
    .w_TREADY             (w_ready),
    .w_TLAST              (1'b0),
    .out_r_TDATA          (out_data),
    .out_r_TVALID         (out_valid),
    .out_r_TREADY         (out_ready),
    .out_r_TLAST          (out_last)
  );

  logic [127:0]     in_mem  [MaxBeats];
  logic [WBits-1:0] w_mem   [MaxBeats];
  logic [128:0]     out_mem [MaxBeats];

  integer cyc = 0;          // index of the current edge (read at a posedge: the edge's own index)
  integer errors = 0;
  integer in_ptr = 0, in_lim = 0, w_ptr = 0, w_lim = 0, out_ptr = 0, out_lim = 0;
  logic   stall = 1'b0;
  logic   out_held = 1'b0;  // out_r offered and not taken at the previous edge
  logic [127:0] out_prev = '0;
  // Handshakes and the interrupt, sampled at the edges (before them) by the always block only,
  // so that the result does not depend on the simulator's process order (each counter has this
  // one driver); the tasks wait for the counters to move.
  integer aw_count = 0, w_count = 0, b_count = 0, ar_count = 0, r_count = 0, irq_count = 0;
  logic   irq_prev = 1'b0;
  logic [31:0] r_data = '0;
  integer b_edge = 0, irq_edge = 0;

  // Sample at the edge (values before it), then drive the next cycle's inputs.
  always @(posedge clk) begin
    cyc <= cyc + 1;
    if (rst_n) begin
      if (in_valid && in_ready) in_ptr <= in_ptr + 1;
      if (w_valid && w_ready) w_ptr <= w_ptr + 1;
      if (out_held && (!out_valid || out_data !== out_prev)) begin
        $display("FAIL: out_r TVALID / TDATA changed under back-pressure at edge %0d", cyc);
        errors = errors + 1;
      end
      out_held <= out_valid && !out_ready;
      out_prev <= out_data;
      if (out_valid && out_ready) begin
        if (out_ptr >= out_lim) begin
          $display("FAIL: extra out_r beat at edge %0d", cyc);
          errors = errors + 1;
        end else if ({out_last, out_data} !== out_mem[out_ptr]) begin
          $display("FAIL: out_r beat %0d: got %0b %h expected %h", out_ptr, out_last, out_data, out_mem[out_ptr]);
          errors = errors + 1;
        end
        out_ptr <= out_ptr + 1;
      end
      if (awvalid && awready) aw_count <= aw_count + 1;
      if (wvalid && wready) w_count <= w_count + 1;
      if (bvalid && bready) begin
        b_count <= b_count + 1;
        b_edge  <= cyc;
      end
      if (arvalid && arready) ar_count <= ar_count + 1;
      if (rvalid && rready) begin
        r_count <= r_count + 1;
        r_data  <= rdata;
      end
      // irq rises before this edge: it went high after the previous one
      irq_prev <= irq;
      if (irq && !irq_prev) begin
        irq_count <= irq_count + 1;
        irq_edge  <= cyc - 1;
      end
    end
  end

  // Stream inputs, driven at the falling edge from the state after the rising edge.
  always @(negedge clk) begin
    integer next_in, next_w;
    next_in = in_ptr;
    next_w  = w_ptr;
    // a beat offered and not taken stays offered
    if (!(in_valid && !in_ready_q)) begin
      in_valid = (next_in < in_lim) && (!stall || ($urandom % 4 != 0));
    end
    in_data = (next_in < in_lim) ? in_mem[next_in] : '0;
    if (!(w_valid && !w_ready_q)) begin
      w_valid = (next_w < w_lim) && (!stall || ($urandom % 3 != 0));
    end
    w_data = (next_w < w_lim) ? w_mem[next_w] : '0;
    out_ready = !stall || ($urandom % 3 != 0);
  end

  // The DUT's TREADYs as seen at the last edge (the handshake that edge decided).
  logic in_ready_q = 1'b0, w_ready_q = 1'b0;
  always @(posedge clk) begin
    in_ready_q <= in_ready;
    w_ready_q  <= w_ready;
  end

  task automatic axil_write(input logic [AddrWidth-1:0] addr, input logic [31:0] data);
    integer aw0, w0, b0;
    @(negedge clk);
    aw0     = aw_count;
    w0      = w_count;
    b0      = b_count;
    awaddr  = addr;
    wdata   = data;
    awvalid = 1'b1;
    wvalid  = 1'b1;
    bready  = 1'b1;
    while (b_count == b0) begin
      @(negedge clk);
      awvalid = (aw_count == aw0);
      wvalid  = (w_count == w0);
    end
    bready = 1'b0;
  endtask

  task automatic axil_read(input logic [AddrWidth-1:0] addr, output logic [31:0] data);
    integer ar0, r0;
    @(negedge clk);
    ar0     = ar_count;
    r0      = r_count;
    araddr  = addr;
    arvalid = 1'b1;
    rready  = 1'b1;
    while (r_count == r0) begin
      @(negedge clk);
      arvalid = (ar_count == ar0);
    end
    rready = 1'b0;
    data   = r_data;
  endtask

  integer fd, n_runs, run, count, rows, cols, n, m, precision, shift, stall_flag, n_in, n_w, n_out;
  integer measured, rc, waited, seed, irq0;
  logic [31:0] status;

  string dir;

  initial begin
    if (!$value$plusargs("dir=%s", dir)) dir = Dir;
    $readmemh({dir, "/in.hex"}, in_mem);
    $readmemh({dir, "/w.hex"}, w_mem);
    $readmemh({dir, "/out.hex"}, out_mem);
    fd = $fopen({dir, "/runs.txt"}, "r");
    if (fd == 0) begin
      $display("FAIL: cannot open %s/runs.txt", dir);
      $finish;
    end
    rc = $fscanf(fd, "%d", n_runs);
    seed = Seed;
    rc = $urandom(seed);
    repeat (4) @(posedge clk);
    @(negedge clk);
    rst_n = 1'b1;
    axil_write(6'(hlskit_ap_ctrl_pkg::GieOffset), 32'd1);
    axil_write(6'(hlskit_ap_ctrl_pkg::IerOffset), 32'd1);
    for (run = 0; run < n_runs; run++) begin
      rc = $fscanf(fd, "%d %d %d %d %d %d %d %d %d %d %d", count, rows, cols, n, m, precision, shift,
                   stall_flag, n_in, n_w, n_out);
      axil_write(6'(sparse_llm_regs_pkg::RowsOffset), rows);
      axil_write(6'(sparse_llm_regs_pkg::ColsOffset), cols);
      axil_write(6'(sparse_llm_regs_pkg::SparsityOffset), n);
      axil_write(6'(sparse_llm_regs_pkg::BlockOffset), m);
      axil_write(6'(sparse_llm_regs_pkg::PrecisionOffset), precision);
      axil_write(6'(sparse_llm_regs_pkg::ScaleShiftOffset), shift);
      axil_write(6'(sparse_llm_regs_pkg::CountOffset), count);
      stall   = stall_flag != 0;
      in_lim  = in_ptr + n_in;
      w_lim   = w_ptr + n_w;
      out_lim = out_ptr + n_out;
      repeat (3) @(posedge clk);
      irq0 = irq_count;
      axil_write(6'(hlskit_ap_ctrl_pkg::ApCtrlOffset), 32'd1);
      waited = 0;
      measured = -1;
      while (measured < 0 && waited < 100000) begin
        if (irq_count != irq0) measured = irq_edge - b_edge;
        @(negedge clk);
        waited++;
      end
      if (measured < 0) begin
        $display("FAIL: run %0d: no interrupt (in %0d/%0d w %0d/%0d out %0d/%0d)", run, in_ptr, in_lim,
                 w_ptr, w_lim, out_ptr, out_lim);
        errors = errors + 1;
        $finish;
      end
      if (in_ptr != in_lim || w_ptr != w_lim || out_ptr != out_lim) begin
        $display("FAIL: run %0d: beats in %0d/%0d w %0d/%0d out %0d/%0d at ap_done", run, in_ptr, in_lim,
                 w_ptr, w_lim, out_ptr, out_lim);
        errors = errors + 1;
      end
      $display("run %0d count %0d rows %0d cols %0d N %0d M %0d precision %0d shift %0d stall %0d cycles %0d",
               run, count, rows, cols, n, m, precision, shift, stall_flag, measured);
      $fflush();
      axil_write(6'(hlskit_ap_ctrl_pkg::IsrOffset), 32'd1);
      axil_read(6'(hlskit_ap_ctrl_pkg::ApCtrlOffset), status);
      axil_read(6'(hlskit_ap_ctrl_pkg::ApCtrlOffset), status);
      if (status[hlskit_ap_ctrl_pkg::ApCtrlApIdleBit] !== 1'b1) begin
        $display("FAIL: run %0d: not idle after the run (ctrl %h)", run, status);
        errors = errors + 1;
      end
      repeat (5) @(posedge clk);
    end
    if (errors == 0) $display("PASS");
    else $display("FAIL: %0d errors", errors);
    $finish;
  end

endmodule
`default_nettype wire
