`default_nettype none
// hlskit_block_harness: registered pseudo-random stimulus for a block's inputs and a signature of
// its outputs on a few pins, so a block (hlskit_exp, the adder tree, ...) can be placed and routed
// alone and its register-to-register paths timed: stim_o is a register (32 new LFSR bits shifted
// in every cycle, mixed so that no stimulus flop copies an LFSR flop), resp_i goes into a 32-bit MISR (hlskit_misr) folded to SigWidth pins.
module hlskit_block_harness #(
  parameter int StimWidth = 32,
  parameter int RespWidth = 32,
  parameter int SigWidth  = 8    // 1..32
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,   // from a pin: asynchronous, active low
  output logic [SigWidth-1:0]  sig_o,

  output logic                 rst_no,   // rst_ni synchronized to clk_i, for the block
  output logic [StimWidth-1:0] stim_o,
  input  logic [RespWidth-1:0] resp_i
);

  logic [1:0] rst_sync_q;
  logic       rst_n;

  always_ff @(posedge clk_i) begin
    rst_sync_q <= {rst_sync_q[0], rst_ni};
  end

  assign rst_n  = rst_sync_q[1];
  assign rst_no = rst_n;

  logic [31:0] rnd;

  hlskit_lfsr #(.Seed(32'h1)) u_lfsr (
    .clk_i  (clk_i),
    .rst_ni (rst_n),
    .step_i (1'b1),
    .state_o(rnd)
  );

  // The bits shifted in: rnd XOR rnd rotated by 7. Plain LFSR bits would make the stimulus flops
  // copies of the LFSR's own (the LFSR is a shift register: same D, same reset), and Yosys merges
  // equal flops, leaving a block whose inputs repeat each other.
  logic [31:0] fresh;

  assign fresh = rnd ^ {rnd[24:0], rnd[31:25]};

  logic [StimWidth-1:0]  stim_q;
  logic [StimWidth-1:0]  stim_next;  // 32 new bits shifted in

  if (StimWidth > 32) begin : g_shift
    assign stim_next = {stim_q[StimWidth-33:0], fresh};
  end else begin : g_load
    hlskit_xor_fold #(.InWidth(32), .OutWidth(StimWidth)) u_fold (
      .in_i (fresh),
      .out_o(stim_next)
    );
  end

  always_ff @(posedge clk_i) begin
    if (!rst_n) stim_q <= '0;
    else        stim_q <= stim_next;
  end

  assign stim_o = stim_q;

  hlskit_misr #(.InWidth(RespWidth), .SigWidth(SigWidth)) u_misr (
    .clk_i (clk_i),
    .rst_ni(rst_n),
    .in_i  (resp_i),
    .sig_o (sig_o)
  );


endmodule
`default_nettype wire
