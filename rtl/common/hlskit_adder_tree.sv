`default_nettype none
// Balanced adder tree over NumTerms signed InWidth-bit terms (term k at [k*InWidth +: InWidth]),
// written as a generate loop over levels: level 0 holds the terms; node i of level d is the sum
// of nodes 2i and 2i+1 of level d-1 (or node 2i alone, when level d-1 has an odd count), so the
// depth is ceil(log2(NumTerms)) adders and the root is the sum. Level d works at
// min(InWidth + d, max(InWidth, OutWidth)) bits: a node of level d sums at most 2^d terms, so it
// is exact whenever every sum of consecutive terms fits OutWidth bits, which the caller
// guarantees (e.g. every term's range contains 0, so every subset sum lies within the bounds of
// the whole sum: the autoencoder's conv and dense sums; or OutWidth >= InWidth + log2(NumTerms):
// the svm's lane sums). sum_o is the root in OutWidth bits. Combinational (no pipeline registers).
module hlskit_adder_tree #(
  parameter int NumTerms = 2,
  parameter int InWidth  = 14,
  parameter int OutWidth = 15
) (
  input  logic [NumTerms*InWidth-1:0] terms_i,
  output logic [OutWidth-1:0]         sum_o
);

  if (NumTerms < 1 || InWidth < 1 || OutWidth < 1) begin : gen_bad_params
    hlskit_adder_tree_error_bad_parameters u_error ();
  end

  localparam int Levels    = (NumTerms > 1) ? $clog2(NumTerms) : 0;
  localparam int SlotWidth = (OutWidth > InWidth) ? OutWidth : InWidth;

  // Node i of level d at slot d*NumTerms + i, [slot*SlotWidth +: SlotWidth], sign-extended to
  // SlotWidth (slots past a level's count are 0). One vector for every level; split_var: the
  // nodes are separate signals (one vector would look circular to Verilator).
  logic [(Levels+1)*NumTerms*SlotWidth-1:0] node /* verilator split_var */;

  for (genvar i = 0; i < NumTerms; i++) begin : gen_term
    assign node[i*SlotWidth +: SlotWidth] = SlotWidth'($signed(terms_i[i*InWidth +: InWidth]));
  end

  for (genvar d = 1; d <= Levels; d++) begin : gen_level
    localparam int NumPrev   = (NumTerms + (1 << (d - 1)) - 1) >> (d - 1);  // nodes of level d-1
    localparam int PrevWidth = (InWidth + d - 1 < SlotWidth) ? (InWidth + d - 1) : SlotWidth;
    localparam int Width     = (InWidth + d < SlotWidth) ? (InWidth + d) : SlotWidth;
    localparam int Prev      = (d - 1) * NumTerms;  // first slot of level d-1
    for (genvar i = 0; i < NumTerms; i++) begin : gen_node
      localparam int Slot = d * NumTerms + i;
      if (2 * i + 1 < NumPrev) begin : gen_add
        logic [Width-1:0] lhs, rhs, sum;
        assign lhs = Width'($signed(node[(Prev + 2*i)*SlotWidth +: PrevWidth]));
        assign rhs = Width'($signed(node[(Prev + 2*i + 1)*SlotWidth +: PrevWidth]));
        assign sum = lhs + rhs;
        assign node[Slot*SlotWidth +: SlotWidth] = SlotWidth'($signed(sum));
      end else if (2 * i < NumPrev) begin : gen_pass
        assign node[Slot*SlotWidth +: SlotWidth] =
            SlotWidth'($signed(node[(Prev + 2*i)*SlotWidth +: PrevWidth]));
      end else begin : gen_none
        assign node[Slot*SlotWidth +: SlotWidth] = '0;
      end
    end
  end

  assign sum_o = node[Levels*NumTerms*SlotWidth +: OutWidth];

  // Only the low bits of each slot are read; slots past a level's count are constant.
  logic unused_node;
  assign unused_node = ^node;

endmodule
`default_nettype wire
