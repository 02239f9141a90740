# The figures of one nextpnr-ice40 run (included by pnr_bench.cmake and tests/export/check_export.cmake):
#   hlskit_nextpnr_figures(PREFIX REPORT LOG)
# sets, in the caller's scope,
#   PREFIX_routed            TRUE when REPORT (nextpnr's --report JSON, written only by a run that
#                            placed and routed) exists, FALSE otherwise
#   PREFIX_<R>_used, PREFIX_<R>_available   for R in LC RAM DSP IO (ICESTORM_LC, ICESTORM_RAM,
#                            ICESTORM_DSP, SB_IO): from REPORT's "utilization", else from LOG's
#                            "Device utilisation" table, which nextpnr prints after packing, before
#                            it places (so a design that does not fit still has its figures); empty
#                            when neither has them
#   PREFIX_fmax, PREFIX_target   the achieved and the requested MHz of ap_clk (REPORT's "fmax", the
#                            net ap_clk$SB_IO_IN_$glb_clk), empty when not routed
include_guard(GLOBAL)

function(hlskit_nextpnr_figures prefix report log)
  set(cells LC ICESTORM_LC RAM ICESTORM_RAM DSP ICESTORM_DSP IO SB_IO)
  foreach(r LC RAM DSP IO)
    set(${prefix}_${r}_used "" PARENT_SCOPE)
    set(${prefix}_${r}_available "" PARENT_SCOPE)
  endforeach()
  set(${prefix}_fmax "" PARENT_SCOPE)
  set(${prefix}_target "" PARENT_SCOPE)
  set(${prefix}_routed FALSE PARENT_SCOPE)
  if(EXISTS ${report})
    file(READ ${report} json)
    set(${prefix}_routed TRUE PARENT_SCOPE)
    while(cells)
      list(POP_FRONT cells r cell)
      string(JSON used ERROR_VARIABLE e1 GET "${json}" utilization ${cell} used)
      string(JSON avail ERROR_VARIABLE e2 GET "${json}" utilization ${cell} available)
      if(NOT e1 AND NOT e2)
        set(${prefix}_${r}_used ${used} PARENT_SCOPE)
        set(${prefix}_${r}_available ${avail} PARENT_SCOPE)
      endif()
    endwhile()
    # ap_clk's net (nextpnr: "ap_clk$SB_IO_IN_$glb_clk"); other entries are nets nextpnr promoted
    # to a global buffer that clock nothing of ours (a DSP's constant clock: "$PACKER_GND_NET_$glb_clk").
    string(JSON nclocks ERROR_VARIABLE e LENGTH "${json}" fmax)
    if(NOT e AND nclocks GREATER 0)
      math(EXPR last "${nclocks} - 1")
      foreach(i RANGE ${last})
        string(JSON clock MEMBER "${json}" fmax ${i})
        if(clock MATCHES "^ap_clk([$]|$)")
          string(JSON fmax GET "${json}" fmax ${clock} achieved)
          string(JSON target GET "${json}" fmax ${clock} constraint)
          set(${prefix}_fmax ${fmax} PARENT_SCOPE)
          set(${prefix}_target ${target} PARENT_SCOPE)
        endif()
      endforeach()
    endif()
  elseif(EXISTS ${log})
    file(READ ${log} text)
    while(cells)
      list(POP_FRONT cells r cell)
      # "Info: \t ICESTORM_LC:  1234/ 5280    23%" (the last table printed: after packing)
      string(REGEX MATCHALL "[ \t]${cell}:[ \t]*[0-9]+/[ \t]*[0-9]+" lines "${text}")
      if(lines)
        list(GET lines -1 line)
        string(REGEX MATCH "([0-9]+)/[ \t]*([0-9]+)" _ "${line}")
        set(${prefix}_${r}_used ${CMAKE_MATCH_1} PARENT_SCOPE)
        set(${prefix}_${r}_available ${CMAKE_MATCH_2} PARENT_SCOPE)
      endif()
    endwhile()
  endif()
endfunction()
