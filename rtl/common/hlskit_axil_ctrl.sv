`default_nettype none
// AXI4-Lite slave with the Vitis HLS ap_ctrl_hs control register file (DESIGN.md §6).
//
//   0x00 CTRL  bit0 ap_start     R/W1S; cleared by hardware on ap_ready unless auto_restart
//              bit1 ap_done      R/COR; set on ap_done_i
//              bit2 ap_idle      R    ; ap_idle_i
//              bit3 ap_ready     R/COR; set on ap_ready_i
//              bit7 auto_restart R/W
//   0x04 GIE   bit0 global interrupt enable
//   0x08 IER   bit0 done, bit1 ready
//   0x0C ISR   bit0 done, bit1 ready; set on the event when enabled in IER, write 1 toggles
//   0x10 + 4*i argument register i (R/W, byte enables), i < NumArgs
// Unmapped reads return 0, unmapped writes are ignored; all responses are OKAY. Address bits
// [1:0] are ignored (word access). A hardware event wins over a same-cycle clear-on-read or
// toggle, so no event is lost. One write and one read may be outstanding; AW and W are taken
// in any order. All AXI outputs come from registers.
//
// Kernel registers (windows beyond the argument registers) sit on the same port:
//   writes: every write as it is performed (wr_valid_o, one pulse per AW/W pair, any address);
//           the kernel decodes its own addresses.
//   reads:  rd_req_o pulses on every AR handshake (any address, rd_word_o = word address); the
//           kernel answers exactly once with rd_valid_i, in that same cycle (registers: RVALID
//           the next cycle, as for the control registers) or later (a RAM with a registered
//           read), with rd_data_i = 0 at addresses that are not its own. RDATA is the OR of
//           the control registers' word (captured at the AR handshake) and the kernel's.
//           No new read is accepted until the answer came and R was taken.
module hlskit_axil_ctrl #(
  parameter int AddrWidth = 6,
  parameter int NumArgs   = 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,  // synchronous, active low

  // AXI4-Lite slave
  input  logic [AddrWidth-1:0]   s_axi_awaddr_i,
  input  logic                   s_axi_awvalid_i,
  output logic                   s_axi_awready_o,
  input  logic [31:0]            s_axi_wdata_i,
  input  logic [3:0]             s_axi_wstrb_i,
  input  logic                   s_axi_wvalid_i,
  output logic                   s_axi_wready_o,
  output logic [1:0]             s_axi_bresp_o,
  output logic                   s_axi_bvalid_o,
  input  logic                   s_axi_bready_i,
  input  logic [AddrWidth-1:0]   s_axi_araddr_i,
  input  logic                   s_axi_arvalid_i,
  output logic                   s_axi_arready_o,
  output logic [31:0]            s_axi_rdata_o,
  output logic [1:0]             s_axi_rresp_o,
  output logic                   s_axi_rvalid_o,
  input  logic                   s_axi_rready_i,
  output logic                   interrupt_o,

  // Kernel side (ap_ctrl_hs)
  output logic                   ap_start_o,
  input  logic                   ap_done_i,   // pulse
  input  logic                   ap_idle_i,
  input  logic                   ap_ready_i,  // pulse
  output logic [NumArgs*32-1:0]  args_o,

  // Every write as it is performed (one pulse per AW/W pair, any address): a kernel decodes its
  // own registers beyond the argument registers from it.
  output logic                   wr_valid_o,
  output logic [AddrWidth-3:0]   wr_word_o,   // word address
  output logic [31:0]            wr_data_o,
  output logic [3:0]             wr_strb_o,

  // Every read (see above): request at the AR handshake, the kernel's answer now or later.
  output logic                   rd_req_o,
  output logic [AddrWidth-3:0]   rd_word_o,   // word address, valid with rd_req_o
  input  logic                   rd_valid_i,
  input  logic [31:0]            rd_data_i    // 0 unless the address is the kernel's
);

  localparam int WordWidth = AddrWidth - 2;

  // Word indices of the registers (hlskit_ap_ctrl_pkg, generated from rtl/common/ap_ctrl_hs.json).
  localparam int WordCtrl = hlskit_ap_ctrl_pkg::ApCtrlOffset / 4;
  localparam int WordGie  = hlskit_ap_ctrl_pkg::GieOffset / 4;
  localparam int WordIer  = hlskit_ap_ctrl_pkg::IerOffset / 4;
  localparam int WordIsr  = hlskit_ap_ctrl_pkg::IsrOffset / 4;
  localparam int WordArg0 = hlskit_ap_ctrl_pkg::ArgsOffset / 4;

  // The argument registers must be addressable; 32-bit word indices are used below.
  if (NumArgs < 1 || AddrWidth < 3 || AddrWidth > 32 || (WordArg0 + NumArgs) > (1 << WordWidth))
  begin : gen_bad_params
    hlskit_axil_ctrl_error_address_space_too_small u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Write channel: hold AW and W until both are present, then write and respond on B.
  // ---------------------------------------------------------------------------------------
  logic                 aw_full_q, w_full_q, bvalid_q;
  logic [WordWidth-1:0] aw_word_q;
  logic [31:0]          w_data_q;
  logic [3:0]           w_strb_q;
  logic                 aw_hs, w_hs, do_write;
  logic [31:0]          wr_word;

  assign s_axi_awready_o = ~aw_full_q;
  assign s_axi_wready_o  = ~w_full_q;
  assign aw_hs    = s_axi_awvalid_i & ~aw_full_q;
  assign w_hs     = s_axi_wvalid_i & ~w_full_q;
  // Only one response may be pending: a new write waits until B is taken.
  assign do_write = aw_full_q & w_full_q & ~bvalid_q;
  assign wr_word  = {{(32 - WordWidth){1'b0}}, aw_word_q};

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      aw_full_q <= 1'b0;
      w_full_q  <= 1'b0;
      bvalid_q  <= 1'b0;
    end else begin
      if (aw_hs) begin
        aw_full_q <= 1'b1;
      end else if (do_write) begin
        aw_full_q <= 1'b0;
      end
      if (w_hs) begin
        w_full_q <= 1'b1;
      end else if (do_write) begin
        w_full_q <= 1'b0;
      end
      if (do_write) begin
        bvalid_q <= 1'b1;
      end else if (s_axi_bready_i) begin
        bvalid_q <= 1'b0;
      end
    end
  end

  // Payload registers need no reset.
  always_ff @(posedge clk_i) begin
    if (aw_hs) begin
      aw_word_q <= s_axi_awaddr_i[AddrWidth-1:2];
    end
    if (w_hs) begin
      w_data_q <= s_axi_wdata_i;
      w_strb_q <= s_axi_wstrb_i;
    end
  end

  assign s_axi_bvalid_o = bvalid_q;
  assign s_axi_bresp_o  = 2'b00;

  assign wr_valid_o = do_write;
  assign wr_word_o  = aw_word_q;
  assign wr_data_o  = w_data_q;
  assign wr_strb_o  = w_strb_q;

  // ---------------------------------------------------------------------------------------
  // Read channel: capture the control word on the AR handshake and the kernel's word when it
  // answers; hold the data until R is taken.
  // ---------------------------------------------------------------------------------------
  logic        rvalid_q, rd_wait_q;  // R pending; waiting for the kernel's answer
  logic [31:0] rdata_q, rdata_d;
  logic        ar_hs, rd_answer;
  logic [31:0] rd_word;

  assign s_axi_arready_o = ~rvalid_q & ~rd_wait_q;
  assign ar_hs     = s_axi_arvalid_i & s_axi_arready_o;
  assign rd_answer = (ar_hs | rd_wait_q) & rd_valid_i;
  assign rd_word   = {{(32 - WordWidth){1'b0}}, s_axi_araddr_i[AddrWidth-1:2]};

  assign rd_req_o  = ar_hs;
  assign rd_word_o = s_axi_araddr_i[AddrWidth-1:2];

  // ---------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------
  logic                  ap_start_q, ap_done_q, ap_ready_q, auto_restart_q;
  logic                  gie_q;
  logic [1:0]            ier_q, isr_q;
  logic [NumArgs*32-1:0] args_q;
  logic                  wr_ctrl, wr_gie, wr_ier, wr_isr, rd_ctrl;

  assign wr_ctrl = do_write & (wr_word == WordCtrl) & w_strb_q[0];
  assign wr_gie  = do_write & (wr_word == WordGie) & w_strb_q[0];
  assign wr_ier  = do_write & (wr_word == WordIer) & w_strb_q[0];
  assign wr_isr  = do_write & (wr_word == WordIsr) & w_strb_q[0];
  assign rd_ctrl = ar_hs & (rd_word == WordCtrl);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ap_start_q     <= 1'b0;
      ap_done_q      <= 1'b0;
      ap_ready_q     <= 1'b0;
      auto_restart_q <= 1'b0;
      gie_q          <= 1'b0;
      ier_q          <= 2'b00;
      isr_q          <= 2'b00;
    end else begin
      // A host start request wins over the kernel's ready (the host asked for another run).
      if (wr_ctrl && w_data_q[0]) begin
        ap_start_q <= 1'b1;
      end else if (ap_ready_i) begin
        ap_start_q <= auto_restart_q;
      end
      if (wr_ctrl) begin
        auto_restart_q <= w_data_q[7];
      end

      if (ap_done_i) begin
        ap_done_q <= 1'b1;
      end else if (rd_ctrl) begin
        ap_done_q <= 1'b0;
      end
      if (ap_ready_i) begin
        ap_ready_q <= 1'b1;
      end else if (rd_ctrl) begin
        ap_ready_q <= 1'b0;
      end

      if (wr_gie) begin
        gie_q <= w_data_q[0];
      end
      if (wr_ier) begin
        ier_q <= w_data_q[1:0];
      end

      if (ier_q[0] && ap_done_i) begin
        isr_q[0] <= 1'b1;
      end else if (wr_isr) begin
        isr_q[0] <= isr_q[0] ^ w_data_q[0];
      end
      if (ier_q[1] && ap_ready_i) begin
        isr_q[1] <= 1'b1;
      end else if (wr_isr) begin
        isr_q[1] <= isr_q[1] ^ w_data_q[1];
      end
    end
  end

  // Arguments: byte-enabled writes.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      args_q <= '0;
    end else if (do_write) begin
      for (int i = 0; i < NumArgs; i++) begin
        if (wr_word == WordArg0 + i) begin
          for (int b = 0; b < 4; b++) begin
            if (w_strb_q[b]) begin
              args_q[i*32 + b*8 +: 8] <= w_data_q[b*8 +: 8];
            end
          end
        end
      end
    end
  end

  // Read multiplexer.
  always_comb begin
    rdata_d = 32'h0;
    case (rd_word)
      WordCtrl: rdata_d = {24'h0, auto_restart_q, 3'b000, ap_ready_q, ap_idle_i, ap_done_q,
                           ap_start_q};
      WordGie:  rdata_d = {31'h0, gie_q};
      WordIer:  rdata_d = {30'h0, ier_q};
      WordIsr:  rdata_d = {30'h0, isr_q};
      default: begin
        for (int i = 0; i < NumArgs; i++) begin
          if (rd_word == WordArg0 + i) begin
            rdata_d = args_q[i*32 +: 32];
          end
        end
      end
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      rvalid_q  <= 1'b0;
      rd_wait_q <= 1'b0;
    end else begin
      if (rd_answer) begin
        rvalid_q <= 1'b1;
      end else if (s_axi_rready_i) begin
        rvalid_q <= 1'b0;
      end
      if (ar_hs && !rd_valid_i) begin
        rd_wait_q <= 1'b1;
      end else if (rd_valid_i) begin
        rd_wait_q <= 1'b0;
      end
    end
  end

  // The kernel reads 0 at the control registers' addresses and they read 0 at its own.
  always_ff @(posedge clk_i) begin
    if (ar_hs) begin
      rdata_q <= rdata_d | (rd_valid_i ? rd_data_i : 32'h0);
    end else if (rd_wait_q && rd_valid_i) begin
      rdata_q <= rdata_q | rd_data_i;
    end
  end

  assign s_axi_rvalid_o = rvalid_q;
  assign s_axi_rdata_o  = rdata_q;
  assign s_axi_rresp_o  = 2'b00;

  assign ap_start_o  = ap_start_q;
  assign args_o      = args_q;
  assign interrupt_o = gie_q & (|isr_q);

  // Byte-lane address bits are ignored (word registers).
  logic unused_addr;
  assign unused_addr = ^{s_axi_awaddr_i[1:0], s_axi_araddr_i[1:0]};

endmodule
`default_nettype wire
