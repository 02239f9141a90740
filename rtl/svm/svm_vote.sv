`default_nettype none
// One-vs-one voting (the end of hlskit::svm::classify): pair (i, j), j < classes, gives its
// vote to i when its decision is > 0, else to j; the class with the most votes wins, a tie
// going to the lower index. Combinational.
module svm_vote #(
  parameter int MaxClasses = 8,
  // Derived; not to be overridden.
  parameter int MaxPairs   = MaxClasses * (MaxClasses - 1) / 2,
  parameter int ClassWidth = $clog2(MaxClasses + 1),
  parameter int IndexWidth = $clog2(MaxClasses)
) (
  input  logic [ClassWidth-1:0] classes_i,
  input  logic [MaxPairs-1:0]   positive_i,  // pair p (libsvm order for MaxClasses): decision > 0
  output logic [IndexWidth-1:0] best_o
);

  localparam int VoteWidth = $clog2(MaxClasses);  // at most MaxClasses - 1 votes

  logic [MaxClasses*VoteWidth-1:0] votes;  // class c at [c*VoteWidth +: VoteWidth]
  logic [VoteWidth-1:0]            best_votes;

  always_comb begin
    votes = '0;
    for (int i = 0; i < MaxClasses; i++) begin
      for (int j = 0; j < MaxClasses; j++) begin
        if (j > i && ClassWidth'(j) < classes_i) begin
          if (positive_i[(j > i) ? (i * MaxClasses - i * (i + 1) / 2 + (j - i - 1)) : 0]) begin
            votes[i*VoteWidth +: VoteWidth] = votes[i*VoteWidth +: VoteWidth] + 1'b1;
          end else begin
            votes[j*VoteWidth +: VoteWidth] = votes[j*VoteWidth +: VoteWidth] + 1'b1;
          end
        end
      end
    end
    best_o     = '0;
    best_votes = '0;
    for (int c = 0; c < MaxClasses; c++) begin
      if (c == 0 || (ClassWidth'(c) < classes_i && votes[c*VoteWidth +: VoteWidth] > best_votes)) begin
        best_o     = IndexWidth'(c);
        best_votes = votes[c*VoteWidth +: VoteWidth];
      end
    end
  end

endmodule
`default_nettype wire
