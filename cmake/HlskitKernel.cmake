# hlskit_add_kernel(NAME K): registers kernel K from its table hls/kernels/K/K.json (DESIGN §2, issue 11).
#
# The table (its schema is documented at the top of tools/gen_regmap/gen_regmap.cpp) must hold:
#   kernel            K (the file is hls/kernels/K/K.json)
#   rtl.top           the top module (ports of DESIGN §6)
#   rtl.files         the kernel's own SystemVerilog files, relative to rtl/K/, in compile order
#   rtl.common        the rtl/common/ files it uses, by name
#   rtl.mem           [{file: rtl/common/ name, parameter: the top's parameter taking its path}]
#   parameters        the top's RTL parameters a config sets
#   configs           [{name, named, waveform, cpp, rtl: {parameter: value}, ...}], the default first
#   check_parameters  optional {parameter: {suffix, values: [...]}}: more RTL checks (lint, Icarus)
#   model_members     optional [C++ lines added to each verilated model's struct; @Param@ is replaced
#                     by the config's value of RTL parameter Param]
#   registers, windows, streams: the register map (tools/gen_regmap reads them)
# The generated packages rtl/common/hlskit_ap_ctrl_pkg.sv and rtl/K/K_regs_pkg.sv come first in the
# kernel's file list, then rtl.common, then rtl.files.
#
# Call it once per kernel from the top-level CMakeLists.txt, before add_subdirectory(host). It sets
# HLSKIT_RTL_<K>_FILES (upper case K; the full file list) in the caller's scope and records the
# kernel in global properties; each directory then does its part:
#   rtl/          hlskit_kernels_rtl_checks(): lint, Icarus and Yosys (synth_xilinx -family xcup) for
#                 every named config: rtl_{lint,icarus,yosys}_K for the default config,
#                 rtl_{lint,icarus,yosys}_K_<config> for the others; lint and Icarus for each
#                 check_parameters value: rtl_{lint,icarus}_K_<suffix><value>
#   emulation/    hlskit_kernels_verilate(): every config (named and test-only) verilated into the
#                 library hlskit_K_rtl (model class V<K>_<config>); hlskit/verilated/K_models.hpp with
#                 struct hlskit::verilated::K_<config> per config; hlskit/verilated/models.hpp
#                 (every kernel's header and HLSKIT_VERILATED_MODELS(X): X(kernel, config) per model);
#                 the INTERFACE library hlskit_verilated linking every hlskit_K_rtl
#   host/         hlskit_kernels_host(<target>): host/src/K/declaration.cpp (hlskit::K::declaration())
#                 and the generated kernel_registry.cpp (hlskit::kernels(), in call order) compiled
#                 into <target>
#   tools/hlskit/ hlskit_kernels_cli(<target>): tools/hlskit/K_cli.cpp (hlskit::cli::K_cli::actions())
#                 and the generated cli_registry.cpp (hlskit::cli::actions_of) compiled into <target>
#   tools/gen_regmap/  ctest regmap_current_K: the committed K_hw.h, K_configs.hpp, K_regs_pkg.sv
#                 and the common files equal what tools/gen_regmap writes from the tables
#
# hlskit_add_kernel(NAME K GATE_LEVEL <config>...) also builds a gate-level model of each listed
# config (emulation/, hlskit_kernels_gate_level(); docs/ARCHITECTURE.md §7): the config's RTL
# synthesized by Yosys (synth_xilinx -family xc7 -flatten), top renamed K_top_gl, verilated with
# Yosys' Xilinx cell models into the library hlskit_K_gl (class V<K>_<config>_gl) and described by
# struct hlskit::verilated::K_<config>_gl in hlskit/verilated/K_gl_models.hpp: the same ports and
# members as the RTL model, so the same cosim driver runs it.
#
# Global properties: HLSKIT_KERNELS (names, in call order); per kernel HLSKIT_KERNEL_<K>_{TABLE,TOP,
# FILES,MEM_DIR,MEM_ARGS,CONFIGS,CHECKS,MEMBERS,GATE_LEVEL}; per config HLSKIT_KERNEL_<K>_<config>_{PARAMS,NAMED,
# WAVEFORM,CPP} (PARAMS: a list of Param=value).

