# The installed package in use (ctest test_install_example, label `install`):
#  1. cmake --install the build into a fresh temporary prefix;
#  2. configure and build examples/host_autoencoder out of tree with find_package(hlskit CONFIG)
#     against that prefix only;
#  3. build it again with one g++ command and `pkg-config --cflags --libs hlskit`;
#  4. run both on every backend of the build (BACKENDS), with the models of the prefix
#     (HLSKIT_MODELS), and with the backend from HLSKIT_EMULATION; every run must exit 0 and print
#     the same latents as the csim run of the CMake build.
# cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DBACKENDS=csim|systemc|rtl -DCXX=... -P install_example.cmake
foreach(v BUILD_DIR SOURCE_DIR WORK_DIR BACKENDS CXX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_example.cmake: -D${v}=... is required")
  endif()
endforeach()
string(REPLACE "|" ";" BACKENDS "${BACKENDS}")
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${name}: ok")
endfunction()

step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/hlskit/host.hpp include/hlskit_host.h include/hlskit/kernel.hpp include/hlskit/fixed.hpp
          share/hlskit/models/autoencoder/econt.json)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install: ${prefix}/${f} is missing")
  endif()
endforeach()
file(GLOB_RECURSE config_files ${prefix}/*/hlskitConfig.cmake)
file(GLOB_RECURSE pc_files ${prefix}/*/hlskit.pc)
if(NOT config_files OR NOT pc_files)
  message(FATAL_ERROR "install: no hlskitConfig.cmake (${config_files}) or hlskit.pc (${pc_files}) under ${prefix}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)

# Out of tree with CMake: only the prefix is searched (no package registry, no source tree).
step("configure the example" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/host_autoencoder -B ${WORK_DIR}/build
     -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
     -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
step("build the example" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)

# With pkg-config, in one line.
step("build the example with pkg-config" sh -c
     "PKG_CONFIG_PATH='${pc_dir}' '${CXX}' -O2 '${SOURCE_DIR}/examples/host_autoencoder/main.cpp' -o '${WORK_DIR}/host_autoencoder_pc' $(PKG_CONFIG_PATH='${pc_dir}' pkg-config --cflags --libs hlskit)")

set(models ${prefix}/share/hlskit/models)
function(run_example out_var program backend)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env HLSKIT_MODELS=${models} --unset=HLSKIT_EMULATION ${program} ${backend} 6
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${program} ${backend}: exit ${rc}\n${out}\n${err}")
  endif()
  if(NOT err MATCHES "device ${backend}: autoencoder/econt, 6 events")
    message(FATAL_ERROR "${program} ${backend}: unexpected summary: ${err}")
  endif()
  message(STATUS "${program} ${backend}: ${err}")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

run_example(reference ${WORK_DIR}/build/host_autoencoder csim)
string(REGEX MATCHALL "event [0-9]+:( [0-9]\\.[0-9][0-9][0-9][0-9])+\n" lines "${reference}")
list(LENGTH lines n)
if(NOT n EQUAL 6 OR reference MATCHES "^(event [0-9]+:( 0\\.0000)+\n)*$")
  message(FATAL_ERROR "the csim run printed ${n} event lines of 16 latents, or only zeros:\n${reference}")
endif()
foreach(program ${WORK_DIR}/build/host_autoencoder ${WORK_DIR}/host_autoencoder_pc)
  foreach(backend IN LISTS BACKENDS)
    run_example(out ${program} ${backend})
    if(NOT out STREQUAL reference)
      message(FATAL_ERROR "${program} on ${backend} printed other latents than csim:\n${out}\ncsim:\n${reference}")
    endif()
  endforeach()
endforeach()
# The backend from the environment when argv names none.
list(GET BACKENDS -1 last)
execute_process(COMMAND ${CMAKE_COMMAND} -E env HLSKIT_MODELS=${models} HLSKIT_EMULATION=${last}
                        ${WORK_DIR}/build/host_autoencoder "" 6
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
if(NOT rc EQUAL 0 OR NOT out STREQUAL reference OR NOT err MATCHES "device ${last}:")
  message(FATAL_ERROR "HLSKIT_EMULATION=${last}: exit ${rc}\n${out}\n${err}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "the installed package builds and runs the example on: ${BACKENDS}")
