`default_nettype none
// The encoder's 2144 programmable parameters (the chip's I2C registers), written and read back
// over the kernel's AXI4-Lite bus at word address BaseAddr + 4*i (bits [5:0] = the raw
// fixed<6,1> code of parameter i, upper bits read 0; byte lane 0 must be enabled to write).
// Order: autoencoder_pkg (conv_weight[kh][kw][in][out], conv_bias, dense_weight[in][out],
// dense_bias).
//
// Bus: a parameter window of hlskit_kernel_shell, which alone drives the AXI4-Lite port. The
// bank decodes the writes the shell performs (its wr_* outputs: every address) and answers the
// shell's reads combinationally (rdata_o from rd_word_i, 0 outside the bank; the top ties the
// shell's rd_valid_i to rd_req_o, so the shell captures it at the AR handshake and RVALID
// follows in the next cycle, as for the control registers).
// Parameters should be written while the kernel is idle: images in flight see new values.
// Storage: one 6-bit register per parameter, written through a two-level decoder, read back
// through a 2144:1 multiplexer tree.
module autoencoder_param_bank #(
  parameter int          AddrWidth = 14,
  parameter logic [31:0] BaseAddr  = autoencoder_regs_pkg::ParamsBase,  // word aligned; above the control registers
  // Derived; not to be overridden.
  parameter int          BankWidth = autoencoder_pkg::NumParams * autoencoder_pkg::ParamWidth
) (
  input  logic                 clk_i,

  // Writes performed by hlskit_kernel_shell; its read word address
  input  logic                 wr_valid_i,
  input  logic [AddrWidth-3:0] wr_word_i,
  input  logic [31:0]          wr_data_i,
  input  logic [3:0]           wr_strb_i,
  input  logic [AddrWidth-3:0] rd_word_i,
  output logic [31:0]          rdata_o,  // the word at rd_word_i (combinational); 0 outside the bank

  // Parameter i at [i*6 +: 6]
  output logic [BankWidth-1:0] params_o
);

  localparam int WW        = autoencoder_pkg::ParamWidth;
  localparam int NumParams = autoencoder_pkg::NumParams;
  localparam int WordWidth = AddrWidth - 2;
  localparam logic [WordWidth-1:0] BaseWord = BaseAddr[AddrWidth-1:2];
  localparam logic [WordWidth:0]   NumIdx   = (WordWidth + 1)'(NumParams);
  localparam int                   IdxWidth = $clog2(NumParams);
  // Write decoder: index = hi * NumLo + lo, each half decoded once, so every parameter's
  // write enable is one AND of two shared lines.
  localparam int                   LoBits   = 6;
  localparam int                   NumLo    = 1 << LoBits;
  localparam int                   NumHi    = (NumParams + NumLo - 1) / NumLo;

  if (AddrWidth < 3 || AddrWidth > 32 || BaseAddr[1:0] != 2'b00 ||
      (BaseAddr >> 2) + NumParams > (1 << WordWidth) || IdxWidth <= LoBits)
  begin : gen_bad_params
    autoencoder_param_bank_error_address_space_too_small u_error ();
  end

  // Word address -> parameter index; hit: inside the bank.
  function automatic logic [WordWidth:0] param_index(logic [WordWidth-1:0] word);
    param_index = {1'b0, word} - {1'b0, BaseWord};  // MSB set: below the bank
  endfunction

  // ---------------------------------------------------------------------------------------
  // Writes: decoded from the shell's.
  // ---------------------------------------------------------------------------------------
  logic               wr_hit;
  logic [WordWidth:0] wr_index;
  logic [WW-1:0]      wr_param;

  assign wr_index = param_index(wr_word_i);
  assign wr_hit   = wr_valid_i & wr_strb_i[0] & (wr_index < NumIdx);
  assign wr_param = wr_data_i[WW-1:0];

  // The bank: one register per parameter. No reset, like every payload register: the host
  // programs all parameters before the first run (as the chip's I2C loader does); until then
  // they are undefined. (A reset would add a reset net to 12864 flip-flops, and with the
  // active-low reset one inverter per flip-flop in Yosys' xilinx mapping.)
  logic [NumLo-1:0]     wr_lo;
  logic [NumHi-1:0]     wr_hi;
  logic [BankWidth-1:0] params_q;

  for (genvar l = 0; l < NumLo; l++) begin : gen_wr_lo
    assign wr_lo[l] = (wr_index[LoBits-1:0] == LoBits'(l));
  end
  // wr_hit implies index < NumParams, so the index bits above IdxWidth are zero.
  for (genvar h = 0; h < NumHi; h++) begin : gen_wr_hi
    assign wr_hi[h] = wr_hit & (wr_index[IdxWidth-1:LoBits] == (IdxWidth - LoBits)'(h));
  end

  for (genvar i = 0; i < NumParams; i++) begin : gen_param
    always_ff @(posedge clk_i) begin
      if (wr_hi[i / NumLo] && wr_lo[i % NumLo]) begin
        params_q[i*WW +: WW] <= wr_param;
      end
    end
  end

  assign params_o = params_q;

  // ---------------------------------------------------------------------------------------
  // Reads: combinational from the shell's read word address.
  // ---------------------------------------------------------------------------------------
  logic [WordWidth:0] rd_index;
  logic               rd_hit;
  logic [WW-1:0]      rd_tree, rd_param;

  assign rd_index = param_index(rd_word_i);
  assign rd_hit   = (rd_index < NumIdx);

  // Two levels (within a group of NumLo parameters, then across the groups): one tree of
  // 4096 leaves would exceed Verilator's default generate-loop limit.
  logic [NumHi*WW-1:0] rd_group;

  for (genvar h = 0; h < NumHi; h++) begin : gen_rd_group
    localparam int First = h * NumLo;
    localparam int Count = (NumParams - First < NumLo) ? (NumParams - First) : NumLo;
    localparam int SelW  = (Count > 1) ? $clog2(Count) : 1;
    hlskit_mux_tree #(
      .NumInputs(Count),
      .Width    (WW)
    ) u_mux (
      .in_i (params_q[First*WW +: Count*WW]),
      .sel_i(rd_index[SelW-1:0]),
      .out_o(rd_group[h*WW +: WW])
    );
  end

  hlskit_mux_tree #(
    .NumInputs(NumHi),
    .Width    (WW)
  ) u_readback (
    .in_i (rd_group),
    .sel_i(rd_index[IdxWidth-1:LoBits]),
    .out_o(rd_tree)
  );

  // Indices past the bank (the trees see only the low bits) read 0.
  assign rd_param = rd_hit ? rd_tree : '0;

  assign rdata_o = {{(32 - WW){1'b0}}, rd_param};

  // Only byte lane 0 carries a parameter.
  logic unused_bus;
  assign unused_bus = ^{wr_data_i[31:WW], wr_strb_i[3:1]};

endmodule
`default_nettype wire