# JSON getter that stops with the table and the field on an error (a function: a macro would
# re-read the escapes in the JSON text).
function(_hlskit_json out table json)
  string(JSON value ERROR_VARIABLE err GET "${json}" ${ARGN})
  if(err)
    string(REPLACE ";" "." field "${ARGN}")
    message(FATAL_ERROR "${table}: field '${field}': ${err}")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

function(hlskit_add_kernel)
  cmake_parse_arguments(K "" "NAME" "GATE_LEVEL" ${ARGN})
  if(NOT K_NAME)
    message(FATAL_ERROR "hlskit_add_kernel: NAME is required")
  endif()
  set(k ${K_NAME})
  set(table ${PROJECT_SOURCE_DIR}/hls/kernels/${k}/${k}.json)
  if(NOT EXISTS ${table})
    message(FATAL_ERROR "hlskit_add_kernel(${k}): the table ${table} does not exist")
  endif()
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${table})
  file(READ ${table} json)
  _hlskit_json(name ${table} "${json}" kernel)
  if(NOT name STREQUAL k)
    message(FATAL_ERROR "${table}: field 'kernel': expected \"${k}\", got \"${name}\"")
  endif()
  get_property(known GLOBAL PROPERTY HLSKIT_KERNELS)
  if(k IN_LIST known)
    message(FATAL_ERROR "hlskit_add_kernel(${k}): added twice")
  endif()

  # RTL files: the generated packages, the common files, the kernel's own.
  set(common_dir ${PROJECT_SOURCE_DIR}/rtl/common)
  set(files ${common_dir}/hlskit_ap_ctrl_pkg.sv ${PROJECT_SOURCE_DIR}/rtl/${k}/${k}_regs_pkg.sv)
  _hlskit_json(top ${table} "${json}" rtl top)
  foreach(list_name common files)
    _hlskit_json(arr ${table} "${json}" rtl ${list_name})
    string(JSON n LENGTH "${arr}")
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON f GET "${arr}" ${i})
        if(list_name STREQUAL "common")
          list(APPEND files ${common_dir}/${f})
        else()
          list(APPEND files ${PROJECT_SOURCE_DIR}/rtl/${k}/${f})
        endif()
      endforeach()
    endif()
  endforeach()
  foreach(f IN LISTS files)
    if(NOT EXISTS ${f})
      message(FATAL_ERROR "${table}: field 'rtl': ${f} does not exist")
    endif()
  endforeach()

  # .mem files: the directory the checks run in, and the verilated models' parameters (absolute paths:
  # $readmemh runs when a model is constructed, in any directory).
  set(mem_dir "")
  set(mem_args "")
  set(mem_files "")
  _hlskit_json(mem ${table} "${json}" rtl mem)
  string(JSON n LENGTH "${mem}")
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      _hlskit_json(f ${table} "${mem}" ${i} file)
      _hlskit_json(p ${table} "${mem}" ${i} parameter)
      if(NOT EXISTS ${common_dir}/${f})
        message(FATAL_ERROR "${table}: field 'rtl.mem[${i}].file': ${common_dir}/${f} does not exist")
      endif()
      set(mem_dir ${common_dir})
      list(APPEND mem_args "-G${p}=\"${common_dir}/${f}\"")
      list(APPEND mem_files ${common_dir}/${f})
    endforeach()
  endif()

  # Configs.
  _hlskit_json(params_json ${table} "${json}" parameters)
  string(JSON np LENGTH "${params_json}")
  math(EXPR plast "${np} - 1")
  set(params "")
  foreach(i RANGE ${plast})
    string(JSON p GET "${params_json}" ${i})
    list(APPEND params ${p})
  endforeach()
  _hlskit_json(cfgs ${table} "${json}" configs)
  string(JSON nc LENGTH "${cfgs}")
  math(EXPR clast "${nc} - 1")
  set(configs "")
  foreach(i RANGE ${clast})
    _hlskit_json(c ${table} "${cfgs}" ${i} name)
    _hlskit_json(named ${table} "${cfgs}" ${i} named)
    _hlskit_json(wave ${table} "${cfgs}" ${i} waveform)
    _hlskit_json(cpp ${table} "${cfgs}" ${i} cpp)
    set(values "")
    foreach(p IN LISTS params)
      _hlskit_json(v ${table} "${cfgs}" ${i} rtl ${p})
      list(APPEND values "${p}=${v}")
    endforeach()
    list(APPEND configs ${c})
    set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_PARAMS ${values})
    set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_NAMED ${named})
    set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_WAVEFORM ${wave})
    set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_CPP "${cpp}")
  endforeach()

  # Extra RTL checks and the verilated models' kernel-specific members (both optional).
  set(checks "")
  string(JSON cp ERROR_VARIABLE no_checks GET "${json}" check_parameters)
  if(NOT no_checks)
    string(JSON n LENGTH "${cp}")
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON p MEMBER "${cp}" ${i})
        _hlskit_json(suffix ${table} "${cp}" ${p} suffix)
        _hlskit_json(vs ${table} "${cp}" ${p} values)
        string(JSON nv LENGTH "${vs}")
        math(EXPR vlast "${nv} - 1")
        foreach(j RANGE ${vlast})
          string(JSON v GET "${vs}" ${j})
          list(APPEND checks "${suffix}${v}:${p}=${v}")
        endforeach()
      endforeach()
    endif()
  endif()
  set(members "")
  string(JSON mm ERROR_VARIABLE no_members GET "${json}" model_members)
  if(NOT no_members)
    string(JSON n LENGTH "${mm}")
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON line GET "${mm}" ${i})
        string(APPEND members "  ${line}\n")
      endforeach()
    endif()
  endif()

  # Input streams besides in_r and out_r (sparse_llm's `w`): the models' side_ports().
  set(side "")
  _hlskit_json(streams ${table} "${json}" streams)
  string(JSON ns LENGTH "${streams}")
  math(EXPR slast "${ns} - 1")
  foreach(i RANGE ${slast})
    _hlskit_json(sname ${table} "${streams}" ${i} name)
    if(NOT sname STREQUAL "in_r" AND NOT sname STREQUAL "out_r")
      list(APPEND side ${sname})
    endif()
  endforeach()

  set_property(GLOBAL APPEND PROPERTY HLSKIT_KERNELS ${k})
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_SIDE_STREAMS "${side}")
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TABLE ${table})
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TOP ${top})
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_FILES ${files})
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_DIR "${mem_dir}")
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_ARGS "${mem_args}")
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_FILES "${mem_files}")
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_CONFIGS ${configs})
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_CHECKS "${checks}")
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEMBERS "${members}")
  foreach(c IN LISTS K_GATE_LEVEL)
    if(NOT c IN_LIST configs)
      message(FATAL_ERROR "hlskit_add_kernel(${k}): GATE_LEVEL ${c}: no such config in ${table} (${configs})")
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY HLSKIT_KERNEL_${k}_GATE_LEVEL "${K_GATE_LEVEL}")
  string(TOUPPER ${k} K)
  set(HLSKIT_RTL_${K}_FILES ${files} PARENT_SCOPE)
