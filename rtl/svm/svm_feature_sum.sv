`default_nettype none
// The feature sum of one support vector, Lanes features per beat (hlskit::svm::feature_sum):
//   rbf: sum (x_j - sv_j)^2        linear, polynomial: sum x_j * sv_j
// Exact at every width (|term| < 2^32, SumWidth = 33 + log2(MaxFeatures) bits), so the pairwise
// adder tree and the accumulation over beats give the C++ loop's bits in any order.
//
// Pipeline, II = 1, no stall: a beat in cycle c -> terms_q (one multiplier per lane: (x - sv)^2
// or x * sv, masked lanes 0) -> adder tree + accumulator. The sum of a support vector whose last
// beat came in cycle c is on sum_o with valid_o in cycle c + 2.
module svm_feature_sum #(
  parameter int MaxFeatures = 64,
  parameter int Lanes       = 8,
  // Derived; not to be overridden.
  parameter int SumWidth    = 33 + ((MaxFeatures > 1) ? $clog2(MaxFeatures) : 0)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,   // synchronous, active low
  input  logic                  valid_i,  // one beat of one support vector
  input  logic                  first_i,  // its first beat
  input  logic                  last_i,   // its last beat
  input  logic                  rbf_i,    // squared distance (else product)
  input  logic [Lanes-1:0]      mask_i,   // lanes holding a feature < features
  input  logic [Lanes*16-1:0]   x_i,      // lane l at [l*16 +: 16], signed
  input  logic [Lanes*16-1:0]   sv_i,
  output logic                  valid_o,
  output logic [SumWidth-1:0]   sum_o     // signed
);

  localparam int TermWidth = 33;  // (x - sv)^2 <= 65535^2 < 2^32; x * sv in [-2^30, 2^30]
  localparam int TreeWidth = TermWidth + ((Lanes > 1) ? $clog2(Lanes) : 0);

  // ---------------------------------------------------------------------------------------
  // Stage 1: one signed 17 x 17 multiplier per lane (operands muxed by the kernel kind).
  // ---------------------------------------------------------------------------------------
  logic [Lanes*TermWidth-1:0] terms_q;
  logic                       s1_valid_q, s1_first_q, s1_last_q;

  for (genvar l = 0; l < Lanes; l++) begin : gen_lane
    logic signed [16:0] x, sv, diff, a, b;
    logic signed [33:0] product;
    assign x       = {x_i[l*16 + 15], x_i[l*16 +: 16]};
    assign sv      = {sv_i[l*16 + 15], sv_i[l*16 +: 16]};
    assign diff    = x - sv;
    assign a       = rbf_i ? diff : x;
    assign b       = rbf_i ? diff : sv;
    assign product = a * b;  // sign-extended to 34 bits first
    always_ff @(posedge clk_i) begin
      terms_q[l*TermWidth +: TermWidth] <= mask_i[l] ? product[TermWidth-1:0] : '0;
    end
    // |product| < 2^32: the top bit repeats the sign.
    logic unused_product_msb;
    assign unused_product_msb = product[33];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= valid_i;
    end
  end

  always_ff @(posedge clk_i) begin
    s1_first_q <= first_i;
    s1_last_q  <= last_i;
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: pairwise adder tree over the lanes (hlskit_adder_tree, exact at TreeWidth bits),
  // then the accumulator over the beats.
  // ---------------------------------------------------------------------------------------
  logic [TreeWidth-1:0] tree;

  hlskit_adder_tree #(
    .NumTerms(Lanes),
    .InWidth (TermWidth),
    .OutWidth(TreeWidth)
  ) u_tree (
    .terms_i(terms_q),
    .sum_o  (tree)
  );

  logic [SumWidth-1:0]        acc_q, acc_d;
  logic signed [SumWidth-1:0] beat_sum;
  logic                       sum_valid_q;
  assign beat_sum = SumWidth'($signed(tree));
  assign acc_d    = (s1_first_q ? '0 : acc_q) + beat_sum;

  always_ff @(posedge clk_i) begin
    if (s1_valid_q) begin
      acc_q <= acc_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sum_valid_q <= 1'b0;
    end else begin
      sum_valid_q <= s1_valid_q & s1_last_q;
    end
  end

  assign valid_o = sum_valid_q;
  assign sum_o   = acc_q;

endmodule
`default_nettype wire
