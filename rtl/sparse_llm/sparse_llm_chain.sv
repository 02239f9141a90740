`default_nettype none
// One chain of the sparse DSP-chain engine (docs/kernels/sparse_llm.md §5): Slices MAC slices
// (sparse_llm_slice) in one PCOUT -> PCIN cascade, cut at the reduction points, with the M:1
// sparse activation multiplexer of every slot and the INT4 packed mode's 18-bit split.
//
// Per item (one w beat applied to one activation vector), all inputs in one cycle c:
//   lane_i   the chain's w lane without its scale field: slot s value at [8 s +: 8], slot s index
//            at [128 + 4 s +: 4]
//   block_i  per slot s, at [128 s +: 128]: the 16 activations (INT8, activation i at [8 i +: 8])
//            of the activation word that holds slot s's block, already 0 where the slot must
//            not depend on the buffer (padding blocks, slots >= S N)
//   sub_i    per slot s, at [4 s +: 4]: where the block starts in that word (0 for M = 16; 0, 4,
//            8 or 12 for M = 4)
// Sparse mux: slot s multiplies activation sub + index of its word (dense: activation s; the
// index fields are ignored). Static per run: dense_i (N = M), packed_i (dense INT4: the slot
// value holds two weights, a = w_hi 2^18 + w_lo, the pre-adder), int4_i (INT4: the low nibble,
// sign-extended), cut_i (bit s: slice s starts a sub-chain, so it takes p_i = 0; bit 0 unused).
//
// Timing: the slot operands (value and activation) are registered (the DSP48E2 A/B registers) in
// cycle c, then slot s's pair is delayed s more cycles (the systolic skew of a cascade) so that
// slice s adds its product to slice s-1's partial sum of the same item; slice L-1's result is
// registered in cycle c + L. The reduction points: sub-chain j's first slice takes p_i = 0, and
// a reduction register beside each slice carries the sum of the completed sub-chains of the same
// item (sub-chain order j = 0, 1, ...: at the first slice of sub-chain j it adds sub-chain j-1's
// result, the previous slice's P). In cycle c + L + 1 the beat sum (the reduction register plus
// the last slice's P, i.e. sum_j sum_i prod(j N + i)) is split and registered:
//   not packed: lo_o = the beat sum (|sum| <= 16 * 2^14), hi_o unused;
//   packed:     lo_o = signext(P[17:0]), hi_o = (P >>> 18) + P[17] (spec §5.3), P the beat sum.
// lo_o / hi_o of the item presented in cycle c are valid in cycle c + Latency, Latency = Slices + 2.
// No reset: every register is data, aligned with its item; the top tracks which cycles carry one.
module sparse_llm_chain #(
  parameter int Slices = 16
) (
  input  logic                  clk_i,
  input  logic                  dense_i,
  input  logic                  packed_i,
  input  logic                  int4_i,
  input  logic [Slices-1:0]     cut_i,
  input  logic [Slices*12-1:0]  lane_i,   // values [8 s +: 8], then indices [8 Slices + 4 s +: 4]
  input  logic [Slices*128-1:0] block_i,
  input  logic [Slices*4-1:0]   sub_i,
  output logic [31:0]           lo_o,
  output logic [31:0]           hi_o
);

  if (Slices < 2 || Slices > 16) begin : gen_bad_params
    sparse_llm_chain_error_slices_must_be_2_to_16 u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Sparse multiplexers and the operand registers (A/B): slot s's {value, activation}
  // ---------------------------------------------------------------------------------------
  logic [Slices*16-1:0] operand_d, operand_q;

  for (genvar s = 0; s < Slices; s++) begin : gen_mux
    logic [3:0] index, select;
    logic [7:0] activation;
    assign index  = lane_i[8*Slices + 4*s +: 4];
    assign select = dense_i ? 4'(s) : sub_i[4*s +: 4] + index;

    hlskit_mux_tree #(
      .NumInputs(16),
      .Width    (8)
    ) u_mux (
      .in_i (block_i[128*s +: 128]),
      .sel_i(select),
      .out_o(activation)
    );

    assign operand_d[16*s +: 16] = {lane_i[8*s +: 8], activation};
  end

  always_ff @(posedge clk_i) begin
    operand_q <= operand_d;
  end

  // ---------------------------------------------------------------------------------------
  // Skew, slices, reduction registers
  // ---------------------------------------------------------------------------------------
  logic [Slices*48-1:0] p;          // slice s's P at [48 s +: 48]
  logic [Slices*32-1:0] reduction;  // completed sub-chains' sum beside slice s (s >= 1)

  for (genvar s = 0; s < Slices; s++) begin : gen_slice
    logic [15:0] operand;  // {value, activation}, delayed s cycles
    if (s == 0) begin : gen_no_skew
      assign operand = operand_q[15:0];
    end else if (s == 1) begin : gen_skew_one
      logic [15:0] skew_q;
      always_ff @(posedge clk_i) begin
        skew_q <= operand_q[16*s +: 16];
      end
      assign operand = skew_q;
    end else begin : gen_skew
      logic [16*s-1:0] skew_q;  // oldest at the top
      always_ff @(posedge clk_i) begin
        skew_q <= {skew_q[16*(s-1)-1:0], operand_q[16*s +: 16]};
      end
      assign operand = skew_q[16*s-1 -: 16];
    end

    logic [7:0]  value, activation;
    logic [26:0] a;
    logic [17:0] b;
    logic [47:0] p_in;
    assign value      = operand[15:8];
    assign activation = operand[7:0];
    // The pre-adder: the packed pair w_hi 2^18 + w_lo, or one sign-extended weight.
    assign a = packed_i ? {{5{value[7]}}, value[7:4], 18'b0} + {{23{value[3]}}, value[3:0]}
             : int4_i   ? {{23{value[3]}}, value[3:0]}
             :            {{19{value[7]}}, value};
    assign b = {{10{activation[7]}}, activation};

    if (s == 0) begin : gen_first
      assign p_in = '0;
      assign reduction[31:0] = '0;
    end else begin : gen_next
      assign p_in = cut_i[s] ? 48'b0 : p[48*(s-1) +: 48];
      logic [31:0] reduction_q;
      always_ff @(posedge clk_i) begin
        reduction_q <= cut_i[s] ? reduction[32*(s-1) +: 32] + p[48*(s-1) +: 32]
                                : reduction[32*(s-1) +: 32];
      end
      assign reduction[32*s +: 32] = reduction_q;
    end

    sparse_llm_slice u_slice (
      .clk_i(clk_i),
      .a_i  (a),
      .b_i  (b),
      .p_i  (p_in),
      .p_o  (p[48*s +: 48])
    );
  end

  // ---------------------------------------------------------------------------------------
  // Beat sum and the packed split
  // ---------------------------------------------------------------------------------------
  logic [47:0] sum;
  logic [31:0] lo_q, hi_q;
  logic [31:0] reduction_last;
  assign reduction_last = reduction[32*(Slices-1) +: 32];
  assign sum = p[48*(Slices-1) +: 48] + {{16{reduction_last[31]}}, reduction_last};

  always_ff @(posedge clk_i) begin
    lo_q <= packed_i ? {{14{sum[17]}}, sum[17:0]} : sum[31:0];
    hi_q <= {{2{sum[47]}}, sum[47:18]} + {31'b0, sum[17]};
  end

  assign lo_o = lo_q;
  assign hi_o = hi_q;

  // Slice 0 starts the chain whatever the cut says.
  logic unused_cut;
  assign unused_cut = cut_i[0];

endmodule
`default_nettype wire
