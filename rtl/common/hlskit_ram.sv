`default_nettype none
// Simple dual-port RAM: one write port, one read port with a registered output (read latency
// one cycle: the word at raddr_i in cycle c is on rdata_o in cycle c + 1; a read of the address
// being written returns the old word). No reset and no initial contents, so Yosys maps it to
// block RAM (large) or distributed RAM (small). Used by the svm (x buffer, support-vector lanes,
// coefficient rows).
module hlskit_ram #(
  parameter int Width = 16,
  parameter int Depth = 1024,
  // Derived; not to be overridden.
  parameter int AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wdata_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     rdata_o
);

  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we_i) begin
      mem_q[waddr_i] <= wdata_i;
    end
    rdata_q <= mem_q[raddr_i];
  end

  assign rdata_o = rdata_q;

endmodule
`default_nettype wire
