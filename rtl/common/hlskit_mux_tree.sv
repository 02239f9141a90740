`default_nettype none
// NumInputs:1 multiplexer of Width-bit words (word k at [k*Width +: Width]) as a balanced tree
// of 2:1 multiplexers in one module: a heap of nodes, node n (1-based) selects between its
// children 2n and 2n+1 by select bit SelWidth-1-depth(n); the leaves are the inputs, padded to
// a power of two with zeros. sel_i >= NumInputs gives 0 or some input (callers mask it).
// Written out instead of `in_i[sel_i*Width +: Width]`: Yosys 0.23 maps such a part-select to a
// full-width barrel shifter, which for wide inputs (the 2144-entry parameter readback) takes
// many minutes and far more logic than this tree. Combinational (no pipeline registers).
// Used by the autoencoder (operand and readback muxes) and the svm (pair decision, label).
module hlskit_mux_tree #(
  parameter int NumInputs = 2,
  parameter int Width     = 1,
  // Derived; not to be overridden.
  parameter int SelWidth  = (NumInputs > 1) ? $clog2(NumInputs) : 1
) (
  input  logic [NumInputs*Width-1:0] in_i,
  input  logic [SelWidth-1:0]        sel_i,
  output logic [Width-1:0]           out_o
);

  if (NumInputs < 1 || Width < 1) begin : gen_bad_params
    hlskit_mux_tree_error_bad_parameters u_error ();
  end

  if (NumInputs == 1) begin : gen_wire
    assign out_o = in_i;
    logic unused_sel;
    assign unused_sel = ^sel_i;
  end else begin : gen_tree
    localparam int Leaves = 1 << SelWidth;
    // Node n (1 .. 2*Leaves-1) at [(n-1)*Width +: Width].
    // split_var: the nodes are separate signals (one vector would look circular to Verilator).
    logic [(2*Leaves-1)*Width-1:0] node /* verilator split_var */;

    for (genvar k = 0; k < Leaves; k++) begin : gen_leaf
      if (k < NumInputs) begin : gen_input
        assign node[(Leaves + k - 1)*Width +: Width] = in_i[k*Width +: Width];
      end else begin : gen_pad
        assign node[(Leaves + k - 1)*Width +: Width] = '0;
      end
    end

    for (genvar n = 1; n < Leaves; n++) begin : gen_node
      localparam int Depth = $clog2(n + 1) - 1;  // the root has depth 0
      assign node[(n-1)*Width +: Width] = sel_i[SelWidth-1-Depth] ? node[(2*n)*Width +: Width]
                                                                  : node[(2*n-1)*Width +: Width];
    end

    assign out_o = node[Width-1:0];
  end

endmodule
`default_nettype wire