endfunction()

# rtl/: the lint, Icarus and Yosys checks of every kernel's named configs (hlskit_rtl_checks).
function(hlskit_kernels_rtl_checks)
  get_property(kernels GLOBAL PROPERTY HLSKIT_KERNELS)
  foreach(k IN LISTS kernels)
    get_property(top GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TOP)
    get_property(files GLOBAL PROPERTY HLSKIT_KERNEL_${k}_FILES)
    get_property(mem_dir GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_DIR)
    get_property(configs GLOBAL PROPERTY HLSKIT_KERNEL_${k}_CONFIGS)
    get_property(checks GLOBAL PROPERTY HLSKIT_KERNEL_${k}_CHECKS)
    set(mem "")
    if(mem_dir)
      set(mem MEM_DIR ${mem_dir})
    endif()
    set(first TRUE)
    foreach(c IN LISTS configs)
      get_property(named GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_NAMED)
      if(NOT named)
        continue()
      endif()
      get_property(params GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_PARAMS)
      if(first)
        set(name ${k})
        set(first FALSE)
      else()
        set(name ${k}_${c})
      endif()
      hlskit_rtl_checks(NAME ${name} TOP ${top} FILES ${files} PARAMS ${params} ${mem})
    endforeach()
    foreach(check IN LISTS checks)
      string(REGEX REPLACE ":.*" "" suffix "${check}")
      string(REGEX REPLACE "^[^:]*:" "" pv "${check}")
      hlskit_rtl_checks(NAME ${k}_${suffix} TOP ${top} FILES ${files} PARAMS ${pv} NO_YOSYS ${mem})
    endforeach()
  endforeach()
