`default_nettype none
// K(x, sv) from a feature sum (hlskit::svm::kernel_value), pipelined, II = 1, no stall:
//   product = sum * gamma                                                        exact
//   r = round_half_up(v * 2^-s), v = -product (rbf) or product, s = product_frac - 14 (rbf,
//       to exp_in_t fixed<20,6>) or product_frac - 16 (to kernel_t fixed<24,8>)
//   rbf:        K = exp(sat20(r))                    (hlskit_exp, ufixed<17,1>, fits kernel_t)
//   linear:     K = sat24(r)
//   polynomial: base = sat24(sat24(r) + coef0), K = base^degree, every product rounded half up
//               and saturated to kernel_t (MaxDegree - 1 multiply stages; a stage d passes its
//               input on unchanged when degree <= d)
// The run-time shift is a barrel shifter: floor(v * 2^(1 - s)), then (+1) >> 1 rounds half up.
// s is clamped to [0, VWidth] (every s >= VWidth gives the same result; s < 0, which the host's
// quantizer never produces, is taken as 0).
//
// Latency: a sum with valid_i in cycle c gives K with valid_o in cycle c + 3 (linear), c + 7 (rbf:
// exp takes 4), c + 3 + MaxDegree (polynomial, whatever the degree).
module svm_kernel #(
  parameter int SumWidth  = 39,
  parameter int MaxDegree = 4,
  parameter     ExpTableFile = "hlskit_exp2_table.mem"
) (
  input  logic                clk_i,
  input  logic                rst_ni,        // synchronous, active low
  input  logic [31:0]         kernel_i,      // 0 linear, 1 polynomial (any other), 2 rbf
  input  logic [15:0]         gamma_i,       // unsigned code
  input  logic [31:0]         product_frac_i,
  input  logic [23:0]         coef0_i,       // kernel_t code
  input  logic [31:0]         degree_i,      // signed
  input  logic                valid_i,
  input  logic [SumWidth-1:0] sum_i,         // signed
  output logic                valid_o,
  output logic [23:0]         k_o            // kernel_t code (16 fraction bits)
);

  localparam int ProductWidth = SumWidth + 17;
  localparam int VWidth       = ProductWidth + 1;    // room for the negation
  localparam int HWidth       = VWidth + 1;          // 2v
  localparam int ShiftWidth   = $clog2(VWidth + 1);
  localparam int ExpInFrac    = 14;
  localparam int KernelFrac   = 16;
  localparam logic signed [HWidth-1:0] One = 1;

  logic rbf, linear;
  assign rbf    = (kernel_i == 32'd2);
  assign linear = (kernel_i == 32'd0);

  // ---------------------------------------------------------------------------------------
  // Stage 1: product = sum * gamma
  // ---------------------------------------------------------------------------------------
  logic signed [ProductWidth-1:0] product_q;
  logic                           product_valid_q;
  always_ff @(posedge clk_i) begin
    product_q <= $signed(sum_i) * $signed({1'b0, gamma_i});  // operands sign-extended first
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: rounding shift by s, then saturation to both destination formats
  // ---------------------------------------------------------------------------------------
  logic signed [32:0]         shift_full;
  logic [ShiftWidth-1:0]      shift;
  logic signed [VWidth-1:0]   v;
  logic signed [HWidth-1:0]   halves, rounded;
  logic [19:0]                arg;
  logic [23:0]                scaled;

  assign shift_full = $signed({1'b0, product_frac_i}) - (rbf ? 33'(ExpInFrac) : 33'(KernelFrac));
  assign shift = (shift_full < 0) ? '0 : (shift_full > 33'(VWidth)) ? ShiftWidth'(VWidth) :
                 shift_full[ShiftWidth-1:0];
  assign v       = rbf ? -{product_q[ProductWidth-1], product_q} : {product_q[ProductWidth-1], product_q};
  assign halves  = $signed({v, 1'b0}) >>> shift;
  assign rounded = (halves + One) >>> 1;

  hlskit_requantize #(
    .InWidth(HWidth), .InFrac(0), .InSigned(1'b1), .OutWidth(20), .OutFrac(0), .OutSigned(1'b1),
    .QMode(0), .OMode(0)
  ) u_sat_arg (
    .in_i (rounded),
    .out_o(arg)
  );

  hlskit_requantize #(
    .InWidth(HWidth), .InFrac(0), .InSigned(1'b1), .OutWidth(24), .OutFrac(0), .OutSigned(1'b1),
    .QMode(0), .OMode(0)
  ) u_sat_scaled (
    .in_i (rounded),
    .out_o(scaled)
  );

  logic [19:0] arg_q;
  logic [23:0] scaled_q;
  logic        scaled_valid_q;
  always_ff @(posedge clk_i) begin
    arg_q    <= arg;
    scaled_q <= scaled;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      product_valid_q <= 1'b0;
      scaled_valid_q  <= 1'b0;
    end else begin
      product_valid_q <= valid_i;
      scaled_valid_q  <= product_valid_q;
    end
  end

  // ---------------------------------------------------------------------------------------
  // rbf: exp(arg), arg in exp_in_t fixed<20,6>, K in exp_out_t ufixed<17,1>
  // ---------------------------------------------------------------------------------------
  logic        exp_valid;
  logic [16:0] exp_y;
  hlskit_exp #(
    .InWidth  (20),
    .InFrac   (ExpInFrac),
    .OutWidth (17),
    .OutFrac  (KernelFrac),
    .TableFile(ExpTableFile)
  ) u_exp (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .valid_i(scaled_valid_q & rbf),
    .x_i    (arg_q),
    .valid_o(exp_valid),
    .y_o    (exp_y)
  );

  // ---------------------------------------------------------------------------------------
  // polynomial: stage 0 base = u + coef0, stages d = 1 .. MaxDegree-1 power *= base
  // ---------------------------------------------------------------------------------------
  logic [24:0]              u_plus_coef0;
  logic [23:0]              base;
  logic [MaxDegree*24-1:0]  power_q, base_q;  // stage d at [d*24 +: 24]
  logic [MaxDegree-1:0]     poly_valid_q;

  assign u_plus_coef0 = {scaled_q[23], scaled_q} + {coef0_i[23], coef0_i};
  hlskit_requantize #(
    .InWidth(25), .InFrac(KernelFrac), .InSigned(1'b1), .OutWidth(24), .OutFrac(KernelFrac),
    .OutSigned(1'b1), .QMode(0), .OMode(0)
  ) u_sat_base (
    .in_i (u_plus_coef0),
    .out_o(base)
  );

  always_ff @(posedge clk_i) begin
    power_q[23:0] <= base;
    base_q[23:0]  <= base;
  end

  for (genvar d = 1; d < MaxDegree; d++) begin : gen_power
    logic signed [23:0] power_in, base_in;
    logic signed [47:0] product;
    logic [23:0]        product_rq;
    assign power_in = power_q[(d-1)*24 +: 24];
    assign base_in  = base_q[(d-1)*24 +: 24];
    assign product  = power_in * base_in;
    hlskit_requantize #(
      .InWidth(48), .InFrac(2 * KernelFrac), .InSigned(1'b1), .OutWidth(24), .OutFrac(KernelFrac),
      .OutSigned(1'b1), .QMode(0), .OMode(0)
    ) u_rq (
      .in_i (product),
      .out_o(product_rq)
    );
    always_ff @(posedge clk_i) begin
      power_q[d*24 +: 24] <= ($signed(degree_i) > d) ? product_rq : power_in;
      base_q[d*24 +: 24]  <= base_in;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      poly_valid_q <= '0;
    end else begin
      poly_valid_q <= MaxDegree'({poly_valid_q, scaled_valid_q & ~rbf & ~linear});
    end
  end

  // The last stage's base is not needed.
  logic unused_last_base;
  assign unused_last_base = ^base_q[(MaxDegree-1)*24 +: 24];

  // ---------------------------------------------------------------------------------------
  // Output register
  // ---------------------------------------------------------------------------------------
  logic        k_valid_q;
  logic [23:0] k_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      k_valid_q <= 1'b0;
    end else begin
      k_valid_q <= rbf ? exp_valid : linear ? scaled_valid_q : poly_valid_q[MaxDegree-1];
    end
  end

  always_ff @(posedge clk_i) begin
    k_q <= rbf ? {7'b0, exp_y} : linear ? scaled_q : power_q[(MaxDegree-1)*24 +: 24];
  end

  assign valid_o = k_valid_q;
  assign k_o     = k_q;

endmodule
`default_nettype wire
