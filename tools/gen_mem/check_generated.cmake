# cmake -DGENERATOR=exe -DGENERATED=file -DCOMMITTED=file -P check_generated.cmake
# Runs a table generator into the build tree and fails unless its output equals the committed
# file byte for byte.
execute_process(COMMAND ${GENERATOR} ${GENERATED} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${GENERATOR} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${GENERATED} ${COMMITTED} RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "${COMMITTED} is not what the generator writes (${GENERATED}); "
                      "regenerate it: cmake --build <build dir> --target hlskit_update_mem")
endif()
message(STATUS "${COMMITTED} is current")
