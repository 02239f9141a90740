`default_nettype none
// hlskit_axi_harness: drives a kernel top's AXI ports from inside the chip and compresses its
// outputs into a few pins, so a kernel whose ports outnumber a package's pins (svm tiny: 229 port
// bits; iCE40 UP5K SG48: 39 user I/O) can be placed and routed whole (docs/EXPORT.md, "iCE40").
//
// - ap_rst_no: the pin rst_ni synchronized to clk_i (two flops): the kernel's synchronous reset.
// - AXI4-Lite master: an endless sequence of single transfers chosen by an LFSR: a write or a read,
//   at a word address in the control block (0x00..0x3C: ap_ctrl_hs and the arguments) half of the
//   time, anywhere in the AddrWidth space otherwise; pseudo-random data, all strobes. Protocol
//   conforming: AWVALID / WVALID / ARVALID are held until accepted, BREADY / RREADY are high.
// - AXI4-Stream source (in_r): pseudo-random TDATA (32 new bits shifted in per beat), TLAST and
//   gaps in TVALID; TDATA and TLAST held while TVALID waits for TREADY.
// - AXI4-Stream sink (out_r): TREADY pseudo-random (high 3/4 of the cycles).
// - Signature: every output beat (TDATA, TLAST), every read answer (RDATA, RRESP), every write
//   response, the ready outputs and the interrupt go into a 32-bit MISR (hlskit_misr), folded to
//   SigWidth pins. Every kernel output reaches a pin, so synthesis keeps the whole kernel.
module hlskit_axi_harness #(
  parameter int AddrWidth = 6,   // s_axi_control address bits, 6..32
  parameter int InWidth   = 16,  // in_r_TDATA bits
  parameter int OutWidth  = 64,  // out_r_TDATA bits
  parameter int SigWidth  = 8    // signature pins, 1..32
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,     // from a pin: asynchronous, active low
  output logic [SigWidth-1:0]  sig_o,      // the folded signature

  output logic                 ap_rst_no,  // the kernel's ap_rst_n (synchronous to clk_i)

  output logic                 awvalid_o,
  input  logic                 awready_i,
  output logic [AddrWidth-1:0] awaddr_o,
  output logic                 wvalid_o,
  input  logic                 wready_i,
  output logic [31:0]          wdata_o,
  output logic [3:0]           wstrb_o,
  output logic                 arvalid_o,
  input  logic                 arready_i,
  output logic [AddrWidth-1:0] araddr_o,
  input  logic                 rvalid_i,
  output logic                 rready_o,
  input  logic [31:0]          rdata_i,
  input  logic [1:0]           rresp_i,
  input  logic                 bvalid_i,
  output logic                 bready_o,
  input  logic [1:0]           bresp_i,
  input  logic                 irq_i,

  output logic [InWidth-1:0]   in_tdata_o,
  output logic                 in_tvalid_o,
  input  logic                 in_tready_i,
  output logic                 in_tlast_o,

  input  logic [OutWidth-1:0]  out_tdata_i,
  input  logic                 out_tvalid_i,
  output logic                 out_tready_o,
  input  logic                 out_tlast_i
);

  localparam logic [1:0] StIdle  = 2'd0;
  localparam logic [1:0] StWrite = 2'd1;
  localparam logic [1:0] StRead  = 2'd2;
  localparam logic [AddrWidth-1:0] CtlMask = 'h3c;
  localparam int RespWidth = OutWidth + 2 + 32 + 2 + 1 + 2 + 1 + 1 + 4;

  // ---- reset synchronizer (no reset of its own: the flops power up at 0, i.e. in reset) ----
  logic [1:0] rst_sync_q;
  logic       rst_n;

  always_ff @(posedge clk_i) begin
    rst_sync_q <= {rst_sync_q[0], rst_ni};
  end

  assign rst_n     = rst_sync_q[1];
  assign ap_rst_no = rst_n;

  // ---- the pseudo-random source ----
  logic [31:0] rnd;

  hlskit_lfsr #(.Seed(32'h1)) u_lfsr (
    .clk_i  (clk_i),
    .rst_ni (rst_n),
    .step_i (1'b1),
    .state_o(rnd)
  );

  // ---- AXI4-Lite master ----
  logic [1:0]           state_q, state_d;
  logic                 aw_pend_q, aw_pend_d, w_pend_q, w_pend_d, ar_pend_q, ar_pend_d;
  logic [AddrWidth-1:0] addr_q, addr_d;
  logic [31:0]          data_q, data_d;
  logic [AddrWidth-1:0] next_addr;

  // Half of the transfers in the control block (ap_ctrl_hs and the arguments).
  assign next_addr = {rnd[AddrWidth-1:2], 2'b00} & (rnd[1] ? CtlMask : '1);

  logic        start_write;
  logic [31:0] next_data;

  assign start_write = rnd[0];
  assign next_data   = {rnd[15:0], rnd[31:16]};

  always_comb begin
    state_d   = state_q;
    aw_pend_d = aw_pend_q && !awready_i;
    w_pend_d  = w_pend_q && !wready_i;
    ar_pend_d = ar_pend_q && !arready_i;
    addr_d    = addr_q;
    data_d    = data_q;
    case (state_q)
      StIdle: begin
        addr_d = next_addr;
        data_d = next_data;
        if (start_write) begin
          state_d   = StWrite;
          aw_pend_d = 1'b1;
          w_pend_d  = 1'b1;
        end else begin
          state_d   = StRead;
          ar_pend_d = 1'b1;
        end
      end
      StWrite: if (bvalid_i) state_d = StIdle;
      StRead:  if (rvalid_i) state_d = StIdle;
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      state_q   <= StIdle;
      aw_pend_q <= 1'b0;
      w_pend_q  <= 1'b0;
      ar_pend_q <= 1'b0;
      addr_q    <= '0;
      data_q    <= '0;
    end else begin
      state_q   <= state_d;
      aw_pend_q <= aw_pend_d;
      w_pend_q  <= w_pend_d;
      ar_pend_q <= ar_pend_d;
      addr_q    <= addr_d;
      data_q    <= data_d;
    end
  end

  assign awvalid_o = aw_pend_q;
  assign awaddr_o  = addr_q;
  assign wvalid_o  = w_pend_q;
  assign wdata_o   = data_q;
  assign wstrb_o   = 4'hf;
  assign arvalid_o = ar_pend_q;
  assign araddr_o  = addr_q;
  assign bready_o  = 1'b1;
  assign rready_o  = 1'b1;

  // ---- AXI4-Stream source and sink ----
  logic                in_valid_q, in_valid_d, in_last_q, in_last_d;
  logic [InWidth-1:0]  in_data_q, in_data_d;
  logic [InWidth-1:0]  in_data_next;  // 32 new bits shifted in
  logic [31:0]         fresh;         // rnd XOR rnd rotated by 7: no flop here copies an LFSR flop

  assign fresh = rnd ^ {rnd[24:0], rnd[31:25]};

  if (InWidth > 32) begin : g_in_shift
    assign in_data_next = {in_data_q[InWidth-33:0], fresh};
  end else begin : g_in_load
    hlskit_xor_fold #(.InWidth(32), .OutWidth(InWidth)) u_fold (
      .in_i (fresh),
      .out_o(in_data_next)
    );
  end

  logic in_valid_next, in_last_next;

  assign in_valid_next = rnd[8];
  assign in_last_next  = rnd[9];

  always_comb begin
    in_valid_d = in_valid_q;
    in_last_d  = in_last_q;
    in_data_d  = in_data_q;
    if (!in_valid_q || in_tready_i) begin
      in_valid_d = in_valid_next;
      in_last_d  = in_last_next;
      in_data_d  = in_data_next;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      in_valid_q <= 1'b0;
      in_last_q  <= 1'b0;
      in_data_q  <= '0;
    end else begin
      in_valid_q <= in_valid_d;
      in_last_q  <= in_last_d;
      in_data_q  <= in_data_d;
    end
  end

  assign in_tvalid_o  = in_valid_q;
  assign in_tlast_o   = in_last_q;
  assign in_tdata_o   = in_data_q;
  assign out_tready_o = rnd[10] | rnd[11];

  // ---- signature ----
  logic                 out_fire, r_fire, b_fire;
  logic [RespWidth-1:0] resp;

  assign out_fire = out_tvalid_i && out_tready_o;
  assign r_fire   = rvalid_i;  // RREADY is high
  assign b_fire   = bvalid_i;  // BREADY is high
  assign resp = {out_tdata_i & {OutWidth{out_fire}}, out_tlast_i & out_fire, out_fire,
                 rdata_i & {32{r_fire}}, rresp_i & {2{r_fire}}, r_fire,
                 bresp_i & {2{b_fire}}, b_fire, irq_i,
                 awready_i, wready_i, arready_i, in_tready_i};

  hlskit_misr #(.InWidth(RespWidth), .SigWidth(SigWidth)) u_misr (
    .clk_i (clk_i),
    .rst_ni(rst_n),
    .in_i  (resp),
    .sig_o (sig_o)
  );

endmodule
`default_nettype wire