endfunction()

# emulation/: every config of every kernel verilated, the models' headers, hlskit_verilated.
function(hlskit_kernels_verilate)
  cmake_parse_arguments(V "" "GENERATED_DIR" "" ${ARGN})
  get_property(kernels GLOBAL PROPERTY HLSKIT_KERNELS)
  add_library(hlskit_verilated INTERFACE)
  target_include_directories(hlskit_verilated INTERFACE ${V_GENERATED_DIR})
  string(CONCAT all_hpp "// generated by cmake/HlskitKernel.cmake (hlskit_kernels_verilate); do not edit\n"
              "// Every verilated kernel model; HLSKIT_VERILATED_MODELS(X) expands X(kernel, config) for each\n"
              "// (hlskit::verilated::kernel_config).\n#pragma once\n")
  set(xmacro "#define HLSKIT_VERILATED_MODELS(X)")
  foreach(k IN LISTS kernels)
    get_property(table GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TABLE)
    get_property(top GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TOP)
    get_property(files GLOBAL PROPERTY HLSKIT_KERNEL_${k}_FILES)
    get_property(mem_args GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_ARGS)
    get_property(configs GLOBAL PROPERTY HLSKIT_KERNEL_${k}_CONFIGS)
    get_property(members GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEMBERS)
    get_property(side GLOBAL PROPERTY HLSKIT_KERNEL_${k}_SIDE_STREAMS)
    string(TOUPPER ${k} K)
    set(lib hlskit_${k}_rtl)
    add_library(${lib} STATIC)
    target_link_libraries(${lib} PUBLIC hlskit::cosim)
    target_include_directories(${lib} PUBLIC ${V_GENERATED_DIR})
    target_link_libraries(hlskit_verilated INTERFACE ${lib})
    file(RELATIVE_PATH table_rel ${PROJECT_SOURCE_DIR} ${table})
    string(CONCAT hpp "// generated by cmake/HlskitKernel.cmake from ${table_rel}; do not edit\n"
            "// One struct per verilated ${top} (named and test-only configs).\n"
            "#pragma once\n#include <string_view>\n#include <vector>\n#include \"hlskit/cosim/axi_stream.hpp\"\n"
            "#include \"hlskit/hw/config_tag.hpp\"\n#include \"hlskit/hw/${k}_hw.h\"\n#include \"${k}/config.hpp\"\n")
    set(dispatch "")
    foreach(c IN LISTS configs)
      get_property(params GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_PARAMS)
      get_property(named GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_NAMED)
      get_property(wave GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_WAVEFORM)
      get_property(cpp GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_CPP)
      set(gargs "")
      set(m "${members}")
      foreach(pv IN LISTS params)
        list(APPEND gargs "-G${pv}")
        string(REPLACE "=" ";" pvl "${pv}")
        list(GET pvl 0 p)
        list(GET pvl 1 v)
        string(REPLACE "@${p}@" "${v}" m "${m}")
      endforeach()
      set(trace_opt "")
      if(wave)
        set(trace_opt TRACE_FST)
      endif()
      # -O1 on the generated code: compile time dominates every use of these models.
      verilate(${lib} ${trace_opt}
               PREFIX V${k}_${c} TOP_MODULE ${top}
               SOURCES ${files}
               VERILATOR_ARGS -Wno-fatal ${gargs} ${mem_args}
               OPT_FAST -O1 OPT_SLOW -O1 OPT_GLOBAL -O1)
      if(named)
        set(named true)
      else()
        set(named false)
      endif()
      if(wave)
        set(traced true)
      else()
        set(traced false)
      endif()
      string(TOUPPER ${c} C)
      set(side_ports "")
      foreach(sname IN LISTS side)
        string(TOUPPER ${sname} S)
        string(APPEND side_ports "\n        cosim::make_axis_port(\"${sname}\", t.${sname}_TDATA, t.${sname}_TVALID, t.${sname}_TREADY, "
               "&t.${sname}_TLAST, X${K}_${C}_${S}_TDATA_BITS),")
      endforeach()
      string(APPEND hpp "#include \"V${k}_${c}.h\"\n"
        "namespace hlskit::verilated {\n"
        "struct ${k}_${c} {\n"
        "  using model = ::V${k}_${c};\n"
        "  using config = ${cpp};\n"
        "  static constexpr const char* kernel = \"${k}\";\n"
        "  static constexpr const char* name = \"${c}\";\n"
        "  static constexpr bool traced = ${traced};  // FST waveforms\n"
        "  static constexpr bool named = ${named};    // false: a test-only config\n"
        "  // The input streams besides in_r (the table's, in its order), as harness ports.\n"
        "  static std::vector<cosim::axis_port> side_ports([[maybe_unused]] model& t) {\n"
        "    return {${side_ports}};\n  }\n"
        "${m}"
        "};\n"
        "}  // namespace hlskit::verilated\n")
      string(APPEND xmacro " \\\n  X(${k}, ${c})")
      string(APPEND dispatch "  if (config == \"${c}\") {\n    f(${k}_${c}{});\n    return true;\n  }\n")
    endforeach()
    string(APPEND hpp "namespace hlskit::verilated {\n"
      "// Calls f(M{}) with the model struct of `config` (named or test-only); false when it has none.\n"
      "template <class F>\nbool with_${k}_model(std::string_view config, F&& f) {\n${dispatch}  return false;\n}\n"
      "}  // namespace hlskit::verilated\n")
    file(CONFIGURE OUTPUT ${V_GENERATED_DIR}/hlskit/verilated/${k}_models.hpp CONTENT "${hpp}" @ONLY)
    string(APPEND all_hpp "#include \"hlskit/verilated/${k}_models.hpp\"\n")
  endforeach()
  file(CONFIGURE OUTPUT ${V_GENERATED_DIR}/hlskit/verilated/models.hpp CONTENT "${all_hpp}\n${xmacro}\n" @ONLY)
