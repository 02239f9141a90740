`default_nettype none
// Balanced adder tree over NumTerms signed InWidth-bit terms (term k at [k*InWidth +: InWidth]).
// Recursive: the first ceil(N/2) terms and the rest are summed by two half trees, then added,
// so the depth is ceil(log2(N)) adders. Each subtree works at InWidth + ceil(log2(terms)) bits,
// capped at OutWidth: the sum is exact whenever every subset sum of the terms fits OutWidth
// bits, which the caller guarantees (autoencoder_pkg: each term's range contains 0, so every
// subset sum lies within the bounds of the whole sum).
module autoencoder_adder_tree #(
  parameter int NumTerms = 2,
  parameter int InWidth  = 14,
  parameter int OutWidth = 15
) (
  input  logic [NumTerms*InWidth-1:0] terms_i,
  output logic [OutWidth-1:0]         sum_o
);

  if (NumTerms < 1 || InWidth < 1 || OutWidth < 1) begin : gen_bad_params
    autoencoder_adder_tree_error_bad_parameters u_error ();
  end

  if (NumTerms == 1) begin : gen_leaf
    if (OutWidth > InWidth) begin : gen_sext
      assign sum_o = {{(OutWidth - InWidth){terms_i[InWidth-1]}}, terms_i};
    end else begin : gen_same
      // OutWidth < InWidth only if the caller knows the term fits (see above).
      assign sum_o = terms_i[OutWidth-1:0];
      if (InWidth > OutWidth) begin : gen_unused
        logic unused_msbs;
        assign unused_msbs = ^terms_i[InWidth-1:OutWidth];
      end
    end
  end else begin : gen_node
    localparam int NumLo  = (NumTerms + 1) / 2;
    localparam int NumHi  = NumTerms - NumLo;
    localparam int Grow   = $clog2(NumLo);
    localparam int HalfWidth = (InWidth + Grow < OutWidth) ? (InWidth + Grow) : OutWidth;

    logic [HalfWidth-1:0] sum_lo, sum_hi;
    logic [OutWidth-1:0]  ext_lo, ext_hi;

    autoencoder_adder_tree #(
      .NumTerms(NumLo),
      .InWidth (InWidth),
      .OutWidth(HalfWidth)
    ) u_lo (
      .terms_i(terms_i[NumLo*InWidth-1:0]),
      .sum_o  (sum_lo)
    );

    autoencoder_adder_tree #(
      .NumTerms(NumHi),
      .InWidth (InWidth),
      .OutWidth(HalfWidth)
    ) u_hi (
      .terms_i(terms_i[NumTerms*InWidth-1:NumLo*InWidth]),
      .sum_o  (sum_hi)
    );

    if (OutWidth > HalfWidth) begin : gen_sext
      assign ext_lo = {{(OutWidth - HalfWidth){sum_lo[HalfWidth-1]}}, sum_lo};
      assign ext_hi = {{(OutWidth - HalfWidth){sum_hi[HalfWidth-1]}}, sum_hi};
    end else begin : gen_same
      assign ext_lo = sum_lo;
      assign ext_hi = sum_hi;
    end

    assign sum_o = ext_lo + ext_hi;
  end

endmodule
`default_nettype wire
