# hlskit_rtl_checks(NAME <name> TOP <module> FILES <sv files...> [PARAMS <Param=value...>] [NO_YOSYS]
#                   [MEM_DIR <dir>])
#
# Registers the three RTL checks every synthesizable file set must pass (label "rtl"):
#   rtl_lint_<name>     verilator --lint-only -Wall
#   rtl_icarus_<name>   iverilog -g2012 elaborates the top
#   rtl_yosys_<name>    Yosys 0.23 synth_xilinx -family xcup (hierarchy -check first)
# PARAMS override the top's parameters (-G, -P, hierarchy -chparam); NO_YOSYS leaves out the
# synthesis. MEM_DIR is the working directory for $readmemh files (generated .mem tables).
function(hlskit_rtl_checks)
  cmake_parse_arguments(RTL "NO_YOSYS" "NAME;TOP;MEM_DIR" "FILES;PARAMS" ${ARGN})
  if(NOT RTL_NAME OR NOT RTL_TOP OR NOT RTL_FILES)
    message(FATAL_ERROR "hlskit_rtl_checks: NAME, TOP and FILES are required")
  endif()
  if(NOT RTL_MEM_DIR)
    set(RTL_MEM_DIR ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  set(lint_params "")
  set(icarus_params "")
  set(yosys_params "")
  foreach(pv IN LISTS RTL_PARAMS)
    string(REPLACE "=" ";" pvl "${pv}")
    list(GET pvl 0 p)
    list(GET pvl 1 v)
    list(APPEND lint_params -G${p}=${v})
    list(APPEND icarus_params -P ${RTL_TOP}.${p}=${v})
    string(APPEND yosys_params " -chparam ${p} ${v}")
  endforeach()
  add_test(NAME rtl_lint_${RTL_NAME}
           COMMAND ${VERILATOR_BIN} --lint-only -Wall ${lint_params} --top-module ${RTL_TOP} ${RTL_FILES}
           WORKING_DIRECTORY ${RTL_MEM_DIR})
  add_test(NAME rtl_icarus_${RTL_NAME}
           COMMAND ${IVERILOG_BIN} -g2012 -Wall ${icarus_params} -s ${RTL_TOP} -o ${CMAKE_CURRENT_BINARY_DIR}/${RTL_NAME}.vvp ${RTL_FILES}
           WORKING_DIRECTORY ${RTL_MEM_DIR})
  set_tests_properties(rtl_lint_${RTL_NAME} rtl_icarus_${RTL_NAME} PROPERTIES LABELS "rtl" TIMEOUT 300)
  # Icarus warns but exits 0 on some problems; treat any warning as a failure.
  set_tests_properties(rtl_icarus_${RTL_NAME} PROPERTIES FAIL_REGULAR_EXPRESSION "warning|error|Error")
  if(NOT RTL_NO_YOSYS)
    string(JOIN " " files_joined ${RTL_FILES})
    add_test(NAME rtl_yosys_${RTL_NAME}
             COMMAND ${YOSYS_BIN} -q -l ${CMAKE_CURRENT_BINARY_DIR}/${RTL_NAME}_yosys.log
                     -p "read_verilog -sv ${files_joined}; hierarchy -check -top ${RTL_TOP}${yosys_params}; synth_xilinx -family xcup -top ${RTL_TOP}; stat"
             WORKING_DIRECTORY ${RTL_MEM_DIR})
    set_tests_properties(rtl_yosys_${RTL_NAME} PROPERTIES LABELS "rtl" TIMEOUT 1800
                         FAIL_REGULAR_EXPRESSION "ERROR|Warning: .*(latch|multiple drivers|Replacing memory)")
  endif()
endfunction()
