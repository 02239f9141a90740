`default_nettype none
// The FlightLLM sparse DSP-chain matrix engine (docs/kernels/sparse_llm.md, normative) as a
// Vitis-style kernel: y[b][r] = requant(sum_k W[r][k] x[b][k], m[r], s) for N:M block-sparse
// INT8 / INT4 weights streamed on w, INT8 activation vectors on in_r, INT8 outputs on out_r.
//
// Streams (spec §4):
//   in_r   TDATA[127:0]: one activation vector per item, K/16 beats; TLAST ignored.
//   w      TDATA[Chains*224-1:0]: the packed matrix once per batch, row group by row group, T
//          beats per group; chain c's lane at [224 c +: 224]; TLAST ignored.
//   out_r  TDATA[127:0]: one output vector per item, R/16 beats; TLAST on each item's last beat.
// AXI4-Lite (hlskit_kernel_shell; offsets from sparse_llm_regs_pkg): 0x00..0x0C ap_ctrl_hs,
//   0x10 count, 0x14 rows, 0x18 cols, 0x1C sparsity (N), 0x20 block (M), 0x24 precision,
//   0x28 scale_shift. They must not change while a run is in progress.
//
// Run schedule (spec §6), per batch of b = min(MaxBatch, remaining) vectors, strictly in sequence:
//   load     in_r_TREADY while the shell lets the run take input: b K/16 beats into the
//            activation buffer (8 banks of 128 bits: activation word i of vector v in bank i % 8,
//            word {v, i / 8}), one beat per cycle.
//   compute  the issue stage walks the groups g (rows base rb = g G_r), beats t < T, vectors
//            v < b; w_TREADY when v = 0 (a beat is taken into w_q and applied to the b vectors
//            in b consecutive cycles: one w beat per b cycles, no bubble between beats or
//            groups). Per item (t, v): read buffer row {v, (t S M) / 128} (cycle I), select each
//            slot's block word (shared by the chains), mask padding blocks and unused slots
//            (cycle X), the chains (sparse_llm_chain, latency Slices + 2), then the
//            accumulators (one per chain, row half and vector; the group's first beat loads
//            them: stage A), and on the group's last beat the final sums go through the
//            requantizer (F: p = acc m, P: round / saturate, Y: write the output buffer), which
//            overlaps the next group's beats.
//   drain    once the last item has been written, b R/16 beats from the output buffer (16 lane
//            RAMs of bytes: output r of vector v in lane r % 16, word {v, r / 16}); the next
//            batch loads after the last beat is accepted.
// Cycles (streams never stalled; tests in rtl/tb/): see the report in docs/kernels/sparse_llm.md
// §6 (hlskit::sparse_llm::run_cycles).
//
// ap_ctrl_hs (hlskit_kernel_shell's counted run; the item is an activation vector): a run starts
// when ap_start is seen with no run taking input and may take its first beat in that cycle;
// ap_ready pulses when its last vector is taken, ap_done when its last out_r beat is accepted;
// ap_idle: no run taking input and the engine back in the load phase with nothing loaded.
// count = 0: ap_ready and ap_done pulse together once the engine is idle.
module sparse_llm_top #(
  parameter int Chains   = 2,
  parameter int Slices   = 16,
  parameter int MaxCols  = 256,
  parameter int MaxRows  = 64,
  parameter int MaxBatch = 4,
  // Derived; not to be overridden.
  parameter int AddrWidth = $clog2(hlskit_ap_ctrl_pkg::ArgsOffset + 4 * sparse_llm_regs_pkg::NumArgs)
) (
  input  logic                  ap_clk,
  input  logic                  ap_rst_n,  // synchronous, active low

  input  logic                  s_axi_control_AWVALID,
  output logic                  s_axi_control_AWREADY,
  input  logic [AddrWidth-1:0]  s_axi_control_AWADDR,
  input  logic                  s_axi_control_WVALID,
  output logic                  s_axi_control_WREADY,
  input  logic [31:0]           s_axi_control_WDATA,
  input  logic [3:0]            s_axi_control_WSTRB,
  input  logic                  s_axi_control_ARVALID,
  output logic                  s_axi_control_ARREADY,
  input  logic [AddrWidth-1:0]  s_axi_control_ARADDR,
  output logic                  s_axi_control_RVALID,
  input  logic                  s_axi_control_RREADY,
  output logic [31:0]           s_axi_control_RDATA,
  output logic [1:0]            s_axi_control_RRESP,
  output logic                  s_axi_control_BVALID,
  input  logic                  s_axi_control_BREADY,
  output logic [1:0]            s_axi_control_BRESP,
  // A C++ word too: the Verilated class calls this port `__SYM__interrupt`.
  /* verilator lint_off SYMRSVDWORD */
  output logic                  interrupt,
  /* verilator lint_on SYMRSVDWORD */

  input  logic [127:0]          in_r_TDATA,
  input  logic                  in_r_TVALID,
  output logic                  in_r_TREADY,
  input  logic                  in_r_TLAST,

  input  logic [Chains*224-1:0] w_TDATA,
  input  logic                  w_TVALID,
  output logic                  w_TREADY,
  input  logic                  w_TLAST,

  output logic [127:0]          out_r_TDATA,
  output logic                  out_r_TVALID,
  input  logic                  out_r_TREADY,
  output logic                  out_r_TLAST
);

  localparam int NumArgs     = sparse_llm_regs_pkg::NumArgs;
  localparam int LaneBits    = 224;
  localparam int Latency     = Slices + 2;                        // sparse_llm_chain
  localparam int KBeatWidth  = $clog2(MaxCols / 16 + 1);          // K / 16
  localparam int RBeatWidth  = $clog2(MaxRows / 16 + 1);          // R / 16
  localparam int ColWidth    = $clog2(MaxCols + 1);
  localparam int RowWidth    = $clog2(MaxRows + 1);
  localparam int BeatWidth   = $clog2(MaxCols / 4 + 1);           // T <= K / 4
  localparam int PosWidth    = $clog2(MaxCols + 256);             // t S M < K + S M
  localparam int VecBits     = (MaxBatch > 1) ? $clog2(MaxBatch) : 1;
  localparam int ActRows     = (MaxCols + 127) / 128;             // 1024-bit rows per vector
  localparam int RowBits     = (ActRows > 1) ? $clog2(ActRows) : 1;
  localparam int ActAddrBits = VecBits + RowBits;
  localparam int OutWords    = MaxRows / 16;
  localparam int QBits       = (OutWords > 1) ? $clog2(OutWords) : 1;
  localparam int OutAddrBits = VecBits + QBits;
  localparam int ScaleBits   = 32 * Chains;
  // Control of an item from cycle X to stage A: v, first, last, rows base, final, the scales.
  localparam int CtlWidth    = VecBits + 3 + RowWidth + ScaleBits;

  if (Slices != 16 || (Chains != 1 && Chains != 2 && Chains != 4 && Chains != 8) ||
      MaxCols < 16 || MaxCols % 16 != 0 || MaxRows < 16 || MaxRows % 16 != 0 || MaxBatch < 1)
  begin : gen_bad_params
    sparse_llm_top_error_unsupported_parameters u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Shell: AXI4-Lite, ap_ctrl_hs, the arguments and the run control (no windows)
  // ---------------------------------------------------------------------------------------
  logic [NumArgs*32-1:0] args;
  logic                  wr_valid, rd_req;
  logic [AddrWidth-3:0]  wr_word, rd_word;
  logic [31:0]           wr_data;
  logic [3:0]            wr_strb;
  logic                  take_ok, item_last, vector_end, out_hs, result_last, pipe_empty;
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
    .rd_data_i         (32'b0),
    .run_start_o       (run_start),
    .run_active_o      (run_active),
    .take_ok_o         (take_ok),
    .item_last_o       (item_last),
    .item_taken_i      (vector_end),
    .result_delivered_i(out_hs),
    .result_last_i     (result_last),
    .pipe_empty_i      (pipe_empty)
  );

  logic [RowWidth-1:0] rows;
  logic [ColWidth-1:0] cols;
  logic [sparse_llm_regs_pkg::SparsityBits-1:0]   sparsity;
  logic [sparse_llm_regs_pkg::BlockBits-1:0]      block;
  logic [sparse_llm_regs_pkg::PrecisionBits-1:0]  precision;
  logic [sparse_llm_regs_pkg::ScaleShiftBits-1:0] scale_shift;
  assign rows        = args[sparse_llm_regs_pkg::RowsArg*32 +: RowWidth];
  assign cols        = args[sparse_llm_regs_pkg::ColsArg*32 +: ColWidth];
  assign sparsity    = args[sparse_llm_regs_pkg::SparsityArg*32 +: sparse_llm_regs_pkg::SparsityBits];
  assign block       = args[sparse_llm_regs_pkg::BlockArg*32 +: sparse_llm_regs_pkg::BlockBits];
  assign precision   = args[sparse_llm_regs_pkg::PrecisionArg*32 +: sparse_llm_regs_pkg::PrecisionBits];
  assign scale_shift = args[sparse_llm_regs_pkg::ScaleShiftArg*32 +: sparse_llm_regs_pkg::ScaleShiftBits];

  // Only the bits a valid shape can use (the registers read back whole); no kernel windows.
  logic unused_args;
  assign unused_args = ^{args[sparse_llm_regs_pkg::CountArg*32 +: 32], run_start, run_active,
    args[sparse_llm_regs_pkg::RowsArg*32+RowWidth +: 32-RowWidth],
    args[sparse_llm_regs_pkg::ColsArg*32+ColWidth +: 32-ColWidth],
    args[sparse_llm_regs_pkg::SparsityArg*32+sparse_llm_regs_pkg::SparsityBits +: 32-sparse_llm_regs_pkg::SparsityBits],
    args[sparse_llm_regs_pkg::BlockArg*32+sparse_llm_regs_pkg::BlockBits +: 32-sparse_llm_regs_pkg::BlockBits],
    args[sparse_llm_regs_pkg::PrecisionArg*32+sparse_llm_regs_pkg::PrecisionBits +: 32-sparse_llm_regs_pkg::PrecisionBits],
    args[sparse_llm_regs_pkg::ScaleShiftArg*32+sparse_llm_regs_pkg::ScaleShiftBits +: 32-sparse_llm_regs_pkg::ScaleShiftBits],
    wr_valid, wr_word, wr_data, wr_strb, rd_word, in_r_TLAST, w_TLAST, beats_d[ColWidth:BeatWidth]};

  // ---------------------------------------------------------------------------------------
  // Shape-derived constants, registered every cycle (the arguments are static during a run)
  // ---------------------------------------------------------------------------------------
  logic [KBeatWidth-1:0] k_beats_q;     // K / 16
  logic [RBeatWidth-1:0] r_beats_q;     // R / 16
  logic                  dense_q, packed_q, int4_q;
  logic [2:0]            block_log_q;   // log2 M
  logic [1:0]            sub_log_q;     // log2 S, S = floor(16 / N)
  logic [ColWidth-1:0]   blocks_q;      // K / M
  logic [BeatWidth-1:0]  beats_q;       // T = ceil((K / M) / S)
  logic [4:0]            group_rows_q;  // G_r: 2 Chains when packed, else Chains
  logic [RowWidth-1:0]   last_base_q;   // R - G_r: the last group's first row
  logic [5:0]            shift_q;
  logic [Slices*4-1:0]   slot_chain_q;  // per slot: its sub-chain j = floor(s / N)
  logic [Slices-1:0]     slot_unused_q; // per slot: s >= S N (value 0, index 0)
  logic [Slices-1:0]     cut_q;         // per slot: s = j N, j > 0 (a reduction point)

  logic                  dense_d, packed_d;
  logic [2:0]            block_log_d;
  logic [1:0]            sub_log_d;
  logic [ColWidth-1:0]   blocks_d;
  logic [ColWidth:0]     beats_d;
  logic [4:0]            group_rows_d;
  logic [5:0]            kept_slots_d;  // S N
  logic [Slices*4-1:0]   slot_chain_d;
  logic [Slices-1:0]     slot_unused_d, cut_d;

  always_comb begin
    dense_d      = ({3'b0, sparsity} == {3'b0, block});
    packed_d     = dense_d && (precision == 4'd4);
    block_log_d  = (block == 5'd4) ? 3'd2 : 3'd4;
    sub_log_d    = (sparsity <= 5'd2) ? 2'd3 : (sparsity <= 5'd4) ? 2'd2 : (sparsity <= 5'd8) ? 2'd1 : 2'd0;
    blocks_d     = cols >> block_log_d;
    beats_d      = ({1'b0, blocks_d} + ((ColWidth + 1)'(1) << sub_log_d) - 1'b1) >> sub_log_d;
    group_rows_d = packed_d ? 5'(2 * Chains) : 5'(Chains);
    kept_slots_d = 6'(sparsity) << sub_log_d;
    for (int s = 0; s < Slices; s++) begin
      slot_chain_d[4*s +: 4] = 4'd0;
      cut_d[s]               = 1'b0;
      for (int j = 1; j < 16; j++) begin
        if (9'(j) * 9'(sparsity) <= 9'(s)) begin
          slot_chain_d[4*s +: 4] = 4'(j);
        end
        if (9'(j) * 9'(sparsity) == 9'(s)) begin
          cut_d[s] = 1'b1;
        end
      end
      slot_unused_d[s] = (6'(s) >= kept_slots_d);
    end
  end

  always_ff @(posedge ap_clk) begin
    k_beats_q     <= KBeatWidth'(cols >> 4);
    r_beats_q     <= RBeatWidth'(rows >> 4);
    dense_q       <= dense_d;
    packed_q      <= packed_d;
    int4_q        <= (precision == 4'd4);
    block_log_q   <= block_log_d;
    sub_log_q     <= sub_log_d;
    blocks_q      <= blocks_d;
    beats_q       <= BeatWidth'(beats_d);
    group_rows_q  <= group_rows_d;
    last_base_q   <= rows - RowWidth'(group_rows_d);
    shift_q       <= scale_shift;
    slot_chain_q  <= slot_chain_d;
    slot_unused_q <= slot_unused_d;
    cut_q         <= cut_d;
  end

  // ---------------------------------------------------------------------------------------
  // Phases
  // ---------------------------------------------------------------------------------------
  typedef enum logic [1:0] {
    Load    = 2'd0,
    Compute = 2'd1,
    Flush   = 2'd2,
    Drain   = 2'd3
  } phase_e;

  phase_e phase_q;
  logic   batch_end, issue_final, written_final, drain_end;

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      phase_q <= Load;
    end else begin
      case (phase_q)
        Load:    if (batch_end)     phase_q <= Compute;
        Compute: if (issue_final)   phase_q <= Flush;
        Flush:   if (written_final) phase_q <= Drain;
        Drain:   if (drain_end)     phase_q <= Load;
        default: phase_q <= Load;
      endcase
    end
  end

  // ---------------------------------------------------------------------------------------
  // Load: in_r beats into the activation buffer. The shell flags the run's last vector, which
  // ends the batch early (a partial batch) and marks the batch's last output beat.
  // ---------------------------------------------------------------------------------------
  logic [KBeatWidth-1:0] load_beat_q;
  logic [VecBits-1:0]    load_vector_q, batch_last_q;  // batch_last_q: b - 1
  logic                  batch_run_last_q, in_hs;

  assign in_r_TREADY = take_ok & (phase_q == Load);
  assign in_hs       = in_r_TVALID & in_r_TREADY;
  assign vector_end  = in_hs & (load_beat_q == k_beats_q - 1'b1);
  assign batch_end   = vector_end & (item_last | (load_vector_q == VecBits'(MaxBatch - 1)));
  assign pipe_empty  = (phase_q == Load) & (load_vector_q == '0) & (load_beat_q == '0);

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      load_beat_q   <= '0;
      load_vector_q <= '0;
    end else if (vector_end) begin
      load_beat_q   <= '0;
      load_vector_q <= batch_end ? '0 : load_vector_q + 1'b1;
    end else if (in_hs) begin
      load_beat_q <= load_beat_q + 1'b1;
    end
  end

  // Payload: written at the batch's end, read in its compute and drain phases.
  always_ff @(posedge ap_clk) begin
    if (batch_end) begin
      batch_last_q     <= load_vector_q;
      batch_run_last_q <= item_last;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Compute, cycle I: the issue counters; one w beat per b items
  // ---------------------------------------------------------------------------------------
  logic [VecBits-1:0]   issue_vector_q;
  logic [BeatWidth-1:0] issue_beat_q;
  logic [RowWidth-1:0]  issue_base_q;
  logic                 fire, beat_last, vector_last, group_last;
  logic [PosWidth-1:0]  act_pos;  // the beat's first activation within the vector: t S M
  logic [ActAddrBits-1:0] act_raddr;

  assign w_TREADY    = (phase_q == Compute) & (issue_vector_q == '0);
  assign fire        = (phase_q == Compute) & ((issue_vector_q != '0) | w_TVALID);
  assign beat_last   = (issue_beat_q == beats_q - 1'b1);
  assign vector_last = (issue_vector_q == batch_last_q);
  assign group_last  = (issue_base_q == last_base_q);
  assign issue_final = fire & beat_last & vector_last & group_last;
  assign act_pos     = PosWidth'(issue_beat_q) << (5'(sub_log_q) + 5'(block_log_q));
  assign act_raddr   = {issue_vector_q, RowBits'(act_pos >> 7)};

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      issue_vector_q <= '0;
      issue_beat_q   <= '0;
      issue_base_q   <= '0;
    end else if (fire) begin
      if (!vector_last) begin
        issue_vector_q <= issue_vector_q + 1'b1;
      end else begin
        issue_vector_q <= '0;
        if (!beat_last) begin
          issue_beat_q <= issue_beat_q + 1'b1;
        end else begin
          issue_beat_q <= '0;
          issue_base_q <= group_last ? '0 : issue_base_q + RowWidth'(group_rows_q);
        end
      end
    end
  end

  logic [Chains*LaneBits-1:0] w_q;  // the beat being applied; loaded before any item reads it
  always_ff @(posedge ap_clk) begin
    if (w_TVALID && w_TREADY) begin
      w_q <= w_TDATA;
    end
  end

  // Item control into cycle X.
  logic                  x_valid_q;
  logic [VecBits-1:0]    x_vector_q;
  logic [6:0]            x_offset_q;   // the beat's first activation within its buffer row
  logic [BeatWidth+2:0]  x_block_q;    // the beat's first block: t S
  logic                  x_first_q, x_last_q, x_final_q;
  logic [RowWidth-1:0]   x_base_q;

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      x_valid_q <= 1'b0;
    end else begin
      x_valid_q <= fire;
    end
  end

  always_ff @(posedge ap_clk) begin
    x_vector_q <= issue_vector_q;
    x_offset_q <= act_pos[6:0];
    x_block_q  <= (BeatWidth + 3)'(issue_beat_q) << sub_log_q;
    x_first_q  <= (issue_beat_q == '0);
    x_last_q   <= beat_last;
    x_final_q  <= beat_last & vector_last & group_last;
    x_base_q   <= issue_base_q;
  end

  // ---------------------------------------------------------------------------------------
  // Activation buffer: 8 banks of 128-bit words; bank k word {v, row} holds activation word
  // 8 row + k of vector v (activations 128 row + 16 k .. + 15).
  // ---------------------------------------------------------------------------------------
  logic [8*128-1:0] act_row;  // cycle X: the row read in cycle I
  logic [RowBits+2:0] load_word;
  assign load_word = (RowBits + 3)'(load_beat_q);

  for (genvar k = 0; k < 8; k++) begin : gen_bank
    hlskit_ram #(
      .Width(128),
      .Depth(1 << ActAddrBits)
    ) u_act (
      .clk_i  (ap_clk),
      .we_i   (in_hs && (load_word[2:0] == 3'(k))),
      .waddr_i({load_vector_q, load_word[RowBits+2:3]}),
      .wdata_i(in_r_TDATA),
      .raddr_i(act_raddr),
      .rdata_o(act_row[128*k +: 128])
    );
  end

  // ---------------------------------------------------------------------------------------
  // Cycle X: each slot's block word (shared by the chains), masked where the slot must not
  // depend on the buffer: slots >= S N and padding blocks (block t S + j >= K / M)
  // ---------------------------------------------------------------------------------------
  logic [Slices*128-1:0] slot_word;
  logic [Slices*4-1:0]   slot_sub;

  for (genvar s = 0; s < Slices; s++) begin : gen_slot
    logic [3:0]           chain_index;
    logic [6:0]           start;      // the block's first activation within the row
    logic [BeatWidth+3:0] block_index;
    logic                 live;
    logic [127:0]         word;
    assign chain_index = slot_chain_q[4*s +: 4];
    assign start       = x_offset_q + (7'(chain_index) << block_log_q);
    assign block_index = (BeatWidth + 4)'(x_block_q) + (BeatWidth + 4)'(chain_index);
    assign live        = ~slot_unused_q[s] & (block_index < (BeatWidth + 4)'(blocks_q));

    hlskit_mux_tree #(
      .NumInputs(8),
      .Width    (128)
    ) u_word (
      .in_i (act_row),
      .sel_i(start[6:4]),
      .out_o(word)
    );

    assign slot_word[128*s +: 128] = live ? word : 128'b0;
    assign slot_sub[4*s +: 4]      = start[3:0];
  end

  // ---------------------------------------------------------------------------------------
  // Chains, and the item control alongside them (Latency cycles, X to A)
  // ---------------------------------------------------------------------------------------
  logic [Chains*32-1:0] chain_lo, chain_hi;
  logic [ScaleBits-1:0] x_scale;

  for (genvar c = 0; c < Chains; c++) begin : gen_chain
    sparse_llm_chain #(
      .Slices(Slices)
    ) u_chain (
      .clk_i   (ap_clk),
      .dense_i (dense_q),
      .packed_i(packed_q),
      .int4_i  (int4_q),
      .cut_i   (cut_q),
      .lane_i  (w_q[LaneBits*c +: 12*Slices]),
      .block_i (slot_word),
      .sub_i   (slot_sub),
      .lo_o    (chain_lo[32*c +: 32]),
      .hi_o    (chain_hi[32*c +: 32])
    );
    assign x_scale[32*c +: 32] = w_q[LaneBits*c + 192 +: 32];
  end

  logic [Latency-1:0]          line_valid_q;
  logic [Latency*CtlWidth-1:0] line_q;  // newest at the bottom
  logic [CtlWidth-1:0]         a_ctl;
  logic                        a_valid;

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      line_valid_q <= '0;
    end else begin
      line_valid_q <= {line_valid_q[Latency-2:0], x_valid_q};
    end
  end

  always_ff @(posedge ap_clk) begin
    line_q <= {line_q[(Latency-1)*CtlWidth-1:0],
               x_vector_q, x_first_q, x_last_q, x_final_q, x_base_q, x_scale};
  end

  assign a_valid = line_valid_q[Latency-1];
  assign a_ctl   = line_q[Latency*CtlWidth-1 -: CtlWidth];

  logic [VecBits-1:0]   a_vector;
  logic                 a_first, a_last, a_final;
  logic [RowWidth-1:0]  a_base;
  logic [ScaleBits-1:0] a_scale;
  assign {a_vector, a_first, a_last, a_final, a_base, a_scale} = a_ctl;

  // ---------------------------------------------------------------------------------------
  // Stage A: accumulators; F: the product p = acc m; P: rounding, saturation; Y: write
  // ---------------------------------------------------------------------------------------
  logic                 f_valid_q, p_valid_q, y_valid_q;
  logic [VecBits-1:0]   f_vector_q, p_vector_q, y_vector_q;
  logic [RowWidth-1:0]  f_base_q, p_base_q, y_base_q;
  logic                 f_final_q, p_final_q, y_final_q;
  logic [Chains*8-1:0]  y_lo, y_hi;

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      f_valid_q <= 1'b0;
      p_valid_q <= 1'b0;
      y_valid_q <= 1'b0;
    end else begin
      f_valid_q <= a_valid & a_last;
      p_valid_q <= f_valid_q;
      y_valid_q <= p_valid_q;
    end
  end

  always_ff @(posedge ap_clk) begin
    f_vector_q <= a_vector;
    f_base_q   <= a_base;
    f_final_q  <= a_final;
    p_vector_q <= f_vector_q;
    p_base_q   <= f_base_q;
    p_final_q  <= f_final_q;
    y_vector_q <= p_vector_q;
    y_base_q   <= p_base_q;
    y_final_q  <= p_final_q;
  end

  assign written_final = y_valid_q & y_final_q;

  for (genvar c = 0; c < Chains; c++) begin : gen_requant
    for (genvar h = 0; h < 2; h++) begin : gen_half  // 0: lo (row 2c or c), 1: hi (row 2c + 1)
      logic [MaxBatch*32-1:0] acc_q;  // per vector; the group's first beat loads it
      logic [31:0]            beat, acc, sum, final_q;
      logic [15:0]            scale_q, group_scale_q;
      logic [47:0]            product_q;
      logic [7:0]             y_q;

      assign beat = (h == 0) ? chain_lo[32*c +: 32] : chain_hi[32*c +: 32];

      always_comb begin
        acc = '0;
        for (int v = 0; v < MaxBatch; v++) begin
          if (a_vector == VecBits'(v)) begin
            acc = acc_q[32*v +: 32];
          end
        end
      end
      assign sum = a_first ? beat : acc + beat;

      // p = acc m: a 48-bit signed product (|acc| < 2^31, m < 2^16).
      logic signed [47:0] product;
      assign product = $signed({{16{final_q[31]}}, final_q}) * $signed({32'b0, scale_q});

      always_ff @(posedge ap_clk) begin
        for (int v = 0; v < MaxBatch; v++) begin
          if (a_valid && a_vector == VecBits'(v)) begin
            acc_q[32*v +: 32] <= sum;
          end
        end
        final_q   <= sum;
        scale_q   <= a_first ? a_scale[32*c + 16*h +: 16] : group_scale_q;
        product_q <= product;
      end

      // The scale field comes with the group's first beat (0 on the others): kept from the
      // group's first item at stage A until its last beat's items (which reach stage A before
      // the next group's first item).
      always_ff @(posedge ap_clk) begin
        if (a_valid && a_first) begin
          group_scale_q <= a_scale[32*c + 16*h +: 16];
        end
      end

      // y = clamp((p + 2^(s-1)) >> s, -128, 127); no rounding term when s = 0.
      logic signed [48:0] rounded, shifted;
      logic [48:0]        half;
      assign half    = (shift_q == 6'd0) ? 49'd0 : (49'd1 << (shift_q - 6'd1));
      assign rounded = $signed({product_q[47], product_q}) + $signed(half);
      assign shifted = rounded >>> shift_q;

      always_ff @(posedge ap_clk) begin
        if (shifted > 49'sd127) begin
          y_q <= 8'h7f;
        end else if (shifted < -49'sd128) begin
          y_q <= 8'h80;
        end else begin
          y_q <= shifted[7:0];
        end
      end

      if (h == 0) begin : gen_lo
        assign y_lo[8*c +: 8] = y_q;
      end else begin : gen_hi
        assign y_hi[8*c +: 8] = y_q;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Output buffer: 16 lane RAMs; output r of vector v in lane r % 16, word {v, r / 16}. A group
  // writes G_r consecutive lanes; lane l takes row l % G_r of the group: chain (l % 2C) / 2,
  // half l % 2 when packed, else chain l % C.
  // ---------------------------------------------------------------------------------------
  logic [4:0]             lane_group_mask;  // ~(G_r - 1)
  logic [VecBits-1:0]     drain_vector_q, drain_vector_d;
  logic [QBits-1:0]       drain_word_q, drain_word_d;
  logic                   out_valid_q, drain_word_last, drain_vector_last;
  logic [OutAddrBits-1:0] out_waddr;

  assign lane_group_mask = ~(group_rows_q - 5'd1);
  assign out_waddr       = {y_vector_q, QBits'(y_base_q >> 4)};

  for (genvar l = 0; l < 16; l++) begin : gen_lane
    localparam int PackedChain = (l % (2 * Chains)) / 2;
    localparam int PlainChain  = l % Chains;
    logic       we;
    logic [7:0] data;
    assign we   = y_valid_q && ((5'(l) & lane_group_mask) == {1'b0, y_base_q[3:0]});
    assign data = !packed_q  ? y_lo[8*PlainChain +: 8]
                : (l % 2 == 0) ? y_lo[8*PackedChain +: 8] : y_hi[8*PackedChain +: 8];

    hlskit_ram #(
      .Width(8),
      .Depth(1 << OutAddrBits)
    ) u_out (
      .clk_i  (ap_clk),
      .we_i   (we),
      .waddr_i(out_waddr),
      .wdata_i(data),
      .raddr_i({drain_vector_d, drain_word_d}),
      .rdata_o(out_r_TDATA[8*l +: 8])
    );
  end

  // ---------------------------------------------------------------------------------------
  // Drain: the RAMs always read the word of the next cycle's beat ({drain_vector_d,
  // drain_word_d}), so out_r_TDATA is the held beat's word and stays stable under
  // back-pressure. The first drain cycle reads word 0; TVALID from the second on.
  // ---------------------------------------------------------------------------------------
  assign out_hs            = out_valid_q & out_r_TREADY;
  assign drain_word_last   = (RBeatWidth'(drain_word_q) == r_beats_q - 1'b1);
  assign drain_vector_last = (drain_vector_q == batch_last_q);
  assign drain_end         = out_hs & drain_word_last & drain_vector_last;
  assign result_last       = drain_word_last & drain_vector_last & batch_run_last_q;

  always_comb begin
    drain_vector_d = drain_vector_q;
    drain_word_d   = drain_word_q;
    if (phase_q != Drain || drain_end) begin
      drain_vector_d = '0;
      drain_word_d   = '0;
    end else if (out_hs) begin
      if (drain_word_last) begin
        drain_vector_d = drain_vector_q + 1'b1;
        drain_word_d   = '0;
      end else begin
        drain_word_d = drain_word_q + 1'b1;
      end
    end
  end

  always_ff @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      drain_vector_q <= '0;
      drain_word_q   <= '0;
      out_valid_q    <= 1'b0;
    end else begin
      drain_vector_q <= drain_vector_d;
      drain_word_q   <= drain_word_d;
      out_valid_q    <= (phase_q == Drain) & ~drain_end;
    end
  end

  assign out_r_TVALID = out_valid_q;
  assign out_r_TLAST  = drain_word_last;

endmodule
`default_nettype wire
