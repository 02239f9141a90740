# The installed package (DESIGN §8): `cmake --install` gives
#   find_package(hlskit CONFIG)  ->  hlskit::hls (header-only kernels and types), hlskit::host (the
#                                    runtime and host library), hlskit_MODELS_DIR
#   pkg-config hlskit            ->  the same for a one-line compile (relocatable: ${pcfiledir})
#   include/                        hls/include, hls/kernels (as include/hlskit/kernels), host/include
#   share/hlskit/export/            what `hlskit export` reads (RTL, tables, constraints, templates)
#   share/hlskit/models/            the embedded default models (hlskit::models_dir(): set
#                                   HLSKIT_MODELS to this directory, or configure the build with
#                                   HLSKIT_INSTALLED_MODELS_DIR, see below)
#   bin/hlskit                      the command line
# With the emulation platform (target hlskit_platform), the platform library, SystemC and the
# Verilated model libraries it links are installed and exported too (HLSKIT_PLATFORM_EXPORT_TARGETS
# names the latter; every kernel's hlskit_K_rtl is found from the kernel list).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HLSKIT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/hlskit)
set(HLSKIT_INSTALL_MODELSDIR ${CMAKE_INSTALL_DATADIR}/hlskit/models)
# Where an installed build finds its models when HLSKIT_MODELS is not set: for the declarations'
# models_dir() (host/CMakeLists.txt: HLSKIT_MODELS_FROM_INSTALL compiles it in instead of the source tree).
set(HLSKIT_INSTALLED_MODELS_DIR ${CMAKE_INSTALL_FULL_DATADIR}/hlskit/models)

# Headers: the include directories the installed targets carry.
target_include_directories(hlskit_hls INTERFACE
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/hlskit/kernels>)
set_target_properties(hlskit_hls PROPERTIES EXPORT_NAME hls)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/hls/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/hls/kernels/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hlskit/kernels
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/host/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(HLSKIT_GENERATED_INCLUDE_DIRS)  # generated headers (K_hw.h) from hlskit_add_kernel
  foreach(dir IN LISTS HLSKIT_GENERATED_INCLUDE_DIRS)
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
  endforeach()
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION ${HLSKIT_INSTALL_MODELSDIR})
# What `hlskit export` reads (docs/EXPORT.md), in the source tree's layout: the RTL and its tables,
# the kernel tables, the generated register headers, constraints/ and the export templates. A
# build configured with HLSKIT_MODELS_FROM_INSTALL reads them here (tools/hlskit/CMakeLists.txt);
# any other with HLSKIT_SOURCE_DIR=<prefix>/share/hlskit/export.
set(HLSKIT_INSTALL_EXPORTDIR ${CMAKE_INSTALL_DATADIR}/hlskit/export)
get_property(_hlskit_kernels GLOBAL PROPERTY HLSKIT_KERNELS)
set(_hlskit_rtl_dirs ${PROJECT_SOURCE_DIR}/rtl/common ${PROJECT_SOURCE_DIR}/rtl/pnr)
foreach(k IN LISTS _hlskit_kernels)
  list(APPEND _hlskit_rtl_dirs ${PROJECT_SOURCE_DIR}/rtl/${k})
endforeach()
install(DIRECTORY ${_hlskit_rtl_dirs} DESTINATION ${HLSKIT_INSTALL_EXPORTDIR}/rtl FILES_MATCHING PATTERN "*.sv" PATTERN "*.mem")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/hls/kernels/ DESTINATION ${HLSKIT_INSTALL_EXPORTDIR}/hls/kernels
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/host/include/hlskit/hw/ DESTINATION ${HLSKIT_INSTALL_EXPORTDIR}/host/include/hlskit/hw
        FILES_MATCHING PATTERN "*_hw.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/constraints/ DESTINATION ${HLSKIT_INSTALL_EXPORTDIR}/constraints)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tools/hlskit/templates/export/
        DESTINATION ${HLSKIT_INSTALL_EXPORTDIR}/tools/hlskit/templates/export)

