`default_nettype none
// Fixed-point format conversion with the semantics of a SystemC sc_fixed / sc_ufixed
// assignment (n_bits = 0): quantize to OutFrac fraction bits first, then apply the overflow
// mode to the OutWidth-bit range. Purely combinational; only the logic of the selected
// QMode / OMode is generated.
//
// A format is (Width, Frac): value = code * 2^-Frac, iwidth = Width - Frac. Frac may be
// negative or larger than Width. Signed formats are two's complement.
//
// Mode encodings (must match hlskit::q_mode / hlskit::o_mode in hls/include/hlskit/):
//   QMode 0 rnd          round half toward +inf
//         1 rnd_zero     round half toward zero
//         2 rnd_min_inf  round half toward -inf
//         3 rnd_inf      round half away from zero
//         4 rnd_conv     round half to even
//         5 trn          truncate (floor)
//         6 trn_zero     truncate toward zero
//   OMode 0 sat          clamp to [lo, hi]
//         1 sat_zero     0 on overflow
//         2 sat_sym      signed: clamp to [-hi, hi] (lo itself also becomes -hi, as in
//                        SystemC); unsigned: as sat
//         3 wrap         keep the low OutWidth bits
module hlskit_requantize #(
  parameter int InWidth   = 12,
  parameter int InFrac    = 6,
  parameter bit InSigned  = 1'b1,
  parameter int OutWidth  = 8,
  parameter int OutFrac   = 3,
  parameter bit OutSigned = 1'b1,
  parameter int QMode     = 0,
  parameter int OMode     = 0
) (
  input  logic [InWidth-1:0]  in_i,
  output logic [OutWidth-1:0] out_o
);

  localparam int QRnd       = 0;
  localparam int QRndZero   = 1;
  localparam int QRndMinInf = 2;
  localparam int QRndInf    = 3;
  localparam int QRndConv   = 4;
  localparam int QTrn       = 5;
  localparam int QTrnZero   = 6;

  localparam int OSat     = 0;
  localparam int OSatZero = 1;
  localparam int OSatSym  = 2;
  localparam int OWrap    = 3;

  // Fraction bits dropped (> 0) or appended (< 0).
  localparam int Shift = InFrac - OutFrac;
  // The input as a signed number: unsigned inputs get a constant-zero sign bit, so the rest
  // of the datapath is signed only (synthesis folds the constant away).
  localparam int XW = InWidth + (InSigned ? 0 : 1);
  // Integer part kept by a right shift; at least the sign survives.
  localparam int BW = (XW - Shift > 1) ? (XW - Shift) : 1;
  // Width of the quantized value: one carry bit for rounding, or exact growth on a left shift.
  // Nothing can overflow before the overflow stage.
  localparam int QW = (Shift > 0) ? (BW + 1) : (XW - Shift);
  // Overflow-stage width: at least one bit above the output MSB, so the range checks below
  // always have a non-empty slice.
  localparam int EW = (QW > OutWidth + 1) ? QW : (OutWidth + 1);

  // Unsupported parameters: instantiate a module that does not exist, which stops
  // elaboration in Verilator, Icarus and Yosys alike (Icarus 11 has no elaboration $error).
  if (InWidth < 1 || OutWidth < 1) begin : gen_bad_width
    hlskit_requantize_error_width_must_be_positive u_error ();
  end
  if (QMode < QRnd || QMode > QTrnZero) begin : gen_bad_qmode
    hlskit_requantize_error_unknown_qmode u_error ();
  end
  if (OMode < OSat || OMode > OWrap) begin : gen_bad_omode
    hlskit_requantize_error_unknown_omode u_error ();
  end

  // ---------------------------------------------------------------------------------------
  // Input as signed XW-bit number
  // ---------------------------------------------------------------------------------------
  logic [XW-1:0] xs;
  if (InSigned) begin : gen_in_signed
    assign xs = in_i;
  end else begin : gen_in_unsigned
    assign xs = {1'b0, in_i};
  end

  // ---------------------------------------------------------------------------------------
  // Quantization to OutFrac fraction bits
  // ---------------------------------------------------------------------------------------
  logic [QW-1:0] q;  // two's complement

  if (Shift > 0) begin : gen_round
    // Sign-extend so that every dropped bit position (and one kept bit) exists: when Shift
    // exceeds the input width, the dropped bits above the MSB are copies of the sign.
    localparam int XEW = Shift + BW;
    logic [XEW-1:0] xe;
    if (XEW > XW) begin : gen_sext
      assign xe = {{(XEW - XW){xs[XW-1]}}, xs};
    end else begin : gen_nosext
      assign xe = xs;
    end

    logic [BW-1:0] base;  // floor(x / 2^Shift)
    logic          half;  // the most significant dropped bit
    logic          sticky;  // any dropped bit below it
    logic          neg;
    logic          inc;

    assign base = xe[XEW-1:Shift];
    assign half = xe[Shift-1];
    if (Shift > 1) begin : gen_sticky
      assign sticky = |xe[Shift-2:0];
    end else begin : gen_no_sticky
      assign sticky = 1'b0;
    end
    assign neg = xs[XW-1];

    case (QMode)
      QRnd:       begin : gen_rnd          assign inc = half;                        end
      QRndZero:   begin : gen_rnd_zero     assign inc = half & (sticky | neg);       end
      QRndMinInf: begin : gen_rnd_min_inf  assign inc = half & sticky;               end
      QRndInf:    begin : gen_rnd_inf      assign inc = half & (sticky | ~neg);      end
      QRndConv:   begin : gen_rnd_conv     assign inc = half & (sticky | base[0]);   end
      QTrnZero:   begin : gen_trn_zero     assign inc = neg & (half | sticky);       end
      QTrn:       begin : gen_trn          assign inc = 1'b0;                        end
      default:    ;  // rejected above
    endcase

    // Not every mode looks at every bit.
    logic unused_round;
    assign unused_round = ^{half, sticky, neg, base[0]};

    assign q = {base[BW-1], base} + {{BW{1'b0}}, inc};
  end else if (Shift == 0) begin : gen_same
    assign q = xs;
  end else begin : gen_shl
    // Exact: append -Shift zero fraction bits.
    assign q = {xs, {(-Shift){1'b0}}};
  end

  // ---------------------------------------------------------------------------------------
  // Overflow to OutWidth bits
  // ---------------------------------------------------------------------------------------
  logic [EW-1:0] qe;  // q sign-extended to EW bits
  if (EW > QW) begin : gen_qe_sext
    assign qe = {{(EW - QW){q[QW-1]}}, q};
  end else begin : gen_qe
    assign qe = q;
  end

  // Output codes of hi and lo (signed: 0111.., 1000..; unsigned: 1111.., 0000..).
  localparam logic [OutWidth-1:0] HiCode = OutSigned ? ({OutWidth{1'b1}} >> 1) : {OutWidth{1'b1}};
  localparam logic [OutWidth-1:0] LoCode = OutSigned ? ~HiCode : {OutWidth{1'b0}};
  // -hi for sat_sym (signed only); equals 0 for a 1-bit signed output.
  localparam logic [OutWidth-1:0] SymLoCode = LoCode + 1'b1;
  // lo sign-extended to EW bits.
  localparam logic [EW-1:0] LoExt = {EW{1'b1}} << (OutWidth - 1);

  logic [OutWidth-1:0] wrapped;
  logic                ovf_pos;  // q > hi
  logic                ovf_neg;  // q < lo
  assign wrapped = qe[OutWidth-1:0];

  if (OutSigned) begin : gen_ovf_signed
    // Fits iff bits EW-1 .. OutWidth-1 are all equal.
    assign ovf_pos = ~qe[EW-1] & (|qe[EW-2:OutWidth-1]);
    assign ovf_neg = qe[EW-1] & ~(&qe[EW-2:OutWidth-1]);
  end else begin : gen_ovf_unsigned
    // Fits iff bits EW-1 .. OutWidth are all zero.
    if (EW > OutWidth + 1) begin : gen_hi_bits
      assign ovf_pos = ~qe[EW-1] & (|qe[EW-2:OutWidth]);
    end else begin : gen_no_hi_bits
      assign ovf_pos = 1'b0;
    end
    assign ovf_neg = qe[EW-1];
  end

  case (OMode)
    OSat: begin : gen_sat
      assign out_o = ovf_pos ? HiCode : ovf_neg ? LoCode : wrapped;
    end
    OSatZero: begin : gen_sat_zero
      assign out_o = (ovf_pos | ovf_neg) ? {OutWidth{1'b0}} : wrapped;
    end
    OSatSym: begin : gen_sat_sym
      if (OutSigned) begin : gen_signed
        // q == lo is representable but still maps to -hi (SystemC SC_SAT_SYM).
        logic clamp_neg;
        assign clamp_neg = ovf_neg | (qe == LoExt);
        assign out_o = ovf_pos ? HiCode : clamp_neg ? SymLoCode : wrapped;
      end else begin : gen_unsigned
        assign out_o = ovf_pos ? HiCode : ovf_neg ? LoCode : wrapped;
      end
    end
    OWrap: begin : gen_wrap
      assign out_o = wrapped;
    end
    default: ;  // rejected above
  endcase

  // Wrap mode ignores the range checks and the high bits.
  logic unused_ovf;
  assign unused_ovf = ^{qe, ovf_pos, ovf_neg};

endmodule
`default_nettype wire
