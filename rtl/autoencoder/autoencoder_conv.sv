`default_nettype none
// Stage 1 datapath (combinational): one step of the conv layer. Conv2D 8 filters 3x3, stride 2,
// TF 'same' padding (taps on row or column 8 read zero; no padding at the top/left), + bias,
// ReLU, requantize to ufixed<8,1>.
//
// The 128 conv outputs, in flatten order n = (oy*4 + ox)*8 + f, are computed in ReuseFactor
// steps of Slots = 128/R outputs: step t computes n = t*Slots + j for slot j, all 9 taps of
// each in that step, on 9*Slots = 1152/R multipliers. So each output's sum is complete in one
// step: 9 products + the aligned bias in one balanced adder tree of 10 terms at 18 bits (exact).
// Operand selection per multiplier:
//   R <= 16: Slots is a multiple of 8, so slot j always serves filter j % 8: its weight is fixed
//            and only the pixel is chosen among R positions (an R:1 mux, shared by the 8
//            multipliers of the same position and tap).
//   R >  16: Slots < 8, a slot cycles through WeightCands = R/16 filters and 16 positions:
//            weight mux WeightCands:1 per multiplier, pixel mux 16:1 per tap.
// Padding taps get a constant-zero pixel candidate (184 of the 1152 MACs are such taps; for
// R = 1 they are constant zero and synthesis drops their multipliers: 968 remain).
module autoencoder_conv #(
  parameter int ReuseFactor = 8,
  parameter int QMode       = 0,  // hlskit_requantize encodings
  parameter int OMode       = 0,
  // Derived; not to be overridden.
  parameter int Slots       = autoencoder_pkg::Flat / ReuseFactor,
  parameter int StepWidth   = (ReuseFactor > 1) ? $clog2(ReuseFactor) : 1
) (
  input  logic [autoencoder_pkg::Pixels*autoencoder_pkg::PixelWidth-1:0]  image_i,
  // conv_weight[kh][kw][0][f] at [((kh*3 + kw)*8 + f)*6 +: 6], raw fixed<6,1> codes
  input  logic [autoencoder_pkg::Taps*autoencoder_pkg::Filters*autoencoder_pkg::ParamWidth-1:0] weight_i,
  input  logic [autoencoder_pkg::Filters*autoencoder_pkg::ParamWidth-1:0]                      bias_i,
  input  logic [StepWidth-1:0]                                                                 step_i,
  // conv output t*Slots + j at [j*8 +: 8], raw ufixed<8,1> codes
  output logic [Slots*autoencoder_pkg::PixelWidth-1:0]                                         out_o
);

  localparam int PW    = autoencoder_pkg::PixelWidth;
  localparam int WW    = autoencoder_pkg::ParamWidth;
  localparam int XW    = autoencoder_pkg::ProductWidth;
  localparam int AW    = autoencoder_pkg::ConvAccWidth;
  localparam int Nf    = autoencoder_pkg::Filters;
  localparam int Taps  = autoencoder_pkg::Taps;
  localparam int Ksz   = autoencoder_pkg::Kernel;
  localparam int Rows  = autoencoder_pkg::Rows;
  localparam int Cols  = autoencoder_pkg::Cols;
  localparam int OCols = autoencoder_pkg::ConvCols;
  localparam int Strd  = autoencoder_pkg::Stride;
  localparam int BSh   = autoencoder_pkg::BiasShift;

  localparam int WeightCands = (ReuseFactor > 16) ? ReuseFactor / 16 : 1;
  localparam int PixelCands  = ReuseFactor / WeightCands;  // min(R, 16)
  localparam int WSelWidth   = (WeightCands > 1) ? $clog2(WeightCands) : 1;
  localparam int PSelWidth   = (PixelCands > 1) ? $clog2(PixelCands) : 1;

  if (ReuseFactor < 1 || ReuseFactor > 128 || (ReuseFactor & (ReuseFactor - 1)) != 0)
  begin : gen_bad_reuse
    autoencoder_conv_error_reuse_factor_must_be_a_power_of_two_up_to_128 u_error ();
  end

  // step = pixel phase * WeightCands + weight phase.
  logic [WSelWidth-1:0] wsel;
  logic [PSelWidth-1:0] psel;
  if (WeightCands > 1) begin : gen_wsel
    assign wsel = step_i[WSelWidth-1:0];
  end else begin : gen_no_wsel
    assign wsel = '0;
  end
  if (PixelCands > 1) begin : gen_psel
    assign psel = step_i[StepWidth-1 -: PSelWidth];
  end else begin : gen_no_psel
    assign psel = '0;
  end
  logic unused_sel;  // R = 1: the step is always 0; R <= 16: no weight phase
  assign unused_sel = ^{step_i, wsel, psel};

  // Pixels. Slots j and j' read the same pixel at every step when they serve the same output
  // position: for R <= 16 slot j serves position t*Slots/8 + j/8 (its group j/8); for R > 16
  // all slots of a step share one position. So one pixel mux per (group, tap) feeds the 8
  // filters' multipliers, instead of one per multiplier.
  localparam int Groups = (Slots > Nf) ? Slots / Nf : 1;
  logic [Groups*Taps*PW-1:0] group_pixel;  // group g, tap k at [(g*Taps + k)*8 +: 8]

  for (genvar g = 0; g < Groups; g++) begin : gen_group
    for (genvar k = 0; k < Taps; k++) begin : gen_tap
      localparam int Ky = k / Ksz;
      localparam int Kx = k % Ksz;
      // Candidates per pixel phase q: the output position of step q*WeightCands.
      logic [PixelCands*PW-1:0] pixel_cand;
      for (genvar q = 0; q < PixelCands; q++) begin : gen_pcand
        localparam int Pos = (q * WeightCands * Slots + g * Nf) / Nf;
        localparam int Y   = (Pos / OCols) * Strd + Ky;
        localparam int X   = (Pos % OCols) * Strd + Kx;
        if (Y < Rows && X < Cols) begin : gen_pixel
          assign pixel_cand[q*PW +: PW] = image_i[(Y*Cols + X)*PW +: PW];
        end else begin : gen_pad
          assign pixel_cand[q*PW +: PW] = '0;
        end
      end

      // One candidate (R = 1): a plain wire, so that synthesis sees the constant-zero padding
      // taps inside this module and drops their multipliers.
      if (PixelCands > 1) begin : gen_mux
        hlskit_mux_tree #(
          .NumInputs(PixelCands),
          .Width    (PW)
        ) u_pixel_mux (
          .in_i (pixel_cand),
          .sel_i(psel),
          .out_o(group_pixel[(g*Taps + k)*PW +: PW])
        );
      end else begin : gen_wire
        assign group_pixel[(g*Taps + k)*PW +: PW] = pixel_cand;
      end
    end
  end

  for (genvar j = 0; j < Slots; j++) begin : gen_slot
    localparam int G = (Slots > Nf) ? j / Nf : 0;
    logic [Taps*XW-1:0] products;
    logic [XW-1:0]      bias_term;
    logic [AW-1:0]      acc;

    // Weights and bias of this slot's filter, per weight phase c.
    logic [WeightCands*Taps*WW-1:0] weight_cand;  // tap k, phase c at [(k*WeightCands + c)*6]
    logic [WeightCands*WW-1:0]      bias_cand;
    logic [WW-1:0]                  bias;
    for (genvar c = 0; c < WeightCands; c++) begin : gen_wcand
      localparam int F = (c * Slots + j) % Nf;
      for (genvar k = 0; k < Taps; k++) begin : gen_tap
        assign weight_cand[(k*WeightCands + c)*WW +: WW] = weight_i[(k*Nf + F)*WW +: WW];
      end
      assign bias_cand[c*WW +: WW] = bias_i[F*WW +: WW];
    end

    if (WeightCands > 1) begin : gen_bias_mux
      hlskit_mux_tree #(
        .NumInputs(WeightCands),
        .Width    (WW)
      ) u_bias_mux (
        .in_i (bias_cand),
        .sel_i(wsel),
        .out_o(bias)
      );
    end else begin : gen_bias_wire
      assign bias = bias_cand;
    end

    // Bias code * 2^7: 12 fraction bits like the products.
    assign bias_term = {bias[WW-1], bias, {BSh{1'b0}}};

    for (genvar k = 0; k < Taps; k++) begin : gen_tap
      logic [PW-1:0] pixel;
      logic [WW-1:0] weight;
      logic signed [XW-1:0] pixel_ext, weight_ext;

      assign pixel = group_pixel[(G*Taps + k)*PW +: PW];

      if (WeightCands > 1) begin : gen_weight_mux
        hlskit_mux_tree #(
          .NumInputs(WeightCands),
          .Width    (WW)
        ) u_weight_mux (
          .in_i (weight_cand[k*WeightCands*WW +: WeightCands*WW]),
          .sel_i(wsel),
          .out_o(weight)
        );
      end else begin : gen_weight_wire
        assign weight = weight_cand[k*WW +: WW];
      end

      // ufixed<8,1> x fixed<6,1>: unsigned x signed, exact in 14 bits.
      assign pixel_ext  = {{(XW - PW){1'b0}}, pixel};
      assign weight_ext = {{(XW - WW){weight[WW-1]}}, weight};
      assign products[k*XW +: XW] = pixel_ext * weight_ext;
    end

    hlskit_adder_tree #(
      .NumTerms(Taps + 1),
      .InWidth (XW),
      .OutWidth(AW)
    ) u_tree (
      .terms_i({bias_term, products}),
      .sum_o  (acc)
    );

    // ReLU (negative -> 0), then the layer's output quantization on the non-negative value.
    logic [AW-2:0] relu;
    assign relu = acc[AW-1] ? '0 : acc[AW-2:0];

    hlskit_requantize #(
      .InWidth  (AW - 1),
      .InFrac   (autoencoder_pkg::AccFrac),
      .InSigned (1'b0),
      .OutWidth (PW),
      .OutFrac  (autoencoder_pkg::PixelFrac),
      .OutSigned(1'b0),
      .QMode    (QMode),
      .OMode    (OMode)
    ) u_requantize (
      .in_i (relu),
      .out_o(out_o[j*PW +: PW])
    );
  end

endmodule
`default_nettype wire
