`default_nettype none
// The SVM classifier (DESIGN.md §5.2) as a Vitis-style kernel; the C++ executable specification
// is hlskit::svm::classify<config<MaxFeatures, MaxSupportVectors, MaxClasses, Lanes, MaxDegree>>
// (hls/kernels/svm/). Any model within the capacity runs once its parameters are loaded.
//
// Streams:
//   in_r   TDATA[Lanes*16-1:0]: feature j (feature_t code) at lane j % Lanes, [16*(j % Lanes) +: 16]
//          of beat j / Lanes; ceil(features / Lanes) beats per vector. Lanes past `features` are
//          ignored. TLAST is ignored (the beat count follows from `features`).
//   out_r  TDATA[63:0], per vector: beat 0 = {class_index in [39:32], label in [31:0]} (other
//          bits 0), then one beat per pair p < classes*(classes-1)/2 (libsvm's order) holding
//          decision[p], the 64-bit sign-extended decision_t code; TLAST on each vector's last beat.
//
// AXI4-Lite (byte offsets):
//   0x00..0x0C  ap_ctrl_hs (hlskit_kernel_shell): control, GIE, IER, ISR
//   0x10 count (vectors per run)   0x14 features      0x18 support_vectors   0x1C classes
//   0x20 kernel (0 linear, 1 polynomial, 2 rbf)       0x24 degree            0x28 gamma (16 bits)
//   0x2C product_frac              0x30 coef0 (kernel_t code, 24 bits)
//   0x100 + 4c class_support_vectors[c]   0x200 + 4c label[c]   0x400 + 8p rho[p] (low, high word)
//   0x10000 + 4*(m*MaxSupportVectors + k) coef[m][k]
//   0x100000 + 4*(k*MaxFeatures + j)      support_vector[k][j]          (svm_param_bank)
// Valid models: 1 <= features <= MaxFeatures, 0 <= support_vectors <= MaxSupportVectors,
// 2 <= classes <= MaxClasses, product_frac - 14 (rbf) or - 16 (others) in 0..62. A model without
// support vectors (libsvm writes them: total_sv 0) has decisions -rho: its vectors skip the
// datapath (the pair accumulators are cleared and final the cycle after the vector is issued),
// so a vector takes max(ceil(features / Lanes), 1 + pairs) cycles: its input or its output beats.
// Requires Lanes a power of two dividing MaxFeatures.
//
// Micro-architecture:
//   in_r -> x buffer (two banks: the next vector loads while this one computes)
//   issue: per SV k, per beat b < ceil(features/Lanes): read Lanes features of SV k (one RAM per
//          lane) and of x -> svm_feature_sum (Lanes multipliers, adder tree, accumulator)
//          -> svm_kernel (gamma, requantize, exp / power) -> svm_pairs (MaxClasses-1 coefficient
//          multipliers, pair accumulators) -> decision = acc - rho -> svm_vote -> out_r
//   One vector is in the datapath at a time: the next one starts issuing the cycle its
//   predecessor's decisions move to the result registers, whose output beats overlap the next
//   vector's computation. Cycles per vector (no back-pressure, output not the bottleneck):
//   support_vectors * ceil(features / Lanes) + Overhead, Overhead = 8 (linear), 12 (rbf: exp's
//   4 stages), 8 + MaxDegree (polynomial: the base stage and MaxDegree-1 multiply stages). The 8:
//   issue start, RAM read, lane products, adder tree + accumulator, gamma product, requantizer,
//   K register, coefficient products; the pair accumulators' final sums move to the result
//   registers in the cycle the next vector starts issuing.
//
// ap_ctrl_hs (hlskit_kernel_shell's counted run; the item is a vector): a run starts when
// ap_start is seen with no run taking input (and may take its first beat in that cycle); ap_ready pulses when
// the run's last vector has been taken in, ap_done when its last output beat is accepted;
// ap_idle: no run taking input and nothing in flight. count = 0: ap_ready and ap_done pulse
// together once the kernel has drained.
module svm_top #(
  parameter int MaxFeatures       = 64,
  parameter int MaxSupportVectors = 1024,
  parameter int MaxClasses        = 8,
  parameter int Lanes             = 8,
  parameter int MaxDegree         = 4,
  parameter     ExpTableFile      = "hlskit_exp2_table.mem",  // $readmemh path (hlskit_exp)
  // Derived; not to be overridden.
  parameter int AddrWidth = $clog2(svm_regs_pkg::SupportVectorBase +
                                   svm_regs_pkg::SupportVectorEntryBytes * MaxSupportVectors * MaxFeatures)
) (
  input  logic                 ap_clk,
  input  logic                 ap_rst_n,  // synchronous, active low

  input  logic                 s_axi_control_AWVALID,
  output logic                 s_axi_control_AWREADY,
  input  logic [AddrWidth-1:0] s_axi_control_AWADDR,
  input  logic                 s_axi_control_WVALID,
  output logic                 s_axi_control_WREADY,
  input  logic [31:0]          s_axi_control_WDATA,
  input  logic [3:0]           s_axi_control_WSTRB,
  input  logic                 s_axi_control_ARVALID,
  output logic                 s_axi_control_ARREADY,
  input  logic [AddrWidth-1:0] s_axi_control_ARADDR,
  output logic                 s_axi_control_RVALID,
  input  logic                 s_axi_control_RREADY,
  output logic [31:0]          s_axi_control_RDATA,
  output logic [1:0]           s_axi_control_RRESP,
  output logic                 s_axi_control_BVALID,
  input  logic                 s_axi_control_BREADY,
  output logic [1:0]           s_axi_control_BRESP,
  // A C++ word too: the Verilated class calls this port `__SYM__interrupt`.
  /* verilator lint_off SYMRSVDWORD */
  output logic                 interrupt,
  /* verilator lint_on SYMRSVDWORD */

  input  logic [Lanes*16-1:0]  in_r_TDATA,
  input  logic                 in_r_TVALID,
  output logic                 in_r_TREADY,
  input  logic                 in_r_TLAST,

  output logic [63:0]          out_r_TDATA,
  output logic                 out_r_TVALID,
  input  logic                 out_r_TREADY,
  output logic                 out_r_TLAST
);

  localparam int Beats         = MaxFeatures / Lanes;       // lane RAM words per SV
  localparam int BeatBits      = (Beats > 1) ? $clog2(Beats) : 1;
  localparam int LaneBits      = (Lanes > 1) ? $clog2(Lanes) : 0;
  localparam int FeatWidth     = $clog2(MaxFeatures + 1);
  localparam int BeatCountWidth = $clog2(Beats + 1);
  localparam int CountWidth    = $clog2(MaxSupportVectors + 1);
  localparam int ClassWidth    = $clog2(MaxClasses + 1);
  localparam int IndexWidth    = $clog2(MaxClasses);
  localparam int MaxPairs      = MaxClasses * (MaxClasses - 1) / 2;
  localparam int PairBits      = (MaxPairs > 1) ? $clog2(MaxPairs) : 1;
  localparam int SvDepth       = MaxSupportVectors * Beats;
  localparam int SvAddrWidth   = (SvDepth > 1) ? $clog2(SvDepth) : 1;
  localparam int CoefAddrWidth = (MaxSupportVectors > 1) ? $clog2(MaxSupportVectors) : 1;
  localparam int SumWidth      = 33 + ((MaxFeatures > 1) ? $clog2(MaxFeatures) : 0);
  localparam int AccWidth      = 42 + ((MaxSupportVectors > 1) ? $clog2(MaxSupportVectors) : 0);
  localparam int DecWidth      = ((AccWidth > 56) ? AccWidth : 56) + 1;
  localparam int NumArgs       = svm_regs_pkg::NumArgs;

  if (Lanes < 1 || (Lanes & (Lanes - 1)) != 0 || MaxFeatures % Lanes != 0 || MaxClasses < 2 ||
      MaxClasses > 64 || MaxDegree < 1 || MaxFeatures > 4096 || MaxSupportVectors > 16384)
  begin : gen_bad_params
    svm_top_error_unsupported_parameters u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Shell: AXI4-Lite, ap_ctrl_hs, the arguments and the run control; the parameter bank's
  // registers and RAM write ports are the kernel's windows (reads answered in the request cycle)
  // ---------------------------------------------------------------------------------------
  logic [NumArgs*32-1:0] args;
  logic [31:0]           bank_rdata;
  logic                  wr_valid, rd_req;
  logic [AddrWidth-3:0]  wr_word, rd_word;
  logic [31:0]           wr_data;
  logic [3:0]            wr_strb;
  logic                  take_ok, item_last, vector_in, out_hs, out_run_end_q, pipe_empty;
  logic                  run_start, run_active;

  hlskit_kernel_shell #(
    .AddrWidth(AddrWidth),
    .NumArgs  (NumArgs)
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
    .args_o            (args),
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
    .item_taken_i      (vector_in),
    .result_delivered_i(out_hs),
    .result_last_i     (out_run_end_q),
    .pipe_empty_i      (pipe_empty)
  );

  logic [31:0]           count, kernel, degree, product_frac;  // count: the shell's
  logic [FeatWidth-1:0]  features;
  logic [CountWidth-1:0] support_vectors;
  logic [ClassWidth-1:0] classes;
  logic [svm_regs_pkg::GammaBits-1:0] gamma;
  logic [svm_regs_pkg::Coef0Bits-1:0] coef0;
  assign count           = args[svm_regs_pkg::CountArg*32 +: 32];
  assign features        = args[svm_regs_pkg::FeaturesArg*32 +: FeatWidth];
  assign support_vectors = args[svm_regs_pkg::SupportVectorsArg*32 +: CountWidth];
  assign classes         = args[svm_regs_pkg::ClassesArg*32 +: ClassWidth];
  assign kernel          = args[svm_regs_pkg::KernelArg*32 +: 32];
  assign degree          = args[svm_regs_pkg::DegreeArg*32 +: 32];
  assign gamma           = args[svm_regs_pkg::GammaArg*32 +: svm_regs_pkg::GammaBits];
  assign product_frac    = args[svm_regs_pkg::ProductFracArg*32 +: 32];
  assign coef0           = args[svm_regs_pkg::Coef0Arg*32 +: svm_regs_pkg::Coef0Bits];

  // Only the bits a valid model can use (the registers read back whole).
  logic unused_args;
  assign unused_args = ^{count, run_start, run_active,
    args[svm_regs_pkg::FeaturesArg*32+FeatWidth +: 32-FeatWidth],
    args[svm_regs_pkg::SupportVectorsArg*32+CountWidth +: 32-CountWidth],
    args[svm_regs_pkg::ClassesArg*32+ClassWidth +: 32-ClassWidth],
    args[svm_regs_pkg::GammaArg*32+svm_regs_pkg::GammaBits +: 32-svm_regs_pkg::GammaBits],
    args[svm_regs_pkg::Coef0Arg*32+svm_regs_pkg::Coef0Bits +: 32-svm_regs_pkg::Coef0Bits]};

  logic [MaxClasses*CountWidth-1:0] class_sv;
  logic [MaxClasses*32-1:0]         label;
  logic [MaxPairs*56-1:0]           rho;
  logic [Lanes-1:0]                 sv_we;
  logic [SvAddrWidth-1:0]           sv_waddr;
  logic [15:0]                      sv_wdata;
  logic [MaxClasses-2:0]            coef_we;
  logic [CoefAddrWidth-1:0]         coef_waddr;
  logic [17:0]                      coef_wdata;

  svm_param_bank #(
    .MaxFeatures      (MaxFeatures),
    .MaxSupportVectors(MaxSupportVectors),
    .MaxClasses       (MaxClasses),
    .Lanes            (Lanes),
    .AddrWidth        (AddrWidth)
  ) u_params (
    .clk_i       (ap_clk),
    .wr_valid_i  (wr_valid),
    .wr_word_i   (wr_word),
    .wr_data_i   (wr_data),
    .wr_strb_i   (wr_strb),
    .rd_word_i   (rd_word),
    .rdata_o     (bank_rdata),
    .class_sv_o  (class_sv),
    .label_o     (label),
    .rho_o       (rho),
    .sv_we_o     (sv_we),
    .sv_waddr_o  (sv_waddr),
    .sv_wdata_o  (sv_wdata),
    .coef_we_o   (coef_we),
    .coef_waddr_o(coef_waddr),
    .coef_wdata_o(coef_wdata)
  );

  // ---------------------------------------------------------------------------------------
  // Input loader: beats are taken while the shell lets the run take input and the write bank is
  // free; an item is a whole vector (its last beat). The shell flags the run's last vector,
  // which travels with it (bank, flight, result) to the run's last output beat.
  // ---------------------------------------------------------------------------------------
  logic [BeatCountWidth-1:0] beats_per_vector;
  assign beats_per_vector = BeatCountWidth'((FeatWidth'(features) + FeatWidth'(Lanes - 1)) >> LaneBits);

  logic [BeatBits-1:0] load_beat_q;
  logic        wr_bank_q, rd_bank_q;
  logic [1:0]  bank_full_q, bank_run_last_q;  // a whole vector in the bank; the run's last
  logic        in_flight_q, issuing_q, flight_run_last_q;
  logic        result_valid_q, out_valid_q;
  logic        in_hs;
  logic [1:0]  bank_set, bank_clear;

  assign pipe_empty  = ~|bank_full_q & ~in_flight_q & ~result_valid_q & ~out_valid_q;
  assign in_r_TREADY = take_ok & ~bank_full_q[wr_bank_q];
  assign in_hs       = in_r_TVALID & in_r_TREADY;
  assign vector_in   = in_hs & (BeatCountWidth'(load_beat_q) == beats_per_vector - 1'b1);

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      load_beat_q <= '0;
      wr_bank_q   <= 1'b0;
    end else if (vector_in) begin
      load_beat_q <= '0;
      wr_bank_q   <= ~wr_bank_q;
    end else if (in_hs) begin
      load_beat_q <= load_beat_q + 1'b1;
    end
  end

  always_ff @(posedge ap_clk) begin
    if (vector_in) begin
      bank_run_last_q[wr_bank_q] <= item_last;
    end
  end

  // x buffer: bank b, beat t at word {b, t}
  logic [Lanes*16-1:0] x_word;
  logic [BeatBits:0]   x_raddr;
  hlskit_ram #(
    .Width(Lanes * 16),
    .Depth(2 << BeatBits)
  ) u_x (
    .clk_i  (ap_clk),
    .we_i   (in_hs),
    .waddr_i({wr_bank_q, load_beat_q}),
    .wdata_i(in_r_TDATA),
    .raddr_i(x_raddr),
    .rdata_o(x_word)
  );

  // ---------------------------------------------------------------------------------------
  // Issue: one beat of one SV per cycle
  // ---------------------------------------------------------------------------------------
  logic                  take, issue_start, beat_last, sv_last, sv_none;
  logic [BeatBits-1:0]   beat_q;
  logic [CountWidth-1:0] sv_q;
  logic [SvAddrWidth-1:0] sv_base_q;
  logic [Lanes-1:0]      lane_mask;

  assign issue_start = (~in_flight_q | take) & bank_full_q[rd_bank_q];
  assign beat_last   = (BeatCountWidth'(beat_q) == beats_per_vector - 1'b1);
  assign sv_last     = (sv_q == support_vectors - 1'b1);
  assign sv_none     = (support_vectors == '0);  // no SVs: the vector is done as soon as it is issued
  assign bank_set    = vector_in ? (2'b01 << wr_bank_q) : 2'b00;
  assign bank_clear  = ((issuing_q & beat_last & sv_last) | (issue_start & sv_none)) ? (2'b01 << rd_bank_q) : 2'b00;
  assign x_raddr     = {rd_bank_q, beat_q};

  for (genvar l = 0; l < Lanes; l++) begin : gen_mask
    logic [FeatWidth+BeatBits:0] feature_index;
    assign feature_index = ((FeatWidth + BeatBits + 1)'(beat_q) << LaneBits) + (FeatWidth + BeatBits + 1)'(l);
    assign lane_mask[l]  = feature_index < (FeatWidth + BeatBits + 1)'(features);
  end

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      bank_full_q <= 2'b00;
      rd_bank_q   <= 1'b0;
      in_flight_q <= 1'b0;
      issuing_q   <= 1'b0;
    end else begin
      bank_full_q <= (bank_full_q | bank_set) & ~bank_clear;
      if (|bank_clear) begin
        rd_bank_q <= ~rd_bank_q;
        issuing_q <= 1'b0;
      end else if (issue_start) begin
        issuing_q <= 1'b1;
      end
      if (issue_start) begin
        in_flight_q <= 1'b1;
      end else if (take) begin
        in_flight_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge ap_clk) begin
    if (issue_start) begin
      beat_q            <= '0;
      sv_q              <= '0;
      sv_base_q         <= '0;
      flight_run_last_q <= bank_run_last_q[rd_bank_q];
    end else if (issuing_q) begin
      beat_q <= beat_last ? '0 : beat_q + 1'b1;
      if (beat_last) begin
        sv_q      <= sv_q + 1'b1;
        sv_base_q <= sv_base_q + SvAddrWidth'(Beats);
      end
    end
  end

  // Lane RAMs: lane l holds feature b*Lanes + l of SV k at word k*Beats + b.
  logic [Lanes*16-1:0]    sv_word;
  logic [SvAddrWidth-1:0] sv_raddr;
  assign sv_raddr = sv_base_q + SvAddrWidth'(beat_q);
  for (genvar l = 0; l < Lanes; l++) begin : gen_sv_lane
    hlskit_ram #(
      .Width(16),
      .Depth(SvDepth)
    ) u_sv (
      .clk_i  (ap_clk),
      .we_i   (sv_we[l]),
      .waddr_i(sv_waddr),
      .wdata_i(sv_wdata),
      .raddr_i(sv_raddr),
      .rdata_o(sv_word[l*16 +: 16])
    );
  end

  // Beat flags, one cycle behind the reads like the RAM outputs.
  logic             beat_valid_q, beat_first_q, beat_last_q;
  logic [Lanes-1:0] beat_mask_q;
  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      beat_valid_q <= 1'b0;
    end else begin
      beat_valid_q <= issuing_q;
    end
  end
  always_ff @(posedge ap_clk) begin
    beat_first_q <= (beat_q == '0);
    beat_last_q  <= beat_last;
    beat_mask_q  <= lane_mask;
  end

  // ---------------------------------------------------------------------------------------
  // Datapath
  // ---------------------------------------------------------------------------------------
  logic                rbf;
  logic                sum_valid, k_valid, pairs_final;
  logic [SumWidth-1:0] sum;
  logic [23:0]         k;
  logic [MaxPairs*DecWidth-1:0] decision;
  logic [MaxPairs-1:0] positive;
  assign rbf = (kernel == 32'd2);

  svm_feature_sum #(
    .MaxFeatures(MaxFeatures),
    .Lanes      (Lanes)
  ) u_feature_sum (
    .clk_i  (ap_clk),
    .rst_ni (ap_rst_n),
    .valid_i(beat_valid_q),
    .first_i(beat_first_q),
    .last_i (beat_last_q),
    .rbf_i  (rbf),
    .mask_i (beat_mask_q),
    .x_i    (x_word),
    .sv_i   (sv_word),
    .valid_o(sum_valid),
    .sum_o  (sum)
  );

  svm_kernel #(
    .SumWidth    (SumWidth),
    .MaxDegree   (MaxDegree),
    .ExpTableFile(ExpTableFile)
  ) u_kernel (
    .clk_i         (ap_clk),
    .rst_ni        (ap_rst_n),
    .kernel_i      (kernel),
    .gamma_i       (gamma),
    .product_frac_i(product_frac),
    .coef0_i       (coef0),
    .degree_i      (degree),
    .valid_i       (sum_valid),
    .sum_i         (sum),
    .valid_o       (k_valid),
    .k_o           (k)
  );

  svm_pairs #(
    .MaxSupportVectors(MaxSupportVectors),
    .MaxClasses       (MaxClasses)
  ) u_pairs (
    .clk_i            (ap_clk),
    .rst_ni           (ap_rst_n),
    .support_vectors_i(support_vectors),
    .classes_i        (classes),
    .class_sv_i       (class_sv),
    .rho_i            (rho),
    .coef_we_i        (coef_we),
    .coef_waddr_i     (coef_waddr),
    .coef_wdata_i     (coef_wdata),
    .clear_i          (issue_start & sv_none),
    .k_valid_i        (k_valid),
    .k_i              (k),
    .final_o          (pairs_final),
    .take_i           (take),
    .decision_o       (decision),
    .positive_o       (positive)
  );

  // ---------------------------------------------------------------------------------------
  // Result registers -> output beats: the class, then the pairs (i, j), j < classes, in order
  // ---------------------------------------------------------------------------------------
  logic                  result_run_last_q, out_class_beat_q, out_last_q;
  logic [IndexWidth-1:0] pair_i_q, pair_j_q;  // j - 1 <= MaxClasses - 2: fits
  logic [PairBits-1:0]   pair_q;              // index of (i, j) among the MaxClasses pairs
  logic [63:0]           out_data_q, beat_data;
  logic [IndexWidth-1:0] best;
  logic                  load, beat_final, row_end;

  svm_vote #(
    .MaxClasses(MaxClasses)
  ) u_vote (
    .classes_i (classes),
    .positive_i(positive),
    .best_o    (best)
  );

  assign row_end    = (ClassWidth'(pair_j_q) == classes - 1'b1);
  assign beat_final = ~out_class_beat_q & row_end & (ClassWidth'(pair_i_q) == classes - ClassWidth'(2));
  assign load       = result_valid_q & (~out_valid_q | out_r_TREADY);
  assign take       = pairs_final & (~result_valid_q | (load & beat_final));
  assign out_hs     = out_valid_q & out_r_TREADY;

  // The beat's pair decision and the winner's label (pair_q < MaxPairs, best < MaxClasses).
  logic [DecWidth-1:0] pair_decision;
  logic [31:0]         best_label;

  hlskit_mux_tree #(
    .NumInputs(MaxPairs),
    .Width    (DecWidth)
  ) u_pair_mux (
    .in_i (decision),
    .sel_i(pair_q),
    .out_o(pair_decision)
  );

  hlskit_mux_tree #(
    .NumInputs(MaxClasses),
    .Width    (32)
  ) u_label_mux (
    .in_i (label),
    .sel_i(best),
    .out_o(best_label)
  );
  assign beat_data = out_class_beat_q ? {24'b0, 8'(best), best_label}
                                      : {{(64 - DecWidth){pair_decision[DecWidth-1]}}, pair_decision};

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      result_valid_q <= 1'b0;
      out_valid_q    <= 1'b0;
    end else begin
      if (take) begin
        result_valid_q <= 1'b1;
      end else if (load && beat_final) begin
        result_valid_q <= 1'b0;
      end
      if (load) begin
        out_valid_q <= 1'b1;
      end else if (out_r_TREADY) begin
        out_valid_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge ap_clk) begin
    if (take) begin
      result_run_last_q <= flight_run_last_q;
      out_class_beat_q  <= 1'b1;
      pair_i_q          <= '0;
      pair_j_q          <= IndexWidth'(1);
      pair_q            <= '0;
    end else if (load) begin
      out_class_beat_q <= 1'b0;
      if (!out_class_beat_q) begin
        if (row_end) begin  // next row: (i + 1, i + 2), skipping the pairs with j >= classes
          pair_i_q <= pair_i_q + 1'b1;
          pair_j_q <= pair_i_q + 2'd2;
          pair_q   <= pair_q + PairBits'(MaxClasses) - PairBits'(classes) + 1'b1;
        end else begin
          pair_j_q <= pair_j_q + 1'b1;
          pair_q   <= pair_q + 1'b1;
        end
      end
    end
    if (load) begin
      out_data_q    <= beat_data;
      out_last_q    <= beat_final;
      out_run_end_q <= beat_final & result_run_last_q;
    end
  end

  assign out_r_TVALID = out_valid_q;
  assign out_r_TDATA  = out_data_q;
  assign out_r_TLAST  = out_last_q;

  logic unused_in;
  assign unused_in = in_r_TLAST;

endmodule
`default_nettype wire
