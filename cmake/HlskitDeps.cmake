# Third-party dependencies, all from Debian 12 packages (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
if(HLSKIT_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
if(HLSKIT_BUILD_COSIM)
  find_package(verilator 5 REQUIRED HINTS /usr/share/verilator)
endif()
# libsvm 3.24 (libsvm-dev; no CMake or pkg-config file): the SVM kernel's float reference and
# trainer. Debian puts svm.h in /usr/include/libsvm/.
find_library(SVM_LIBRARY svm REQUIRED)
find_path(SVM_INCLUDE_DIR svm.h PATH_SUFFIXES libsvm REQUIRED)
add_library(LibSVM::svm UNKNOWN IMPORTED)
set_target_properties(LibSVM::svm PROPERTIES IMPORTED_LOCATION "${SVM_LIBRARY}"
                                             INTERFACE_INCLUDE_DIRECTORIES "${SVM_INCLUDE_DIR}")
find_program(VERILATOR_BIN verilator REQUIRED)
find_program(IVERILOG_BIN iverilog REQUIRED)
find_program(YOSYS_BIN yosys REQUIRED)
# The open iCE40 place and route (hlskit export --vendor nextpnr, bench/pnr; scripts/setup.sh installs it).
find_program(NEXTPNR_ICE40_BIN nextpnr-ice40 REQUIRED)

# SystemC 2.3.4 as an imported target; its headers need the fixed-point part enabled.
add_library(hlskit_systemc INTERFACE)
target_link_libraries(hlskit_systemc INTERFACE PkgConfig::SYSTEMC)
target_compile_definitions(hlskit_systemc INTERFACE SC_INCLUDE_FX)
