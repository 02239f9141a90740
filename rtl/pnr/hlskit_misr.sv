`default_nettype none
// hlskit_misr: a 32-bit multiple-input signature register. Every cycle the InWidth response bits
// are folded into 32 bits (hlskit_xor_fold) and added into a Galois shift register
// (x^32 + x^22 + x^2 + x + 1, hlskit_lfsr's polynomial), so every response bit of every cycle
// reaches every signature bit; sig_o is the register folded to SigWidth bits. A design whose
// outputs only feed the signature keeps all its logic, and its few signature pins stand for all
// its outputs (rtl/pnr/).
module hlskit_misr #(
  parameter int InWidth  = 32,
  parameter int SigWidth = 32  // 1..32
) (
  input  logic                clk_i,
  input  logic                rst_ni,  // synchronous, active low
  input  logic [InWidth-1:0]  in_i,
  output logic [SigWidth-1:0] sig_o
);

  localparam logic [31:0] Taps = 32'h8020_0003;

  logic [31:0] folded, sig_q, sig_d;

  hlskit_xor_fold #(.InWidth(InWidth), .OutWidth(32)) u_fold_in (
    .in_i (in_i),
    .out_o(folded)
  );

  assign sig_d = {sig_q[30:0], 1'b0} ^ (sig_q[31] ? Taps : 32'h0) ^ folded;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) sig_q <= '0;
    else         sig_q <= sig_d;
  end

  hlskit_xor_fold #(.InWidth(32), .OutWidth(SigWidth)) u_fold_out (
    .in_i (sig_q),
    .out_o(sig_o)
  );

endmodule
`default_nettype wire
