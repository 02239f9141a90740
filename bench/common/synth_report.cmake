# Yosys resource report of a kernel top (run by the bench_<kernel>_synth targets):
#   cmake -DYOSYS=yosys "-DRTL_FILES=a.sv b.sv ..." -DTOP=autoencoder_top -DNAME=autoencoder_r8
#         ["-DCHPARAMS=ReuseFactor 8"] [-DMEM_DIR=dir] -DOUT_DIR=dir -P synth_report.cmake
# Synthesizes with Yosys 0.23 `synth_xilinx -family xcup` (the same flow as the rtl_yosys_* checks,
# with the CHPARAMS name/value pairs overridden; MEM_DIR is the working directory, where $readmemh
# finds its tables), flattens the mapped netlist (0.23's `stat -json` on a hierarchy
# prints the hierarchy tree as text inside the JSON, which no parser accepts; flattening after
# mapping only inlines the instances, so the totals are the hierarchy's), then reads `stat -json`
# and writes
#   OUT_DIR/<NAME>_synth.json   the counts below plus every cell type
#   OUT_DIR/<NAME>_synth.txt    the same as a table (also printed)
#   OUT_DIR/<NAME>_yosys.log    Yosys' log
# LUT = LUT1..LUT6, FF = every flip-flop primitive (FD*), LUTRAM = distributed RAM primitives
# (RAM*M, RAM*X1*, SRL*), BRAM in RAMB18E2 / RAMB36E2 primitives. Yosys 0.23 maps xcup carry
# chains to CARRY4 (not the UltraScale CARRY8), so CARRY4 is what it reports.
cmake_minimum_required(VERSION 3.25)
foreach(var YOSYS RTL_FILES TOP NAME OUT_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "synth_report.cmake: -D${var}=... is required")
  endif()
endforeach()
separate_arguments(rtl_files UNIX_COMMAND "${RTL_FILES}")
string(JOIN " " rtl_joined ${rtl_files})
file(MAKE_DIRECTORY ${OUT_DIR})
set(base ${OUT_DIR}/${NAME})
set(chparam "")
if(CHPARAMS)  # name value [name value ...] -> -chparam name value per pair
  separate_arguments(pairs UNIX_COMMAND "${CHPARAMS}")
  list(LENGTH pairs npairs)
  math(EXPR last "${npairs} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET pairs ${i} pname)
    list(GET pairs ${j} pvalue)
    string(APPEND chparam " -chparam ${pname} ${pvalue}")
  endforeach()
endif()
if(NOT MEM_DIR)
  set(MEM_DIR ${OUT_DIR})
endif()

message(STATUS "yosys: synth_xilinx -family xcup, ${TOP} ${CHPARAMS} (takes minutes)")
string(TIMESTAMP t0 "%s")
execute_process(
  COMMAND ${YOSYS} -q -l ${base}_yosys.log -p
          "read_verilog -sv ${rtl_joined}; hierarchy -check -top ${TOP} ${chparam}; synth_xilinx -family xcup -top ${TOP}; flatten; tee -q -o ${base}_stat.json stat -json"
  WORKING_DIRECTORY ${MEM_DIR}
  RESULT_VARIABLE status)
string(TIMESTAMP t1 "%s")
math(EXPR seconds "${t1} - ${t0}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "synth_report.cmake: yosys failed (${status}); see ${base}_yosys.log")
endif()

file(READ ${base}_stat.json stat)
string(JSON cells_by_type GET "${stat}" design num_cells_by_type)
string(JSON total_cells GET "${stat}" design num_cells)
string(JSON type_count LENGTH "${cells_by_type}")
foreach(group LUT FF LUTRAM DSP48E2 CARRY4 RAMB18E2 RAMB36E2 other)
  set(count_${group} 0)
endforeach()
set(cell_table "")
math(EXPR last "${type_count} - 1")
foreach(i RANGE ${last})
  string(JSON type MEMBER "${cells_by_type}" ${i})
  string(JSON n GET "${cells_by_type}" ${type})
  if(type MATCHES "^LUT[1-6]$")
    set(group LUT)
  elseif(type MATCHES "^FD")
    set(group FF)
  elseif(type MATCHES "^(RAM[0-9]+M|RAM[0-9]+X1|SRL)")
    set(group LUTRAM)
  elseif(type MATCHES "^(DSP48E2|CARRY4|RAMB18E2|RAMB36E2)$")
    set(group ${type})
  else()
    set(group other)  # I/O buffers, MUXF7/F8, constants
  endif()
  math(EXPR count_${group} "${count_${group}} + ${n}")
  string(APPEND cell_table "  ${type} ${n}\n")
endforeach()

set(report "{}")
string(JSON report SET "${report}" benchmark "\"${NAME}_synth\"")
string(JSON report SET "${report}" tool "\"yosys 0.23 synth_xilinx -family xcup\"")
string(JSON report SET "${report}" top "\"${TOP}\"")
string(JSON report SET "${report}" parameters "\"${CHPARAMS}\"")
string(JSON report SET "${report}" yosys_seconds ${seconds})
string(JSON report SET "${report}" resources "{}")
foreach(group LUT FF LUTRAM DSP48E2 CARRY4 RAMB18E2 RAMB36E2 other)
  string(JSON report SET "${report}" resources ${group} ${count_${group}})
endforeach()
string(JSON report SET "${report}" total_cells ${total_cells})
string(JSON report SET "${report}" cells_by_type "${cells_by_type}")
file(WRITE ${base}_synth.json "${report}\n")

set(table "${TOP} ${CHPARAMS}: Yosys 0.23 synth_xilinx -family xcup (${seconds} s)\n")
foreach(group LUT FF LUTRAM DSP48E2 CARRY4 RAMB18E2 RAMB36E2 other)
  string(LENGTH "${group}" len)
  math(EXPR pad "10 - ${len}")
  string(REPEAT " " ${pad} spaces)
  string(APPEND table "  ${group}${spaces}${count_${group}}\n")
endforeach()
string(APPEND table "cells by type (${total_cells} in all):\n${cell_table}")
file(WRITE ${base}_synth.txt "${table}")
message("${table}wrote ${base}_synth.json and ${base}_synth.txt")
