# cmake -DGENERATOR=exe -DCOMMON=ap_ctrl_hs.json -DTABLE=svm.json -DWORK=dir -P check_malformed.cmake
# Breaks a valid kernel table one way at a time; each must give exit 2, one error naming the file
# and the field, and no file written.
file(READ ${TABLE} valid)
string(JSON kernel GET "${valid}" kernel)

# name | expected text in the error | JSON edit (string(JSON ...) arguments, comma-separated) or RAW:<text>
set(cases
  "missing_field|field 'configs[0].clock_mhz': missing|REMOVE,configs,0,clock_mhz"
  "missing_top_field|field 'windows': missing|REMOVE,windows"
  "bad_hex|field 'registers[1].offset': expected a hex byte offset|SET,registers,1,offset,\"0x1G\""
  "not_hex|field 'windows[0].offset': expected a hex byte offset|SET,windows,0,offset,\"256\""
  "unaligned|field 'registers[1].offset': expected a word-aligned|SET,registers,1,offset,\"0x15\""
  "overlapping_registers|field 'registers[1].offset': overlaps 'registers[0].offset'|SET,registers,1,offset,\"0x10\""
  "register_in_ap_ctrl|field 'registers[1].offset': overlaps the ap_ctrl_hs block|SET,registers,1,offset,\"0x8\""
  "overlapping_windows|field 'windows[1].offset': overlaps 'windows[0].offset'|SET,windows,1,offset,\"0x104\""
  "window_over_register|field 'windows[0].offset': overlaps 'registers[4].offset'|SET,windows,0,offset,\"0x20\""
  "bad_expression|field 'windows[3].entries': expression|SET,windows,3,entries,\"(MaxClasses - 1) * Bogus\""
  "wrong_type|field 'configs[1].named': expected true or false|SET,configs,1,named,\"yes\""
  "not_json|not valid JSON|RAW:{\"kernel\": ")
set(i 0)
foreach(c IN LISTS cases)
  string(REPLACE "|" ";" parts "${c}")
  list(GET parts 0 name)
  list(GET parts 1 expect)
  list(GET parts 2 edit)
  set(dir ${WORK}/${name})
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir}/in ${dir}/out)
  if(edit MATCHES "^RAW:")
    string(REGEX REPLACE "^RAW:" "" bad "${edit}")
  else()
    string(REPLACE "," ";" edit "${edit}")
    list(GET edit 0 op)
    list(SUBLIST edit 1 -1 args)
    string(JSON bad ${op} "${valid}" ${args})
  endif()
  file(WRITE ${dir}/in/${kernel}.json "${bad}")
  execute_process(COMMAND ${GENERATOR} --common ${COMMON} --kernel ${dir}/in/${kernel}.json --out ${dir}/out
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(GLOB_RECURSE written ${dir}/out/*)
  if(NOT rc EQUAL 2)
    message(SEND_ERROR "${name}: exit ${rc}, expected 2 (stderr: ${err})")
  endif()
  string(FIND "${err}" "${dir}/in/${kernel}.json: " at_file)
  string(FIND "${err}" "${expect}" at_field)
  if(at_file EQUAL -1 OR at_field EQUAL -1)
    message(SEND_ERROR "${name}: the error does not name the file and '${expect}': ${err}")
  endif()
  if(written)
    message(SEND_ERROR "${name}: files written despite the error: ${written}")
  endif()
  message(STATUS "${name}: ${err}")
  math(EXPR i "${i} + 1")
endforeach()
message(STATUS "${i} malformed tables refused")
