`default_nettype none
// The SVM model's parameters on the kernel's AXI4-Lite bus (byte offsets; svm_top lists the
// whole map):
//   0x100    + 4*c                          class_support_vectors[c]  (low CountWidth bits)
//   0x200    + 4*c                          label[c]                  (32 bits)
//   0x400    + 8*p (+4)                     rho[p], a 56-bit code: low word, high word (bits [23:0])
//   0x10000  + 4*(m*MaxSupportVectors + k)  coef[m][k]                (18 bits)  -> coef RAMs
//   0x100000 + 4*(k*MaxFeatures + j)        support_vector[k][j]      (16 bits)  -> lane RAMs
// The registers read back (unused upper bits read 0); the RAMs are write-only (their read ports
// belong to the datapath) and read 0, as do unmapped addresses.
//
// Bus: parameter windows of hlskit_kernel_shell, as in autoencoder_param_bank: the bank decodes
// the writes the shell performs (its wr_* outputs) and answers its reads combinationally
// (rdata_o from rd_word_i; the shell captures it at the AR handshake). A write needs byte lane 0
// enabled and writes the whole field (the other strobes are not looked at). Write while the
// kernel is idle.
//
// RAM write ports (registered write: the RAM takes the word at the next rising edge):
//   support vector feature (k, j), i = k*MaxFeatures + j: lane j % Lanes, address i / Lanes
//     (= k * MaxFeatures/Lanes + j / Lanes, as svm_top reads them: Lanes features per word)
//   coef[m][k]: RAM m, address k
module svm_param_bank #(
  parameter int MaxFeatures       = 64,
  parameter int MaxSupportVectors = 1024,
  parameter int MaxClasses        = 8,
  parameter int Lanes             = 8,
  parameter int AddrWidth         = 21,
  // Derived; not to be overridden.
  parameter int MaxPairs    = MaxClasses * (MaxClasses - 1) / 2,
  parameter int CountWidth  = $clog2(MaxSupportVectors + 1),
  parameter int SvDepth     = MaxSupportVectors * MaxFeatures / Lanes,
  parameter int SvAddrWidth = (SvDepth > 1) ? $clog2(SvDepth) : 1,
  parameter int CoefAddrWidth = (MaxSupportVectors > 1) ? $clog2(MaxSupportVectors) : 1
) (
  input  logic                              clk_i,

  // Writes performed by hlskit_kernel_shell; its read word address
  input  logic                              wr_valid_i,
  input  logic [AddrWidth-3:0]              wr_word_i,
  input  logic [31:0]                       wr_data_i,
  input  logic [3:0]                        wr_strb_i,
  input  logic [AddrWidth-3:0]              rd_word_i,
  output logic [31:0]                       rdata_o,     // the word at rd_word_i (combinational)

  output logic [MaxClasses*CountWidth-1:0]  class_sv_o,  // class c at [c*CountWidth +: CountWidth]
  output logic [MaxClasses*32-1:0]          label_o,     // class c at [c*32 +: 32]
  output logic [MaxPairs*56-1:0]            rho_o,       // pair p at [p*56 +: 56]

  output logic [Lanes-1:0]                  sv_we_o,
  output logic [SvAddrWidth-1:0]            sv_waddr_o,
  output logic [15:0]                       sv_wdata_o,
  output logic [MaxClasses-2:0]             coef_we_o,
  output logic [CoefAddrWidth-1:0]          coef_waddr_o,
  output logic [17:0]                       coef_wdata_o
);

  localparam int WordWidth = AddrWidth - 2;
  localparam int IW        = WordWidth + 1;  // offsets from a region base; MSB set: below it
  localparam int LaneBits  = (Lanes > 1) ? $clog2(Lanes) : 0;
  localparam int Rows      = MaxClasses - 1;

  // Region bases (word addresses) and sizes (words).
  localparam logic [IW-1:0] ClassSvBase = IW'(svm_regs_pkg::ClassSupportVectorsBase >> 2);
  localparam logic [IW-1:0] LabelBase   = IW'(svm_regs_pkg::LabelBase >> 2);
  localparam logic [IW-1:0] RhoBase     = IW'(svm_regs_pkg::RhoBase >> 2);
  localparam logic [IW-1:0] CoefBase    = IW'(svm_regs_pkg::CoefBase >> 2);
  localparam logic [IW-1:0] SvBase      = IW'(svm_regs_pkg::SupportVectorBase >> 2);
  localparam logic [IW-1:0] NumCoefWords  = IW'(Rows * MaxSupportVectors);
  localparam logic [IW-1:0] NumSvWords    = IW'(MaxSupportVectors * MaxFeatures);

  if (MaxClasses < 2 || MaxClasses > 64 ||
      2 * MaxPairs > (svm_regs_pkg::CoefBase - svm_regs_pkg::RhoBase) / 4 ||
      Rows * MaxSupportVectors > (svm_regs_pkg::SupportVectorBase - svm_regs_pkg::CoefBase) / 4 ||
      (Lanes & (Lanes - 1)) != 0 || MaxFeatures % Lanes != 0 ||
      (1 << AddrWidth) < svm_regs_pkg::SupportVectorBase + 4 * MaxSupportVectors * MaxFeatures)
  begin : gen_bad_params
    svm_param_bank_error_register_map_does_not_fit u_error ();
  end

  function automatic logic [IW-1:0] offset(logic [WordWidth-1:0] word, logic [IW-1:0] base);
    offset = {1'b0, word} - base;
  endfunction

  // ---------------------------------------------------------------------------------------
  // Writes: decoded from the shell's.
  // ---------------------------------------------------------------------------------------
  logic commit;
  assign commit = wr_valid_i & wr_strb_i[0];

  logic [IW-1:0] wr_class_sv, wr_label, wr_rho, wr_coef, wr_sv;
  assign wr_class_sv = offset(wr_word_i, ClassSvBase);
  assign wr_label    = offset(wr_word_i, LabelBase);
  assign wr_rho      = offset(wr_word_i, RhoBase);
  assign wr_coef     = offset(wr_word_i, CoefBase);
  assign wr_sv       = offset(wr_word_i, SvBase);

  // Registers. No reset: like every parameter, undefined until the host writes them.
  logic [MaxClasses*CountWidth-1:0] class_sv_q;
  logic [MaxClasses*32-1:0]         label_q;
  logic [MaxPairs*56-1:0]           rho_q;

  always_ff @(posedge clk_i) begin
    for (int c = 0; c < MaxClasses; c++) begin
      if (commit && wr_class_sv == IW'(c)) begin
        class_sv_q[c*CountWidth +: CountWidth] <= wr_data_i[CountWidth-1:0];
      end
      if (commit && wr_label == IW'(c)) begin
        label_q[c*32 +: 32] <= wr_data_i;
      end
    end
    for (int p = 0; p < MaxPairs; p++) begin
      if (commit && wr_rho == IW'(2 * p)) begin
        rho_q[p*56 +: 32] <= wr_data_i;
      end
      if (commit && wr_rho == IW'(2 * p + 1)) begin
        rho_q[p*56 + 32 +: 24] <= wr_data_i[23:0];
      end
    end
  end

  assign class_sv_o = class_sv_q;
  assign label_o    = label_q;
  assign rho_o      = rho_q;

  // Support vector lanes: the flat index's low bits are the lane, the rest the lane address.
  logic sv_hit;
  assign sv_hit     = commit & (wr_sv < NumSvWords);
  assign sv_waddr_o = SvAddrWidth'(wr_sv >> LaneBits);
  assign sv_wdata_o = wr_data_i[15:0];
  for (genvar l = 0; l < Lanes; l++) begin : gen_sv_we
    if (Lanes > 1) begin : gen_lanes
      assign sv_we_o[l] = sv_hit & (wr_sv[LaneBits-1:0] == LaneBits'(l));
    end else begin : gen_one_lane
      assign sv_we_o[l] = sv_hit;
    end
  end

  // Coefficient rows: row m holds flat indices m*MaxSupportVectors .. (m+1)*MaxSupportVectors - 1.
  logic          coef_hit;
  logic [IW-1:0] coef_row_base;
  logic [Rows-1:0] coef_row;  // one-hot
  always_comb begin
    coef_row      = Rows'(1);
    coef_row_base = '0;
    for (int m = 1; m < Rows; m++) begin
      if (wr_coef >= IW'(m * MaxSupportVectors)) begin
        coef_row      = Rows'(1) << m;
        coef_row_base = IW'(m * MaxSupportVectors);
      end
    end
  end
  assign coef_hit     = commit & (wr_coef < NumCoefWords);
  assign coef_we_o    = coef_hit ? coef_row : '0;
  assign coef_waddr_o = CoefAddrWidth'(wr_coef - coef_row_base);
  assign coef_wdata_o = wr_data_i[17:0];

  // ---------------------------------------------------------------------------------------
  // Reads: the registers, combinational from the shell's read word address.
  // ---------------------------------------------------------------------------------------
  logic [IW-1:0] rd_class_sv, rd_label, rd_rho;
  logic [31:0]   rdata_d;
  assign rd_class_sv = offset(rd_word_i, ClassSvBase);
  assign rd_label    = offset(rd_word_i, LabelBase);
  assign rd_rho      = offset(rd_word_i, RhoBase);

  always_comb begin
    rdata_d = '0;
    for (int c = 0; c < MaxClasses; c++) begin
      if (rd_class_sv == IW'(c)) begin
        rdata_d = 32'(class_sv_q[c*CountWidth +: CountWidth]);
      end
      if (rd_label == IW'(c)) begin
        rdata_d = label_q[c*32 +: 32];
      end
    end
    for (int p = 0; p < MaxPairs; p++) begin
      if (rd_rho == IW'(2 * p)) begin
        rdata_d = rho_q[p*56 +: 32];
      end
      if (rd_rho == IW'(2 * p + 1)) begin
        rdata_d = {{8{rho_q[p*56 + 55]}}, rho_q[p*56 + 32 +: 24]};  // sign-extended
      end
    end
  end

  assign rdata_o = rdata_d;

  // Fields are written whole.
  logic unused_bus;
  assign unused_bus = ^wr_strb_i[3:1];

endmodule
`default_nettype wire
