`default_nettype none
// Stage 2 datapath (combinational): one step of the dense layer 128 -> 16, + bias, ReLU,
// requantize to ufixed<9,0>.
//
// Step t takes the Slots = 128/R conv outputs t*Slots .. t*Slots + Slots-1 that stage 1
// produced one cycle earlier (the same order: stage 2 never waits for a whole conv map) and
// multiplies them with all 16 outputs' weights: 16*Slots = 2048/R multipliers. Per output o:
// a balanced adder tree over the Slots products, plus the running sum (acc_i, the earlier
// steps) or, at step 0, the aligned bias: exact at 21 bits. The weight of multiplier (j, o) is
// dense_weight[t*Slots + j][o]: an R:1 mux per multiplier (every weight is used once per image).
module autoencoder_dense #(
  parameter int ReuseFactor = 8,
  parameter int QMode       = 0,  // hlskit_requantize encodings
  parameter int OMode       = 0,
  // Derived; not to be overridden.
  parameter int Slots       = autoencoder_pkg::Flat / ReuseFactor,
  parameter int StepWidth   = (ReuseFactor > 1) ? $clog2(ReuseFactor) : 1
) (
  // conv outputs t*Slots + j at [j*8 +: 8], raw ufixed<8,1> codes
  input  logic [Slots*autoencoder_pkg::PixelWidth-1:0]                                        in_i,
  // dense_weight[i][o] at [(i*16 + o)*6 +: 6], raw fixed<6,1> codes
  input  logic [autoencoder_pkg::Flat*autoencoder_pkg::Latent*autoencoder_pkg::ParamWidth-1:0] weight_i,
  input  logic [autoencoder_pkg::Latent*autoencoder_pkg::ParamWidth-1:0]                      bias_i,
  input  logic [StepWidth-1:0]                                                                step_i,
  // running sums of the earlier steps, output o at [o*21 +: 21]; ignored at step 0
  input  logic [autoencoder_pkg::Latent*autoencoder_pkg::DenseAccWidth-1:0]                   acc_i,
  // running sums including this step
  output logic [autoencoder_pkg::Latent*autoencoder_pkg::DenseAccWidth-1:0]                   sum_o,
  // ReLU + requantize of sum_o: the latents, once step R-1 is included
  output logic [autoencoder_pkg::Latent*autoencoder_pkg::LatentWidth-1:0]                     latent_o
);

  localparam int PW   = autoencoder_pkg::PixelWidth;
  localparam int WW   = autoencoder_pkg::ParamWidth;
  localparam int XW   = autoencoder_pkg::ProductWidth;
  localparam int AW   = autoencoder_pkg::DenseAccWidth;
  localparam int LW   = autoencoder_pkg::LatentWidth;
  localparam int No   = autoencoder_pkg::Latent;
  localparam int BSh  = autoencoder_pkg::BiasShift;
  // Width of a tree over Slots products: exact, and never above the accumulator's.
  localparam int TreeWidth = (XW + $clog2(Slots) < AW) ? (XW + $clog2(Slots)) : AW;

  if (ReuseFactor < 1 || ReuseFactor > 128 || (ReuseFactor & (ReuseFactor - 1)) != 0)
  begin : gen_bad_reuse
    autoencoder_dense_error_reuse_factor_must_be_a_power_of_two_up_to_128 u_error ();
  end

  logic first;  // step 0: start from the bias
  if (ReuseFactor > 1) begin : gen_steps
    assign first = (step_i == '0);
  end else begin : gen_one_step
    assign first = 1'b1;
    logic unused_single;  // one step: no mux, no running sum
    assign unused_single = ^{step_i, acc_i};
  end

  for (genvar o = 0; o < No; o++) begin : gen_out
    logic [Slots*XW-1:0]   products;
    logic [TreeWidth-1:0]  tree;
    logic [AW-1:0]         tree_ext, bias_term, base;

    for (genvar j = 0; j < Slots; j++) begin : gen_slot
      // dense_weight[t*Slots + j][o] for step t.
      logic [ReuseFactor*WW-1:0] weight_cand;
      for (genvar t = 0; t < ReuseFactor; t++) begin : gen_wcand
        assign weight_cand[t*WW +: WW] = weight_i[((t*Slots + j)*No + o)*WW +: WW];
      end

      logic [WW-1:0] weight;
      logic signed [XW-1:0] in_ext, weight_ext;

      if (ReuseFactor > 1) begin : gen_weight_mux
        hlskit_mux_tree #(
          .NumInputs(ReuseFactor),
          .Width    (WW)
        ) u_weight_mux (
          .in_i (weight_cand),
          .sel_i(step_i),
          .out_o(weight)
        );
      end else begin : gen_weight_wire
        assign weight = weight_cand;
      end

      // ufixed<8,1> x fixed<6,1>: unsigned x signed, exact in 14 bits.
      assign in_ext     = {{(XW - PW){1'b0}}, in_i[j*PW +: PW]};
      assign weight_ext = {{(XW - WW){weight[WW-1]}}, weight};
      assign products[j*XW +: XW] = in_ext * weight_ext;
    end

    hlskit_adder_tree #(
      .NumTerms(Slots),
      .InWidth (XW),
      .OutWidth(TreeWidth)
    ) u_tree (
      .terms_i(products),
      .sum_o  (tree)
    );

    if (AW > TreeWidth) begin : gen_tree_sext
      assign tree_ext = {{(AW - TreeWidth){tree[TreeWidth-1]}}, tree};
    end else begin : gen_tree_same
      assign tree_ext = tree;
    end
    // Bias code * 2^7: 12 fraction bits like the products.
    assign bias_term = {{(AW - WW - BSh){bias_i[o*WW + WW-1]}}, bias_i[o*WW +: WW], {BSh{1'b0}}};
    assign base      = first ? bias_term : acc_i[o*AW +: AW];
    assign sum_o[o*AW +: AW] = base + tree_ext;

    // ReLU (negative -> 0), then the layer's output quantization on the non-negative value.
    logic [AW-2:0] relu;
    assign relu = sum_o[o*AW + AW-1] ? '0 : sum_o[o*AW +: AW-1];

    hlskit_requantize #(
      .InWidth  (AW - 1),
      .InFrac   (autoencoder_pkg::AccFrac),
      .InSigned (1'b0),
      .OutWidth (LW),
      .OutFrac  (autoencoder_pkg::LatentFrac),
      .OutSigned(1'b0),
      .QMode    (QMode),
      .OMode    (OMode)
    ) u_requantize (
      .in_i (relu),
      .out_o(latent_o[o*LW +: LW])
    );
  end

endmodule
`default_nettype wire
