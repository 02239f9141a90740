`default_nettype none
// hlskit_xor_fold: out_o[j] = XOR of in_i[j], in_i[j + OutWidth], in_i[j + 2 OutWidth], ...:
// compresses a wide vector into OutWidth bits, every input bit reaching one output bit
// (hlskit_misr's input and the place-and-route harnesses' signature pins, rtl/pnr/).
module hlskit_xor_fold #(
  parameter int InWidth  = 64,
  parameter int OutWidth = 32
) (
  input  logic [InWidth-1:0]  in_i,
  output logic [OutWidth-1:0] out_o
);

  localparam int Chunks = (InWidth + OutWidth - 1) / OutWidth;

  logic [Chunks*OutWidth-1:0] padded;

  if (Chunks * OutWidth > InWidth) begin : g_pad
    assign padded = {{(Chunks * OutWidth - InWidth){1'b0}}, in_i};
  end else begin : g_exact
    assign padded = in_i;
  end

  for (genvar j = 0; j < OutWidth; j++) begin : g_bit
    logic [Chunks-1:0] bits;  // in_i[j + c OutWidth] for each chunk c
    for (genvar c = 0; c < Chunks; c++) begin : g_chunk
      assign bits[c] = padded[c*OutWidth + j];
    end
    assign out_o[j] = ^bits;
  end

endmodule
`default_nettype wire
