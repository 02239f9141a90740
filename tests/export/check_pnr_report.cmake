# The nextpnr report parser of bench/pnr (nextpnr_report.cmake) on recorded nextpnr-ice40 0.4
# outputs (pnr_report/): a routed run's --report JSON (two fmax entries: ap_clk's and a constant
# net nextpnr put on a global buffer) and the log of a run that did not fit (no report: the
# utilization comes from the log's table). Exact figures, so a change of format is noticed.
#   cmake -P check_pnr_report.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../bench/pnr/nextpnr_report.cmake)
set(dir ${CMAKE_CURRENT_LIST_DIR}/pnr_report)

function(expect what got want)
  if(NOT "${got}" STREQUAL "${want}")
    message(FATAL_ERROR "${what}: got '${got}', expected '${want}'")
  endif()
endfunction()

hlskit_nextpnr_figures(r ${dir}/routed_report.json ${dir}/nofit_nextpnr.log)
expect("routed" "${r_routed}" TRUE)
expect("routed LC" "${r_LC_used}/${r_LC_available}" "1301/5280")
expect("routed RAM" "${r_RAM_used}/${r_RAM_available}" "0/30")
expect("routed DSP" "${r_DSP_used}/${r_DSP_available}" "4/8")
expect("routed IO" "${r_IO_used}/${r_IO_available}" "10/96")
expect("routed Fmax (ap_clk, not the constant net)" "${r_fmax}" "25.835119247436523")
expect("routed requested" "${r_target}" "100")

hlskit_nextpnr_figures(n ${dir}/absent_report.json ${dir}/nofit_nextpnr.log)
expect("not routed" "${n_routed}" FALSE)
expect("no Fmax" "${n_fmax}" "")
include(${dir}/nofit_expected.cmake)  # nofit_LC, nofit_RAM, nofit_DSP, nofit_IO
expect("nofit LC" "${n_LC_used}/${n_LC_available}" "${nofit_LC}")
expect("nofit RAM" "${n_RAM_used}/${n_RAM_available}" "${nofit_RAM}")
expect("nofit DSP" "${n_DSP_used}/${n_DSP_available}" "${nofit_DSP}")
expect("nofit IO" "${n_IO_used}/${n_IO_available}" "${nofit_IO}")
if(NOT n_LC_used GREATER n_LC_available AND NOT n_RAM_used GREATER n_RAM_available)
  message(FATAL_ERROR "the no-fit fixture fits")
endif()

hlskit_nextpnr_figures(e ${dir}/absent_report.json ${dir}/absent.log)
expect("nothing" "${e_routed}/${e_LC_used}/${e_fmax}" "FALSE//")
message(STATUS "nextpnr report parser: routed ${r_LC_used} LC, ${r_fmax} MHz; no-fit ${n_LC_used}/${n_LC_available} LC")
