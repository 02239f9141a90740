`default_nettype none
// Constants of the ECON-T encoder (DESIGN.md §5.1; C++: hls/kernels/autoencoder/config.hpp).
// Referenced as autoencoder_pkg::Name (Yosys 0.23 has no `import pkg::*`).
package autoencoder_pkg;

  // Geometry (fixed by the chip).
  localparam int Rows     = 8;
  localparam int Cols     = 8;
  localparam int Pixels   = Rows * Cols;             // 64, one channel
  localparam int Filters  = 8;
  localparam int Kernel   = 3;
  localparam int Taps     = Kernel * Kernel;         // 9
  localparam int Stride   = 2;
  localparam int ConvCols = 4;                       // ceil(8 / 2), also the row count
  localparam int Flat     = 4 * ConvCols * Filters;  // 128 conv outputs = dense inputs
  localparam int Latent   = 16;

  // Codes: image and conv outputs ufixed<8,1> (7 fraction bits), weights and biases
  // fixed<6,1> (5 fraction bits), latents ufixed<9,0> (9 fraction bits).
  localparam int PixelWidth  = 8;
  localparam int PixelFrac   = 7;
  localparam int ParamWidth  = 6;
  localparam int ParamFrac   = 5;
  localparam int LatentWidth = 9;
  localparam int LatentFrac  = 9;

  // Exact accumulation at 12 fraction bits. Product ufixed<8,1> x fixed<6,1>: codes
  // [0, 255] x [-32, 31] -> [-8160, 7905], 14 bits signed. A bias is aligned by 7 bits:
  // [-4096, 3968]. Conv: 9 products + bias in [-77536, 75113] -> 18 bits (17 bits hold only
  // [-65536, 65535]). Dense: 128 products + bias in [-1048576, 1015808] -> 21 bits: the
  // minimum, -2^20, is reached (every input 255, every weight and the bias -32) and still fits.
  // Every partial sum is a sum of a subset of terms whose ranges contain 0, so it lies inside
  // the same bounds: the adder trees never overflow these widths in any order.
  localparam int AccFrac       = PixelFrac + ParamFrac;  // 12
  localparam int BiasShift     = AccFrac - ParamFrac;    // 7
  localparam int ProductWidth  = 14;
  localparam int ConvAccWidth  = 18;
  localparam int DenseAccWidth = 21;

  // The parameter bank, in the order of the C++ weights<Config> struct (Keras layouts):
  // conv_weight[kh][kw][in][out], conv_bias[out], dense_weight[in][out], dense_bias[out].
  localparam int ConvWeightBase  = 0;
  localparam int ConvBiasBase    = ConvWeightBase + Taps * Filters;    // 72
  localparam int DenseWeightBase = ConvBiasBase + Filters;             // 80
  localparam int DenseBiasBase   = DenseWeightBase + Flat * Latent;    // 2128
  localparam int NumParams       = DenseBiasBase + Latent;             // 2144

endpackage
`default_nettype wire
