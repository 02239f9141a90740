`default_nettype none
// The ECON-T encoder (DESIGN.md §5.1) as a Vitis-style kernel; the C++ executable specification
// is hlskit::autoencoder::encode<config<ReuseFactor, ...>> (hls/kernels/autoencoder/). One image
// per input beat, 16 latents per output beat:
//   in_r_TDATA[511:0]  pixel (row, col), raw ufixed<8,1>, at [8*(row*8 + col) +: 8]
//   out_r_TDATA[143:0] latent k, raw ufixed<9,0>, at [9*k +: 9]; TLAST on the last image of a run
// Input TLAST is ignored (the run length is `count`).
//
// AXI4-Lite (14-bit addresses), through hlskit_kernel_shell:
//   0x00..0x0C  ap_ctrl_hs: control, GIE, IER, ISR
//   0x10        count: images per run
//   0x1000+4*i  parameter i, i < 2144, raw fixed<6,1> code in bits [5:0]
//               (autoencoder_param_bank: the kernel's window, read back combinationally)
//
// Micro-architecture (II = ReuseFactor = R cycles, 1152/R + 2048/R multipliers):
//   in_r -> img_q --stage 1: conv step t--> chunk_q --stage 2: dense step t--> output buffer
//   Stage 1 holds an image for R cycles; step t computes conv outputs t*128/R .. (t+1)*128/R-1
//   (flatten order) on 1152/R multipliers. Stage 2 consumes each chunk the cycle after it was
//   made (steps in lockstep, one cycle behind), adding its 128/R inputs' contribution to all
//   16 running sums (acc_q) on 2048/R multipliers; the last step's sums go through ReLU and
//   requantize into the output buffer. Stage 2 finishes image n while stage 1 starts image
//   n+1, so a new image is taken every R cycles.
//   Latency: an image accepted in cycle c is offered on out_r in cycle c + R + 2.
//   Output buffer: two entries (head register + skid), so out_r_TREADY reaches no other
//   handshake combinationally: in_r_TREADY and out_r_TVALID depend on registers only.
//   Back-pressure holds stage 2 at its last step (and stage 1 behind it) until the buffer has
//   room; nothing is dropped or repeated.
//
// ap_ctrl_hs (hlskit_kernel_shell's counted run; the item is an image): a run starts when
// ap_start is seen with no run taking input, and may take its first image in that same cycle. ap_ready pulses when the run's last image is accepted,
// ap_done when its last result is accepted; ap_idle: no run taking input and the pipeline
// empty. With auto_restart the next run starts the cycle after ap_ready, which is also the
// earliest cycle a next image could enter stage 1: runs follow each other without a bubble
// (II = R across run boundaries, also for R = 1).
// count = 0: the run takes no image; once the pipeline has drained, ap_ready and ap_done pulse
// together in the cycle the start is accepted.
module autoencoder_top #(
  parameter int ReuseFactor = 8,  // the `fpga` config; 1 = `econt`. Must divide 128.
  parameter int ConvQMode   = 0,  // conv output quantization (hlskit_requantize encodings):
  parameter int ConvOMode   = 0,  //   rnd, sat as in the paper
  parameter int DenseQMode  = 0,  // latent quantization
  parameter int DenseOMode  = 0
) (
  input  logic         ap_clk,
  input  logic         ap_rst_n,  // synchronous, active low

  input  logic         s_axi_control_AWVALID,
  output logic         s_axi_control_AWREADY,
  input  logic [13:0]  s_axi_control_AWADDR,
  input  logic         s_axi_control_WVALID,
  output logic         s_axi_control_WREADY,
  input  logic [31:0]  s_axi_control_WDATA,
  input  logic [3:0]   s_axi_control_WSTRB,
  input  logic         s_axi_control_ARVALID,
  output logic         s_axi_control_ARREADY,
  input  logic [13:0]  s_axi_control_ARADDR,
  output logic         s_axi_control_RVALID,
  input  logic         s_axi_control_RREADY,
  output logic [31:0]  s_axi_control_RDATA,
  output logic [1:0]   s_axi_control_RRESP,
  output logic         s_axi_control_BVALID,
  input  logic         s_axi_control_BREADY,
  output logic [1:0]   s_axi_control_BRESP,
  // The vendor name is also a C++ word: Verilator names this port `__SYM__interrupt` in the
  // generated model class (the SystemVerilog name is unchanged).
  /* verilator lint_off SYMRSVDWORD */
  output logic         interrupt,
  /* verilator lint_on SYMRSVDWORD */

  input  logic [511:0] in_r_TDATA,
  input  logic         in_r_TVALID,
  output logic         in_r_TREADY,
  input  logic         in_r_TLAST,

  output logic [143:0] out_r_TDATA,
  output logic         out_r_TVALID,
  input  logic         out_r_TREADY,
  output logic         out_r_TLAST
);

  localparam int R         = ReuseFactor;
  localparam int Slots     = autoencoder_pkg::Flat / R;
  localparam int StepWidth = (R > 1) ? $clog2(R) : 1;
  localparam int PW        = autoencoder_pkg::PixelWidth;
  localparam int WW        = autoencoder_pkg::ParamWidth;
  localparam int AW        = autoencoder_pkg::DenseAccWidth;
  localparam int No        = autoencoder_pkg::Latent;
  localparam int ImgWidth  = autoencoder_pkg::Pixels * PW;               // 512
  localparam int ResWidth  = No * autoencoder_pkg::LatentWidth;          // 144
  localparam int AccWidth  = No * AW;
  localparam logic [StepWidth-1:0] LastStep = StepWidth'(R - 1);

  if (R < 1 || R > 128 || (R & (R - 1)) != 0) begin : gen_bad_reuse
    autoencoder_top_error_reuse_factor_must_be_a_power_of_two_up_to_128 u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Pipeline state
  // ---------------------------------------------------------------------------------------
  logic                 s1_valid_q, s1_last_q;   // stage 1: image in img_q, at step s1_step_q
  logic [StepWidth-1:0] s1_step_q;
  logic [ImgWidth-1:0]  img_q;
  logic                 s2_valid_q, s2_last_q;   // stage 2: chunk s2_step_q in chunk_q
  logic [StepWidth-1:0] s2_step_q;
  logic [Slots*PW-1:0]  chunk_q;
  logic                 out_valid_q, out_last_q;    // output buffer head (drives out_r)
  logic [ResWidth-1:0]  out_data_q;
  logic                 skid_valid_q, skid_last_q;  // output buffer second entry (older first)
  logic [ResWidth-1:0]  skid_data_q;

  logic                 s1_final, s2_final, push_ok, s2_fire, s2_free, s1_fire, s1_free;
  logic                 push, head_free;
  logic [Slots*PW-1:0]  chunk_d;
  logic [AccWidth-1:0]  acc, sum;
  logic [ResWidth-1:0]  latent;

  // Stage handshakes, all from registers: the buffer takes a result while its skid is empty;
  // stage 2 advances unless its last step cannot push; stage 1 advances when stage 2 frees
  // chunk_q (for R > 1, stage 2 is then at a step < R-1 whenever stage 1 is at step > 0, so
  // only a stage-1 step 0 can wait).
  assign s1_final  = (s1_step_q == LastStep);
  assign s2_final  = (s2_step_q == LastStep);
  assign push_ok   = ~skid_valid_q;
  assign s2_fire   = s2_valid_q & (~s2_final | push_ok);
  assign s2_free   = ~s2_valid_q | s2_fire;
  assign s1_fire   = s1_valid_q & s2_free;
  assign s1_free   = ~s1_valid_q | (s1_fire & s1_final);
  assign push      = s2_fire & s2_final;
  assign out_hs    = out_valid_q & out_r_TREADY;
  assign head_free = ~out_valid_q | out_r_TREADY;
  assign pipe_empty = ~s1_valid_q & ~s2_valid_q & ~out_valid_q & ~skid_valid_q;

  // ---------------------------------------------------------------------------------------
  // Shell: AXI4-Lite, ap_ctrl_hs, `count` and the run control; the parameter bank is the
  // kernel's window (register reads: answered in the request cycle)
  // ---------------------------------------------------------------------------------------
  localparam int          AddrWidth = 14;
  localparam logic [31:0] ParamBase = autoencoder_regs_pkg::ParamsBase;

  logic                 wr_valid, rd_req;
  logic [AddrWidth-3:0] wr_word, rd_word;
  logic [31:0]          wr_data, bank_rdata;
  logic [3:0]           wr_strb;
  logic [31:0]          count;  // read by the shell only
  logic                 take_ok, item_last, in_hs, out_hs, pipe_empty;
  logic                 run_start, run_active;
  logic [autoencoder_pkg::NumParams*WW-1:0] params;  // parameter i at [i*6 +: 6]

  hlskit_kernel_shell #(
    .AddrWidth(AddrWidth),
    .NumArgs  (autoencoder_regs_pkg::NumArgs)
  ) u_shell (
    .clk_i             (ap_clk),
    .rst_ni            (ap_rst_n),
    .s_axi_awaddr_i    (s_axi_control_AWADDR),
    .s_axi_awvalid_i   (s_axi_control_AWVALID),
    .s_axi_awready_o   (s_axi_control_AWREADY),
    .s_axi_wdata_i     (s_axi_control_WDATA),
    .s_axi_wstrb_i     (s_axi_control_WSTRB),
    .s_axi_wvalid_i    (s_axi_control_WVALID),
    .s_axi_wready_o    (s_axi_control_WREADY),
    .s_axi_bresp_o     (s_axi_control_BRESP),
    .s_axi_bvalid_o    (s_axi_control_BVALID),
    .s_axi_bready_i    (s_axi_control_BREADY),
    .s_axi_araddr_i    (s_axi_control_ARADDR),
    .s_axi_arvalid_i   (s_axi_control_ARVALID),
    .s_axi_arready_o   (s_axi_control_ARREADY),
    .s_axi_rdata_o     (s_axi_control_RDATA),
    .s_axi_rresp_o     (s_axi_control_RRESP),
    .s_axi_rvalid_o    (s_axi_control_RVALID),
    .s_axi_rready_i    (s_axi_control_RREADY),
    .interrupt_o       (interrupt),
    .args_o            (count),
    .wr_valid_o        (wr_valid),
    .wr_word_o         (wr_word),
    .wr_data_o         (wr_data),
    .wr_strb_o         (wr_strb),
    .rd_req_o          (rd_req),
    .rd_word_o         (rd_word),
    .rd_valid_i        (rd_req),
    .rd_data_i         (bank_rdata),
    .run_start_o       (run_start),
    .run_active_o      (run_active),
    .take_ok_o         (take_ok),
    .item_last_o       (item_last),
    .item_taken_i      (in_hs),
    .result_delivered_i(out_hs),
    .result_last_i     (out_last_q),
    .pipe_empty_i      (pipe_empty)
  );

  autoencoder_param_bank #(
    .AddrWidth(AddrWidth),
    .BaseAddr (ParamBase)
  ) u_params (
    .clk_i     (ap_clk),
    .wr_valid_i(wr_valid),
    .wr_word_i (wr_word),
    .wr_data_i (wr_data),
    .wr_strb_i (wr_strb),
    .rd_word_i (rd_word),
    .rdata_o   (bank_rdata),
    .params_o  (params)
  );

  // The datapath needs no more than the shell's take permission; count is the shell's.
  logic unused_ctrl;
  assign unused_ctrl = ^{count, run_start, run_active};

  // ---------------------------------------------------------------------------------------
  // Input: an image is taken while the shell lets the run take input (also in the cycle the
  // run starts) and stage 1 is free; the shell flags the run's last image, which travels with
  // it to out_r_TLAST.
  // ---------------------------------------------------------------------------------------
  assign in_r_TREADY = take_ok & s1_free;
  assign in_hs       = in_r_TVALID & in_r_TREADY;

  // ---------------------------------------------------------------------------------------
  // Stage 1: conv, one step per cycle over the held image
  // ---------------------------------------------------------------------------------------
  autoencoder_conv #(
    .ReuseFactor(R),
    .QMode      (ConvQMode),
    .OMode      (ConvOMode)
  ) u_conv (
    .image_i (img_q),
    .weight_i(params[autoencoder_pkg::ConvWeightBase*WW +: autoencoder_pkg::Taps*autoencoder_pkg::Filters*WW]),
    .bias_i  (params[autoencoder_pkg::ConvBiasBase*WW +: autoencoder_pkg::Filters*WW]),
    .step_i  (s1_step_q),
    .out_o   (chunk_d)
  );

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      s1_valid_q <= 1'b0;
      s1_step_q  <= '0;
    end else if (in_hs) begin
      s1_valid_q <= 1'b1;
      s1_step_q  <= '0;
    end else if (s1_fire) begin
      s1_valid_q <= ~s1_final;
      s1_step_q  <= s1_final ? '0 : s1_step_q + 1'b1;
    end
  end

  // Payload registers need no reset.
  always_ff @(posedge ap_clk) begin
    if (in_hs) begin
      img_q     <= in_r_TDATA;
      s1_last_q <= item_last;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: dense, one step per cycle on the chunk stage 1 made the cycle before
  // ---------------------------------------------------------------------------------------
  autoencoder_dense #(
    .ReuseFactor(R),
    .QMode      (DenseQMode),
    .OMode      (DenseOMode)
  ) u_dense (
    .in_i    (chunk_q),
    .weight_i(params[autoencoder_pkg::DenseWeightBase*WW +: autoencoder_pkg::Flat*No*WW]),
    .bias_i  (params[autoencoder_pkg::DenseBiasBase*WW +: No*WW]),
    .step_i  (s2_step_q),
    .acc_i   (acc),
    .sum_o   (sum),
    .latent_o(latent)
  );

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      s2_valid_q <= 1'b0;
    end else if (s1_fire) begin
      s2_valid_q <= 1'b1;
    end else if (s2_fire) begin
      s2_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge ap_clk) begin
    if (s1_fire) begin
      chunk_q   <= chunk_d;
      s2_step_q <= s1_step_q;
      s2_last_q <= s1_last_q;
    end
  end

  // Running sums between steps (none for R = 1).
  if (R > 1) begin : gen_acc
    logic [AccWidth-1:0] acc_q;
    always_ff @(posedge ap_clk) begin
      if (s2_fire && !s2_final) begin
        acc_q <= sum;
      end
    end
    assign acc = acc_q;
  end else begin : gen_no_acc
    assign acc = '0;
    logic unused_sum;  // one step: the final sums go straight to the output buffer
    assign unused_sum = ^sum;
  end

  // ---------------------------------------------------------------------------------------
  // Output buffer: head + skid. The head loads the skid (older) or the new result when it is
  // free; a result pushed while the head is held goes to the skid.
  // ---------------------------------------------------------------------------------------
  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      out_valid_q  <= 1'b0;
      skid_valid_q <= 1'b0;
    end else if (head_free) begin
      out_valid_q  <= skid_valid_q | push;
      skid_valid_q <= 1'b0;  // push_ok is low while the skid is full: nothing else arrives
    end else if (push) begin
      skid_valid_q <= 1'b1;
    end
  end

  always_ff @(posedge ap_clk) begin
    if (head_free && skid_valid_q) begin
      out_data_q <= skid_data_q;
      out_last_q <= skid_last_q;
    end else if (head_free && push) begin
      out_data_q <= latent;
      out_last_q <= s2_last_q;
    end
    if (!head_free && push) begin
      skid_data_q <= latent;
      skid_last_q <= s2_last_q;
    end
  end

  assign out_r_TVALID = out_valid_q;
  assign out_r_TDATA  = out_data_q;
  assign out_r_TLAST  = out_last_q;

  // Input TLAST is ignored (the run length is `count`).
  logic unused_in;
  assign unused_in = in_r_TLAST;

endmodule
`default_nettype wire
