`default_nettype none
// hlskit_lfsr: a 32-bit Galois LFSR (x^32 + x^22 + x^2 + x + 1, maximal length), one step per
// cycle while step_i. The pseudo-random source of the place-and-route harnesses (rtl/pnr/): it
// drives a design's inputs from inside the chip, so nothing is constant and nothing is optimised
// away, with no input pins.
module hlskit_lfsr #(
  parameter logic [31:0] Seed = 32'h1  // any non-zero value
) (
  input  logic        clk_i,
  input  logic        rst_ni,  // synchronous, active low
  input  logic        step_i,
  output logic [31:0] state_o
);

  localparam logic [31:0] Taps = 32'h8020_0003;

  logic [31:0] state_q, state_d, shifted;

  assign shifted = {1'b0, state_q[31:1]} ^ (state_q[0] ? Taps : 32'h0);

  always_comb begin
    state_d = state_q;
    if (step_i) state_d = shifted;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) state_q <= Seed;
    else         state_q <= state_d;
  end

  assign state_o = state_q;

endmodule
`default_nettype wire
