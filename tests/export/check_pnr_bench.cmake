# The place-and-route bench on the designs that fit (tests/export/CMakeLists.txt):
#   cmake -DHLSKIT= -DYOSYS= -DNEXTPNR= -DSOURCE_DIR= -DWORK= "-DONLY=requant_top;..." -P check_pnr_bench.cmake
# runs bench/pnr/pnr_bench.cmake on ONLY and checks its JSON: every design routed on the
# ice40up5k-sg48, an Fmax above 0 MHz, LC / RAM / DSP / IO within the device, the 10 pins, and more
# LCs than MIN_LC (the design is there, not optimised away). Figures are never compared with a
# bound: they are the bench's.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} -DHLSKIT=${HLSKIT} -DYOSYS=${YOSYS} -DNEXTPNR=${NEXTPNR} -DSOURCE_DIR=${SOURCE_DIR}
                        -DOUT_DIR=${WORK} -DCONFIGS=svm/tiny "-DONLY=${ONLY}" -P ${SOURCE_DIR}/bench/pnr/pnr_bench.cmake
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pnr_bench.cmake: exit ${rc}")
endif()
file(READ ${WORK}/pnr_ice40.json json)
string(JSON n LENGTH "${json}" designs)
list(LENGTH ONLY want)
if(NOT n EQUAL want)
  message(FATAL_ERROR "pnr_ice40.json: ${n} designs, expected ${want}")
endif()
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" designs ${i} name)
  string(JSON result GET "${json}" designs ${i} result)
  string(JSON fmax GET "${json}" designs ${i} fmax_mhz)
  if(NOT result STREQUAL "routed" OR NOT fmax GREATER 0)
    message(FATAL_ERROR "${name}: ${result}, Fmax ${fmax}")
  endif()
  foreach(r lc ram dsp io)
    string(JSON used GET "${json}" designs ${i} ${r} used)
    string(JSON avail GET "${json}" designs ${i} ${r} available)
    if(NOT avail GREATER 0 OR used GREATER avail)
      message(FATAL_ERROR "${name}: ${r} ${used}/${avail}")
    endif()
    set(${r} ${used})
  endforeach()
  if(NOT io EQUAL 10 OR lc LESS MIN_LC)
    message(FATAL_ERROR "${name}: ${io} SB_IO (expected 10), ${lc} LCs (expected at least ${MIN_LC})")
  endif()
  message(STATUS "${name}: routed, ${lc} LC, Fmax ${fmax} MHz")
endforeach()
