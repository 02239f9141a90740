`default_nettype none
// The one-vs-one decision values (the coefficient loop and the pair loop of
// hlskit::svm::classify): per kernel value K of support vector k, of class c,
//   acc[pair(c, other(m))] += coef[m][k] * K  for the MaxClasses-1 rows m in parallel,
// where other(m) = m (m < c) or m + 1 (m >= c). Seen from pair (i, j), i < j: it takes row j-1
// of the SVs of class i and row i of the SVs of class j, so each accumulator picks one of two
// multipliers by the SV's class. Accumulators and decisions are numbered for MaxClasses
// (libsvm's order for MaxClasses classes; the top maps the model's classes onto them), rho in
// the model's own numbering. All sums are exact (AccWidth = 42 + log2(MaxSV) bits):
// decision = acc - rho has the C++ decision_t's bits.
//
// The SV's class: the SVs are grouped by class, so class(k) = #{c < classes-1 : k >= sv_end[c]},
// sv_end[c] = class_support_vectors[0] + ... + class_support_vectors[c] (empty classes skipped).
//
// Pipeline, II = 1, no stall: K in cycle c (coef[.][k] already read: the coef RAMs are addressed
// with the SV counter's next value) -> products in c + 1 -> accumulators in c + 2. After the last SV
// (k = support_vectors - 1) the accumulators hold the vector (final_o) until take_i moves
// decision = acc - rho and its sign into the result registers; K must not arrive meanwhile.
// clear_i (a vector of a model without support vectors, issued while nothing is in the pipeline)
// sets the accumulators to 0 and makes them final at once: its decisions are -rho.
module svm_pairs #(
  parameter int MaxSupportVectors = 1024,
  parameter int MaxClasses        = 8,
  // Derived; not to be overridden.
  parameter int MaxPairs      = MaxClasses * (MaxClasses - 1) / 2,
  parameter int CountWidth    = $clog2(MaxSupportVectors + 1),
  parameter int ClassWidth    = $clog2(MaxClasses + 1),
  parameter int CoefAddrWidth = (MaxSupportVectors > 1) ? $clog2(MaxSupportVectors) : 1,
  parameter int AccWidth      = 42 + ((MaxSupportVectors > 1) ? $clog2(MaxSupportVectors) : 0),
  parameter int DecWidth      = ((AccWidth > 56) ? AccWidth : 56) + 1
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,  // synchronous, active low
  input  logic [CountWidth-1:0]            support_vectors_i,
  input  logic [ClassWidth-1:0]            classes_i,
  input  logic [MaxClasses*CountWidth-1:0] class_sv_i,
  input  logic [MaxPairs*56-1:0]           rho_i,
  // coefficient RAM write ports (svm_param_bank)
  input  logic [MaxClasses-2:0]            coef_we_i,
  input  logic [CoefAddrWidth-1:0]         coef_waddr_i,
  input  logic [17:0]                      coef_wdata_i,

  input  logic                             clear_i,    // a vector without SVs: acc = 0, final
  input  logic                             k_valid_i,
  input  logic [23:0]                      k_i,        // kernel_t code
  output logic                             final_o,    // the accumulators hold a whole vector
  input  logic                             take_i,     // move it to decision_o / positive_o
  output logic [MaxPairs*DecWidth-1:0]     decision_o, // pair p at [p*DecWidth +: DecWidth]
  output logic [MaxPairs-1:0]              positive_o  // decision > 0: the vote goes to i
);

  localparam int Rows     = MaxClasses - 1;
  localparam int ProdWidth = 42;
  localparam int EndWidth = CountWidth + $clog2(MaxClasses);
  localparam int SvClassWidth = $clog2(MaxClasses);

  // ---------------------------------------------------------------------------------------
  // SV counter and class
  // ---------------------------------------------------------------------------------------
  logic [CoefAddrWidth-1:0] k_q, k_d;
  logic                     k_last;
  logic [SvClassWidth-1:0]  sv_class;

  assign k_last = (CountWidth'(k_q) == support_vectors_i - 1'b1);
  assign k_d    = !k_valid_i ? k_q : k_last ? '0 : k_q + 1'b1;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      k_q <= '0;
    end else begin
      k_q <= k_d;
    end
  end

  logic [EndWidth-1:0] sv_end;  // running sum over the classes
  always_comb begin
    sv_end   = '0;
    sv_class = '0;
    for (int c = 0; c < MaxClasses - 1; c++) begin
      sv_end = sv_end + EndWidth'(class_sv_i[c*CountWidth +: CountWidth]);
      if (ClassWidth'(c) < classes_i - 1'b1 && EndWidth'(k_q) >= sv_end) begin
        sv_class = sv_class + 1'b1;
      end
    end
  end

  // The last class's count only matters through support_vectors.
  logic unused_class_sv;
  assign unused_class_sv = ^class_sv_i[(MaxClasses-1)*CountWidth +: CountWidth];

  // ---------------------------------------------------------------------------------------
  // Stage 1: MaxClasses-1 products coef[m][k] * K
  // ---------------------------------------------------------------------------------------
  logic [Rows*ProdWidth-1:0] prod_q;
  logic [SvClassWidth-1:0]   prod_class_q;
  logic                      prod_valid_q, prod_first_q, prod_last_q;

  for (genvar m = 0; m < Rows; m++) begin : gen_row
    logic [17:0] coef;
    hlskit_ram #(
      .Width(18),
      .Depth(MaxSupportVectors)
    ) u_coef (
      .clk_i  (clk_i),
      .we_i   (coef_we_i[m]),
      .waddr_i(coef_waddr_i),
      .wdata_i(coef_wdata_i),
      .raddr_i(k_d),
      .rdata_o(coef)
    );
    always_ff @(posedge clk_i) begin
      prod_q[m*ProdWidth +: ProdWidth] <= $signed(coef) * $signed(k_i);  // sign-extended first
    end
  end

  always_ff @(posedge clk_i) begin
    prod_class_q <= sv_class;
    prod_first_q <= (k_q == '0);
    prod_last_q  <= k_last;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      prod_valid_q <= 1'b0;
    end else begin
      prod_valid_q <= k_valid_i;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: the pair accumulators; then decision = acc - rho on take_i
  // ---------------------------------------------------------------------------------------
  logic final_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      final_q <= 1'b0;
    end else if (clear_i || (prod_valid_q && prod_last_q)) begin
      final_q <= 1'b1;
    end else if (take_i) begin
      final_q <= 1'b0;
    end
  end
  assign final_o = final_q;

  for (genvar i = 0; i < MaxClasses; i++) begin : gen_i
    for (genvar j = i + 1; j < MaxClasses; j++) begin : gen_j
      localparam int P = i * MaxClasses - i * (i + 1) / 2 + (j - i - 1);
      logic [AccWidth-1:0] acc_q, term;
      logic [AccWidth-1:0] from_i, from_j;  // SVs of class i use row j-1, of class j row i
      logic [DecWidth-1:0] decision, decision_q;
      logic                positive_q;
      logic [55:0]         rho;
      assign from_i = {{(AccWidth - ProdWidth){prod_q[j*ProdWidth - 1]}}, prod_q[(j-1)*ProdWidth +: ProdWidth]};
      assign from_j = {{(AccWidth - ProdWidth){prod_q[(i+1)*ProdWidth - 1]}}, prod_q[i*ProdWidth +: ProdWidth]};
      assign term   = (prod_class_q == SvClassWidth'(i)) ? from_i :
                      (prod_class_q == SvClassWidth'(j)) ? from_j : '0;
      always_ff @(posedge clk_i) begin
        if (clear_i) begin
          acc_q <= '0;
        end else if (prod_valid_q) begin
          acc_q <= (prod_first_q ? '0 : acc_q) + term;
        end
      end
      // rho is indexed in the model's numbering: with n classes, (i, j) is pair
      // i*n - i*(i+1)/2 + (j-i-1), one of MaxClasses - j places (pairs with j >= n are not used).
      logic [MaxClasses*56-1:0] rho_at;  // the pair's rho with n = 1 .. MaxClasses classes, else 0
      for (genvar n = 1; n <= MaxClasses; n++) begin : gen_n
        if (n > j) begin : gen_used
          assign rho_at[(n-1)*56 +: 56] = (classes_i == ClassWidth'(n)) ?
                                          rho_i[(i * n - i * (i + 1) / 2 + (j - i - 1))*56 +: 56] : '0;
        end else begin : gen_unused
          assign rho_at[(n-1)*56 +: 56] = '0;
        end
      end
      always_comb begin
        rho = '0;
        for (int n = 0; n < MaxClasses; n++) begin
          rho = rho | rho_at[n*56 +: 56];
        end
      end
      assign decision = {{(DecWidth - AccWidth){acc_q[AccWidth-1]}}, acc_q} - {{(DecWidth - 56){rho[55]}}, rho};
      always_ff @(posedge clk_i) begin
        if (take_i) begin
          decision_q <= decision;
          positive_q <= ~decision[DecWidth-1] & (|decision);
        end
      end
      assign decision_o[P*DecWidth +: DecWidth] = decision_q;
      assign positive_o[P] = positive_q;
    end
  end

endmodule
`default_nettype wire
