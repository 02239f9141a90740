# The installed package (DESIGN §8): `cmake --install` gives
#   find_package(hlskit CONFIG)  ->  hlskit::hls (header-only kernels and types), hlskit::host (the
#                                    runtime and host library), hlskit_MODELS_DIR
#   pkg-config hlskit            ->  the same for a one-line compile (relocatable: ${pcfiledir})
#   include/                        hls/include, hls/kernels (as include/hlskit/kernels), host/include
#   share/hlskit/models/            the embedded default models (hlskit::models_dir(): set
#                                   HLSKIT_MODELS to this directory, or configure the build with
#                                   HLSKIT_INSTALLED_MODELS_DIR, see below)
#   bin/hlskit                      the command line
# With the emulation platform (target hlskit_platform), the platform library, SystemC and the
# Verilated model libraries it links are installed and exported too (HLSKIT_PLATFORM_EXPORT_TARGETS
# names the latter; hlskit_autoencoder_rtl and hlskit_svm_rtl are found by name).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HLSKIT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/hlskit)
set(HLSKIT_INSTALL_MODELSDIR ${CMAKE_INSTALL_DATADIR}/hlskit/models)
# Where an installed build finds its models when HLSKIT_MODELS is not set: for the declarations'
# models_dir() (the lead's hlskit_add_kernel may compile it in instead of the source tree).
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

# Targets. Everything hlskit_host links that is built here must be exported with it.
set(HLSKIT_HAVE_PLATFORM_INSTALL OFF)
set(_hlskit_export hlskit_hls hlskit_host)
if(TARGET hlskit_platform)
  set(HLSKIT_HAVE_PLATFORM_INSTALL ON)
  list(APPEND _hlskit_export hlskit_platform hlskit_systemc)
  foreach(t IN LISTS HLSKIT_PLATFORM_EXPORT_TARGETS ITEMS hlskit_autoencoder_rtl hlskit_svm_rtl)
    if(TARGET ${t})
      list(APPEND _hlskit_export ${t})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES _hlskit_export)
endif()
install(TARGETS ${_hlskit_export} EXPORT hlskitTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hlskitTargets NAMESPACE hlskit:: DESTINATION ${HLSKIT_INSTALL_CMAKEDIR} FILE hlskitTargets.cmake)
if(TARGET hlskit)
  install(TARGETS hlskit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/hlskitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hlskitConfig.cmake
  INSTALL_DESTINATION ${HLSKIT_INSTALL_CMAKEDIR}
  PATH_VARS HLSKIT_INSTALL_MODELSDIR CMAKE_INSTALL_INCLUDEDIR)
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
  # The platform and its Verilated models before the runtime's dependencies, SystemC last.
  set(_pc_platform_libs "")
  foreach(t IN LISTS _hlskit_export)
    if(NOT t STREQUAL "hlskit_hls" AND NOT t STREQUAL "hlskit_host" AND NOT t STREQUAL "hlskit_systemc")
      get_target_property(_type ${t} TYPE)
      if(_type STREQUAL "STATIC_LIBRARY" OR _type STREQUAL "SHARED_LIBRARY")
        get_target_property(_name ${t} OUTPUT_NAME)
        if(NOT _name)
          set(_name ${t})
        endif()
        string(APPEND _pc_platform_libs " -l${_name}")
      endif()
    endif()
  endforeach()
  string(APPEND HLSKIT_PC_LIBS "${_pc_platform_libs}")
  string(APPEND HLSKIT_PC_REQUIRES " systemc")
  string(APPEND HLSKIT_PC_LIBS_AFTER " -pthread")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/hlskit.pc.in ${PROJECT_BINARY_DIR}/hlskit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hlskit.pc DESTINATION ${_pc_dir})