# Targets. hlskit::hls is exported as is (header-only). hlskit::host is a static library whose
# link closure, with the platform, holds Verilated model libraries whose include directories point
# into this build tree (verilate() makes them PUBLIC), which install(EXPORT) cannot carry; so the
# archives are installed as files and hlskitConfig.cmake declares hlskit::host as an imported
# target with the link interface below. A library hlskit_host links must appear here.
install(TARGETS hlskit_hls EXPORT hlskitTargets INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hlskitTargets NAMESPACE hlskit:: DESTINATION ${HLSKIT_INSTALL_CMAKEDIR} FILE hlskitTargets.cmake)
install(TARGETS hlskit_host ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
set(HLSKIT_HAVE_PLATFORM_INSTALL OFF)
set(HLSKIT_PLATFORM_ARCHIVES "")  # file names, in link order after libhlskit_host.a
if(TARGET hlskit_platform)
  set(HLSKIT_HAVE_PLATFORM_INSTALL ON)
  get_property(_hlskit_kernels GLOBAL PROPERTY HLSKIT_KERNELS)
  set(_hlskit_platform_targets hlskit_platform ${HLSKIT_PLATFORM_EXPORT_TARGETS})
  foreach(k IN LISTS _hlskit_kernels)
    list(APPEND _hlskit_platform_targets hlskit_${k}_rtl)
  endforeach()
  list(REMOVE_DUPLICATES _hlskit_platform_targets)
  foreach(t IN LISTS _hlskit_platform_targets)
    if(TARGET ${t})
      get_target_property(_type ${t} TYPE)
      if(_type STREQUAL "STATIC_LIBRARY")
        install(FILES $<TARGET_FILE:${t}> DESTINATION ${CMAKE_INSTALL_LIBDIR})
        get_target_property(_name ${t} OUTPUT_NAME)
        if(NOT _name)
          set(_name ${t})
        endif()
        list(APPEND HLSKIT_PLATFORM_ARCHIVES ${CMAKE_STATIC_LIBRARY_PREFIX}${_name}${CMAKE_STATIC_LIBRARY_SUFFIX})
      endif()
    endif()
  endforeach()
endif()
if(TARGET hlskit)
  install(TARGETS hlskit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/hlskitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hlskitConfig.cmake
  INSTALL_DESTINATION ${HLSKIT_INSTALL_CMAKEDIR}
  PATH_VARS HLSKIT_INSTALL_MODELSDIR CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hlskitConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hlskitConfig.cmake ${PROJECT_BINARY_DIR}/hlskitConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/HlskitFindLibSVM.cmake
        DESTINATION ${HLSKIT_INSTALL_CMAKEDIR})

# pkg-config: relocatable (the prefix from the .pc file's own directory).
set(_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH HLSKIT_PC_PREFIX_FROM_PCFILEDIR /prefix/${_pc_dir} /prefix)
string(REGEX REPLACE "/$" "" HLSKIT_PC_PREFIX_FROM_PCFILEDIR "${HLSKIT_PC_PREFIX_FROM_PCFILEDIR}")
set(HLSKIT_PC_REQUIRES "fmt eigen3 nlohmann_json zlib")
set(HLSKIT_PC_LIBS "-lhlskit_host")
set(HLSKIT_PC_LIBS_AFTER "-lsvm")
if(HLSKIT_HAVE_PLATFORM_INSTALL)
  # The platform and its Verilated models with the runtime, in one group: the archives refer to
  # each other both ways, and pkg-config drops every repeated -l but the last, so a group, not a
  # repetition. SystemC from Requires.
  set(HLSKIT_PC_LIBS "-Wl,--start-group -lhlskit_host")
  foreach(a IN LISTS HLSKIT_PLATFORM_ARCHIVES)
    string(REGEX REPLACE "^${CMAKE_STATIC_LIBRARY_PREFIX}(.*)\\${CMAKE_STATIC_LIBRARY_SUFFIX}$" "\\1" _l ${a})
    string(APPEND HLSKIT_PC_LIBS " -l${_l}")
  endforeach()
  string(APPEND HLSKIT_PC_LIBS " -Wl,--end-group")
  string(APPEND HLSKIT_PC_REQUIRES " systemc")
  string(APPEND HLSKIT_PC_LIBS_AFTER " -pthread")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/hlskit.pc.in ${PROJECT_BINARY_DIR}/hlskit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hlskit.pc DESTINATION ${_pc_dir})