endfunction()

# emulation/: the gate-level models (hlskit_add_kernel(... GATE_LEVEL <config>...)), all at build
# time: Yosys synthesizes the config's RTL (its parameters via hierarchy -chparam, $readmemh tables
# read from the kernel's MEM_DIR as in the RTL checks) with synth_xilinx -family xc7 -flatten, renames
# the top K_top_gl and writes the netlist (-nobram, and only cells with a behavioural model: below); Verilator compiles it with Yosys' Xilinx cell models
# (cells_sim.v) into V<K>_<config>_gl__ALL.a through its own makefile (verilate() would run Yosys at
# configure time: it needs the generated file list then). The netlist's flops and block RAMs have
# INIT = x where the RTL has no initial value; --x-assign unique turns each into a value drawn at
# construction like the RTL's variables (zero, or random bits under run_options::random_init).
# Warnings waived for the netlist build only (the cell library and Yosys' output, not project RTL):
# PINMISSING (unused cell pins left open), WIDTH, COMBDLY, INITIALDLY (cells_sim.v's coding style),
# UNOPTFLAT (carry chains and LUT nets that Verilator sees as one flattened loop), SYMRSVDWORD (the
# port `interrupt`, as for the RTL models). Library hlskit_K_gl; hlskit/verilated/K_gl_models.hpp
# with struct hlskit::verilated::K_<config>_gl and HLSKIT_K_GL_MODELS (the structs, comma-separated).
function(hlskit_kernels_gate_level)
  cmake_parse_arguments(G "" "GENERATED_DIR" "" ${ARGN})
  get_filename_component(yosys_prefix ${YOSYS_BIN} DIRECTORY)
  find_file(HLSKIT_YOSYS_XILINX_CELLS cells_sim.v PATHS ${yosys_prefix}/../share/yosys/xilinx /usr/share/yosys/xilinx
            NO_DEFAULT_PATH REQUIRED)
  find_program(HLSKIT_MAKE_BIN make REQUIRED)
  if(CMAKE_GENERATOR MATCHES "Makefiles")
    set(make_cmd "$(MAKE)")  # shares the build's job slots
  else()
    set(make_cmd ${HLSKIT_MAKE_BIN})
  endif()
  set(objcache "")
  if(CMAKE_CXX_COMPILER_LAUNCHER)
    list(JOIN CMAKE_CXX_COMPILER_LAUNCHER " " objcache)
  endif()
  # The cells whose cells_sim.v model has a body: the netlist may hold no other cell (select -assert-none).
  # The block RAMs (RAMB18E1, RAMB36E1) are bodiless there (ports and timing only: a read returns
  # nothing), hence -nobram: memories become LUT RAM (RAM32M, RAM64M, ...) or flops.
  set(modelled t:BUFG t:IBUF t:OBUF t:INV t:LUT1 t:LUT2 t:LUT3 t:LUT4 t:LUT5 t:LUT6 t:MUXF7 t:MUXF8 t:CARRY4
               t:FDRE t:FDSE t:FDCE t:FDPE t:RAM32M t:RAM64M t:RAM32X1D t:RAM64X1D t:RAM128X1D t:RAM256X1S
               t:RAM32X1S t:RAM64X1S t:RAM128X1S t:SRL16E t:SRLC32E t:DSP48E1)
  list(JOIN modelled " " modelled)
  set(waivers -Wno-PINMISSING -Wno-WIDTH -Wno-COMBDLY -Wno-INITIALDLY -Wno-UNOPTFLAT -Wno-SYMRSVDWORD)
  if(NOT TARGET hlskit_gl_runtime)
    # Verilator's runtime, once, linked after the models (they refer to it).
    add_library(hlskit_gl_runtime STATIC ${VERILATOR_ROOT}/include/verilated.cpp
                                         ${VERILATOR_ROOT}/include/verilated_threads.cpp)
    target_include_directories(hlskit_gl_runtime SYSTEM PUBLIC ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
    target_compile_definitions(hlskit_gl_runtime PUBLIC VM_COVERAGE=0 VM_SC=0 VM_TRACE=0 VM_TRACE_VCD=0 VM_TRACE_FST=0)
    target_link_libraries(hlskit_gl_runtime PUBLIC Threads::Threads)
  endif()
  get_property(kernels GLOBAL PROPERTY HLSKIT_KERNELS)
  foreach(k IN LISTS kernels)
    get_property(gl GLOBAL PROPERTY HLSKIT_KERNEL_${k}_GATE_LEVEL)
    if(NOT gl)
      continue()
    endif()
    get_property(table GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TABLE)
    get_property(top GLOBAL PROPERTY HLSKIT_KERNEL_${k}_TOP)
    get_property(files GLOBAL PROPERTY HLSKIT_KERNEL_${k}_FILES)
    get_property(mem_dir GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_DIR)
    get_property(mem_files GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEM_FILES)
    get_property(members GLOBAL PROPERTY HLSKIT_KERNEL_${k}_MEMBERS)
    set(lib hlskit_${k}_gl)
    # A static library whose one source compiles the header (its static_asserts) once the models
    # exist; the model archives and the runtime follow it on the link line.
    set(check_cpp ${G_GENERATED_DIR}/hlskit/verilated/${k}_gl_models.cpp)
    file(CONFIGURE OUTPUT ${check_cpp} CONTENT "// generated by cmake/HlskitKernel.cmake; do not edit\n#include \"hlskit/verilated/${k}_gl_models.hpp\"\n" @ONLY)
    add_library(${lib} STATIC ${check_cpp})
    target_include_directories(${lib} PUBLIC ${G_GENERATED_DIR})
    file(RELATIVE_PATH table_rel ${PROJECT_SOURCE_DIR} ${table})
    string(CONCAT hpp "// generated by cmake/HlskitKernel.cmake (hlskit_kernels_gate_level) from ${table_rel}; do not edit\n"
            "// One struct per gate-level model: ${top} synthesized by Yosys (synth_xilinx -family xc7), verilated\n"
            "// with the Xilinx cell models; the same ports and members as the RTL model of the config.\n"
            "#pragma once\n#include \"hlskit/hw/config_tag.hpp\"\n#include \"${k}/config.hpp\"\n")
    set(structs "")
    foreach(c IN LISTS gl)
      get_property(params GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_PARAMS)
      get_property(cpp GLOBAL PROPERTY HLSKIT_KERNEL_${k}_${c}_CPP)
      set(prefix V${k}_${c}_gl)
      set(dir ${CMAKE_CURRENT_BINARY_DIR}/gatelevel/${k}_${c})
      set(netlist ${dir}/${top}_gl.v)
      set(chparams "")
      set(m "${members}")
      foreach(pv IN LISTS params)
        string(REPLACE "=" ";" pvl "${pv}")
        list(GET pvl 0 p)
        list(GET pvl 1 v)
        string(APPEND chparams " -chparam ${p} ${v}")
        string(REPLACE "@${p}@" "${v}" m "${m}")
      endforeach()
      list(JOIN files " " files_joined)
      set(workdir ${mem_dir})
      if(NOT workdir)
        set(workdir ${dir})
      endif()
      file(MAKE_DIRECTORY ${dir}/obj)
      add_custom_command(OUTPUT ${netlist}
        COMMAND ${YOSYS_BIN} -q -l ${dir}/yosys.log -p
                "read_verilog -sv ${files_joined}; hierarchy -check -top ${top}${chparams}; synth_xilinx -family xc7 -flatten -nobram -top ${top}; select -assert-none ${modelled} %% %n t:* %i; rename ${top} ${top}_gl; tee -q -o ${dir}/stat.txt stat; write_verilog -noattr ${netlist}"
        WORKING_DIRECTORY ${workdir}
        DEPENDS ${files} ${mem_files}
        COMMENT "Synthesizing ${k} ${c} with Yosys (synth_xilinx -family xc7): ${netlist}"
        VERBATIM)
      add_custom_command(OUTPUT ${dir}/obj/${prefix}__ALL.a
        COMMAND ${VERILATOR_BIN} --cc --Mdir ${dir}/obj --prefix ${prefix} --top-module ${top}_gl
                --x-assign unique --x-initial unique ${waivers} ${netlist} ${HLSKIT_YOSYS_XILINX_CELLS}
        COMMAND ${make_cmd} -C ${dir}/obj -f ${prefix}.mk ${prefix}__ALL.a "CXX=${CMAKE_CXX_COMPILER}"
                "OBJCACHE=${objcache}" OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1
        DEPENDS ${netlist} ${HLSKIT_YOSYS_XILINX_CELLS}
        COMMENT "Verilating and compiling the ${k} ${c} netlist with the Xilinx cell models"
        VERBATIM)
      add_custom_target(${prefix}_model DEPENDS ${dir}/obj/${prefix}__ALL.a)
      add_dependencies(${lib} ${prefix}_model)
      target_include_directories(${lib} PUBLIC ${dir}/obj)
      target_link_libraries(${lib} PUBLIC ${dir}/obj/${prefix}__ALL.a)
      string(APPEND hpp "#include \"${prefix}.h\"\n"
        "namespace hlskit::verilated {\n"
        "struct ${k}_${c}_gl {\n"
        "  using model = ::${prefix};\n"
        "  using config = ${cpp};\n"
        "  static constexpr const char* kernel = \"${k}\";\n"
        "  static constexpr const char* name = \"${c}_gl\";\n"
        "  static constexpr const char* netlist = \"${netlist}\";\n"
        "  static constexpr bool traced = false;\n"
        "  static constexpr bool named = false;  // not a config of its own: config ${c}'s netlist\n"
        "${m}"
        "};\n"
        "}  // namespace hlskit::verilated\n")
      list(APPEND structs hlskit::verilated::${k}_${c}_gl)
    endforeach()
    target_link_libraries(${lib} PUBLIC hlskit_gl_runtime hlskit::cosim)
    string(TOUPPER ${k} K)
    list(JOIN structs ", " structs)
    string(APPEND hpp "#define HLSKIT_${K}_GL_MODELS ${structs}\n")
    file(CONFIGURE OUTPUT ${G_GENERATED_DIR}/hlskit/verilated/${k}_gl_models.hpp CONTENT "${hpp}" @ONLY)
  endforeach()
endfunction()

# host/: each kernel's declaration.cpp and the generated registry, compiled into TARGET.
function(hlskit_kernels_host target)
  get_property(kernels GLOBAL PROPERTY HLSKIT_KERNELS)
  set(decls "")
  set(entries "")
  foreach(k IN LISTS kernels)
    set(src ${PROJECT_SOURCE_DIR}/host/src/${k}/declaration.cpp)
    if(NOT EXISTS ${src})
      message(FATAL_ERROR "hlskit_add_kernel(${k}): ${src} (hlskit::${k}::declaration()) does not exist")
    endif()
    target_sources(${target} PRIVATE ${src})
    string(APPEND decls "namespace ${k} {\nkernel_decl declaration();\n}  // namespace ${k}\n")
    string(APPEND entries "      ${k}::declaration(),\n")
  endforeach()
  set(registry ${CMAKE_CURRENT_BINARY_DIR}/kernel_registry.cpp)
  file(CONFIGURE OUTPUT ${registry} CONTENT
"// generated by cmake/HlskitKernel.cmake (hlskit_kernels_host): one entry per hlskit_add_kernel call; do not edit
#include <vector>

#include \"hlskit/kernel.hpp\"

namespace hlskit {
${decls}
const std::vector<kernel_decl>& kernels() {
  static const std::vector<kernel_decl> all = {
${entries}  };
  return all;
}

}  // namespace hlskit
" @ONLY)
  target_sources(${target} PRIVATE ${registry})
endfunction()

# tools/hlskit/: each kernel's CLI room (K_cli.cpp: hlskit::cli::K_cli::actions()) and the generated
# table hlskit::cli::actions_of, compiled into TARGET.
function(hlskit_kernels_cli target)
  get_property(kernels GLOBAL PROPERTY HLSKIT_KERNELS)
  set(decls "")
  set(entries "")
  foreach(k IN LISTS kernels)
    set(src ${PROJECT_SOURCE_DIR}/tools/hlskit/${k}_cli.cpp)
    if(NOT EXISTS ${src})
      message(FATAL_ERROR "hlskit_add_kernel(${k}): ${src} (hlskit::cli::${k}_cli::actions()) does not exist")
    endif()
    target_sources(${target} PRIVATE ${src})
    string(APPEND decls "namespace ${k}_cli {\nkernel_actions actions();\n}  // namespace ${k}_cli\n")
    string(APPEND entries "  if (kernel == \"${k}\") {\n    static const kernel_actions a = ${k}_cli::actions();\n    return a;\n  }\n")
  endforeach()
  set(registry ${CMAKE_CURRENT_BINARY_DIR}/cli_registry.cpp)
  file(CONFIGURE OUTPUT ${registry} CONTENT
"// generated by cmake/HlskitKernel.cmake (hlskit_kernels_cli): one entry per hlskit_add_kernel call; do not edit
#include <stdexcept>
#include <string>

#include \"kernels.hpp\"

namespace hlskit::cli {
${decls}
const kernel_actions& actions_of(const std::string& kernel) {
${entries}  throw std::logic_error(\"no command-line actions for kernel '\" + kernel + \"'\");
}

}  // namespace hlskit::cli
" @ONLY)
  target_sources(${target} PRIVATE ${registry})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()
