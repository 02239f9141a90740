`default_nettype none
// One MAC slice of the sparse DSP chain (docs/kernels/sparse_llm.md §5.1), a DSP48E2 model:
// p_o = p_i + a_i * b_i, registered (PREG). a_i is the 27-bit A/AD path (the weight, or the packed
// INT4 pair formed by the pre-adder), b_i the 18-bit B path (the activation), p_i the 48-bit PCIN
// cascade input from the previous slice (0 at a reduction point). The result register needs no
// reset: the chain aligns every valid item with its own partial sums, and the top ignores the
// slices' output in cycles that carry no item.
// Yosys 0.23 (synth_xilinx -family xcup) maps a_i * b_i to one DSP48E2 but leaves the adder and
// the P register in the fabric, so it packs no PCOUT -> PCIN cascade; with -family xc7 the
// whole slice goes into one DSP48E1.
module sparse_llm_slice (
  input  logic        clk_i,
  input  logic [26:0] a_i,  // signed
  input  logic [17:0] b_i,  // signed
  input  logic [47:0] p_i,  // signed (PCIN)
  output logic [47:0] p_o   // signed (P / PCOUT)
);

  logic signed [26:0] a;
  logic signed [17:0] b;
  logic signed [44:0] product;
  logic        [47:0] p_d, p_q;

  assign a       = a_i;
  assign b       = b_i;
  assign product = a * b;
  assign p_d     = p_i + {{3{product[44]}}, product};

  always_ff @(posedge clk_i) begin
    p_q <= p_d;
  end

  assign p_o = p_q;

endmodule
`default_nettype wire
