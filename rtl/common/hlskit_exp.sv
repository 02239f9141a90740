`default_nettype none
// Fixed-point exp(x) for x <= 0: the bits of hlskit::math::exp<Out>(x)
// (hls/include/hlskit/math/exp.hpp, which defines every rounding step; x > 0 is treated as 0).
//
// Formats: x_i is a signed fixed<InWidth, InWidth - InFrac> code (value x_i * 2^-InFrac), y_o an
// unsigned ufixed<OutWidth, OutWidth - OutFrac> code. Supported: 2 <= InWidth <= 40, InFrac >= 0,
// 0 <= OutFrac <= 20, OutWidth >= OutFrac + 1 (exp(0) = 1 needs an integer bit).
//
// Pipeline: four register stages, II = 1, no back-pressure. An input sampled with valid_i at
// rising edge c appears on y_o with valid_o after rising edge c + 3 (latency 4 cycles, the same
// for every parameter set):
//   1. t = -x * log2(e), rounded to 20 fraction bits; n = int(t) clamped, table index, weight
//   2. table ROM: T[i] and T[i+1] (synchronous reads, block RAM or LUT ROM)
//   3. linear interpolation m = T[i] - round((T[i] - T[i+1]) * weight / 2^12)
//   4. y = m * 2^-(n + 20), rounded half up to OutFrac fraction bits (0 once n >= 22)
// Only valid is reset (synchronous, active low); the data registers need none.
//
// The table is read from TableFile with $readmemh: rtl/common/hlskit_exp2_table.mem, generated
// from the C++ constexpr table by tools/gen_mem (never edited by hand). Its default name is
// relative: simulate or synthesize in a working directory that holds it, or pass the path.
module hlskit_exp #(
  parameter int    InWidth   = 20,
  parameter int    InFrac    = 14,
  parameter int    OutWidth  = 17,
  parameter int    OutFrac   = 16,
  parameter        TableFile = "hlskit_exp2_table.mem"  // a string (Yosys 0.23, Icarus: untyped)
) (
  input  logic                clk_i,
  input  logic                rst_ni,  // synchronous, active low
  input  logic                valid_i,
  input  logic [InWidth-1:0]  x_i,
  output logic                valid_o,
  output logic [OutWidth-1:0] y_o
);

  // The constants of hlskit::math::exp_detail; the cosimulation checks that both agree.
  localparam int Latency      = 4;
  localparam int Log2eFrac    = 17;
  localparam int Log2eWidth   = 18;      // log2(e) as ufixed<18,1>
  localparam int Log2eCode    = 189097;  // round(log2(e) * 2^17)
  localparam int TFrac        = 20;      // fraction bits of t
  localparam int TableBits    = 8;
  localparam int TableEntries = (1 << TableBits) + 1;
  localparam int TableFrac    = 20;
  localparam int TableWidth   = TableFrac + 1;  // T[0] = 2^20
  localparam int WeightBits   = TFrac - TableBits;
  // T[i] - T[i+1] <= 2835 < 2^12 (static_assert'ed next to the C++ table).
  localparam int DiffWidth    = 12;
  localparam int MaxShiftN    = TableFrac + 2;  // every n >= 22 gives 0
  localparam int NClampWidth  = $clog2(MaxShiftN + 1);
  localparam int ShiftWidth   = $clog2(MaxShiftN + TableFrac + 1);

  // Unsupported parameters: instantiate a module that does not exist, which stops elaboration
  // in Verilator, Icarus and Yosys alike (Icarus 11 has no elaboration $error).
  if (InWidth < 2 || InWidth > 40 || InFrac < 0) begin : gen_bad_input_format
    hlskit_exp_error_unsupported_input_format u_error ();
  end
  if (OutFrac < 0 || OutFrac > TableFrac || OutWidth < OutFrac + 1) begin : gen_bad_output_format
    hlskit_exp_error_unsupported_output_format u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Stage 1: t = max(-x, 0) * log2(e), rounded half up to TFrac fraction bits
  // ---------------------------------------------------------------------------------------
  localparam int ProdWidth = InWidth + Log2eWidth;
  // Fraction bits of the product beyond t's (> 0: rounded away; <= 0: t appends zeros).
  localparam int Drop = InFrac + Log2eFrac - TFrac;
  localparam int TWidthExact = (Drop > 0) ? (ProdWidth + 1 - Drop) : (ProdWidth - Drop);
  // At least one integer bit, so that n below always has a slice.
  localparam int TWidth = (TWidthExact > TFrac + 1) ? TWidthExact : (TFrac + 1);
  localparam int NWidth = TWidth - TFrac;
  localparam int NCmpWidth = (NWidth > NClampWidth) ? NWidth : NClampWidth;

  // |x| for x < 0 as an unsigned InWidth-bit number (the most negative code gives 2^(InWidth-1)).
  logic [InWidth-1:0]   magnitude;
  logic [ProdWidth-1:0] product;
  logic [TWidth-1:0]    t;
  logic [NCmpWidth-1:0] n_full;
  logic [NClampWidth-1:0] n_clamped;

  assign magnitude = x_i[InWidth-1] ? (~x_i + 1'b1) : '0;
  assign product   = ProdWidth'(magnitude) * ProdWidth'(Log2eCode);

  if (Drop > 0) begin : gen_t_rounded
    localparam int SumWidth = ProdWidth + 1;
    localparam logic [SumWidth-1:0] Half = SumWidth'(1) << (Drop - 1);
    logic [SumWidth-1:0] product_rounded;
    assign product_rounded = SumWidth'(product) + Half;
    assign t = TWidth'(product_rounded[SumWidth-1:Drop]);
    // The dropped fraction bits only decided the rounding.
    logic unused_dropped_bits;
    assign unused_dropped_bits = ^product_rounded[Drop-1:0];
  end else begin : gen_t_exact
    assign t = TWidth'(product) << (-Drop);
  end

  // n >= MaxShiftN all give 0: clamp, so the output shifter stays narrow.
  assign n_full    = NCmpWidth'(t[TWidth-1:TFrac]);
  assign n_clamped = (n_full > NCmpWidth'(MaxShiftN)) ? NClampWidth'(MaxShiftN) : n_full[NClampWidth-1:0];

  logic [TableBits-1:0]   s1_index_q;
  logic [WeightBits-1:0]  s1_weight_q;
  logic [NClampWidth-1:0] s1_n_q;
  always_ff @(posedge clk_i) begin
    s1_index_q  <= t[TFrac-1:WeightBits];
    s1_weight_q <= t[WeightBits-1:0];
    s1_n_q      <= n_clamped;
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: table reads T[i], T[i+1]
  // ---------------------------------------------------------------------------------------
  localparam int AddrWidth = $clog2(TableEntries);

  logic [TableWidth-1:0] rom [TableEntries];
  initial begin
    $readmemh(TableFile, rom);
  end

  logic [AddrWidth-1:0] addr_lo, addr_hi;
  assign addr_lo = AddrWidth'(s1_index_q);
  assign addr_hi = AddrWidth'(s1_index_q) + 1'b1;

  logic [TableWidth-1:0]  s2_lo_q, s2_hi_q;
  logic [WeightBits-1:0]  s2_weight_q;
  logic [NClampWidth-1:0] s2_n_q;
  always_ff @(posedge clk_i) begin
    s2_lo_q     <= rom[addr_lo];
    s2_hi_q     <= rom[addr_hi];
    s2_weight_q <= s1_weight_q;
    s2_n_q      <= s1_n_q;
  end

  // ---------------------------------------------------------------------------------------
  // Stage 3: m = T[i] - round_half_up((T[i] - T[i+1]) * weight / 2^WeightBits)
  // ---------------------------------------------------------------------------------------
  localparam int StepProdWidth = DiffWidth + WeightBits;  // 4095 * 4095 + 2^11 < 2^24: no carry
  localparam logic [StepProdWidth-1:0] StepHalf = StepProdWidth'(1) << (WeightBits - 1);

  logic [TableWidth-1:0]    diff_full;
  logic [StepProdWidth-1:0] step_product;
  logic [DiffWidth-1:0]     step;
  logic [TableWidth-1:0]    mantissa;

  assign diff_full    = s2_lo_q - s2_hi_q;
  assign step_product = StepProdWidth'(diff_full[DiffWidth-1:0]) * StepProdWidth'(s2_weight_q) + StepHalf;
  assign step         = step_product[StepProdWidth-1:WeightBits];
  assign mantissa     = s2_lo_q - TableWidth'(step);

  // The difference's upper bits are zero (table property) and the product's low bits only round.
  logic unused_step_bits;
  assign unused_step_bits = ^{diff_full[TableWidth-1:DiffWidth], step_product[WeightBits-1:0]};

  logic [TableWidth-1:0]  s3_mantissa_q;
  logic [NClampWidth-1:0] s3_n_q;
  always_ff @(posedge clk_i) begin
    s3_mantissa_q <= mantissa;
    s3_n_q        <= s2_n_q;
  end

  // ---------------------------------------------------------------------------------------
  // Stage 4: y = round_half_up(m * 2^-s), s = n + TableFrac - OutFrac
  // ---------------------------------------------------------------------------------------
  // floor(m * 2^(1 - s)), then (+1) >> 1 rounds half up. y <= 2^OutFrac (exp(0) = 1 exactly),
  // so halves fits OutFrac + 2 bits and y OutFrac + 1 bits: no saturation is ever needed.
  localparam int HalvesWidth = TableWidth + 1;
  localparam int YWidth      = OutFrac + 1;

  logic [ShiftWidth-1:0]  shift;
  logic [HalvesWidth-1:0] halves;
  logic [YWidth-1:0]      y;

  assign shift  = ShiftWidth'(s3_n_q) + ShiftWidth'(TableFrac - OutFrac);
  assign halves = {s3_mantissa_q, 1'b0} >> shift;
  assign y      = YWidth'((halves[YWidth:0] + 1'b1) >> 1);

  if (HalvesWidth > YWidth + 1) begin : gen_unused_halves
    logic unused_halves_msbs;
    assign unused_halves_msbs = ^halves[HalvesWidth-1:YWidth+1];
  end

  logic [OutWidth-1:0] y_q;
  always_ff @(posedge clk_i) begin
    y_q <= OutWidth'(y);
  end

  // ---------------------------------------------------------------------------------------
  // Valid pipeline
  // ---------------------------------------------------------------------------------------
  logic [Latency-1:0] valid_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else begin
      valid_q <= {valid_q[Latency-2:0], valid_i};
    end
  end

  assign valid_o = valid_q[Latency-1];
  assign y_o     = y_q;

endmodule
`default_nettype wire
