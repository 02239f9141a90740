# Stub procedures for the Vivado and Quartus commands hlskit export's scripts use (issue 12 item 3):
#   tclsh tests/export/vendor_stubs.tcl TREE SCRIPT
# sources TREE/SCRIPT with the vendor commands replaced by procedures that accept exactly the
# commands and options the exporter's templates use and fail on anything else (an unknown command
# fails as in any tclsh), and on any file argument that does not exist inside TREE. The constraints
# (XDC, SDC) are evaluated too, once the top is known (synth_design -top / TOP_LEVEL_ENTITY), with
# get_ports checked against the top's ports read from the sources. Prints "stubs: ok: ..." and
# exits 0 when the script ran through and reached its final step (route/checkpoint, save_core or
# execute_flow); otherwise one "stubs: FAIL ..." line and exit 1.
namespace eval stub {}
if {[llength $argv] != 2} { puts stderr "usage: tclsh vendor_stubs.tcl TREE SCRIPT"; exit 2 }
set ::stub::tree [file normalize [lindex $argv 0]]
set ::stub::script [file join $::stub::tree [lindex $argv 1]]
set ::stub::sources {}
set ::stub::constraints {}
set ::stub::steps {}
set ::stub::assign [dict create]

proc fail {msg} { return -code error $msg }

# Options: spec is a dict option -> 1 (takes a value) or 0 (a flag); returns [dict options positionals].
proc opts {cmd spec args} {
  set o [dict create]
  set pos {}
  for {set i 0} {$i < [llength $args]} {incr i} {
    set a [lindex $args $i]
    if {[string index $a 0] eq "-" && ![string is double -strict $a]} {
      if {![dict exists $spec $a]} { fail "$cmd: option $a is not one the exporter uses ([dict keys $spec])" }
      if {[dict get $spec $a]} {
        incr i
        if {$i >= [llength $args]} { fail "$cmd: $a needs a value" }
        dict set o $a [lindex $args $i]
      } else { dict set o $a 1 }
    } else { lappend pos $a }
  }
  return [list $o $pos]
}
proc need {cmd o names} { foreach n $names { if {![dict exists $o $n]} { fail "$cmd: $n is required" } } }
proc npos {cmd pos n} { if {[llength $pos] != $n} { fail "$cmd: expected $n arguments, got [llength $pos]: $pos" } }
# An existing file inside the tree (relative to the current directory, which the script sets).
proc infile {cmd f} {
  set p [file normalize $f]
  if {[string first "$::stub::tree/" $p] != 0} { fail "$cmd: '$f' is outside the exported tree" }
  if {![file isfile $p]} { fail "$cmd: '$f' does not exist in the exported tree" }
  return $p
}
# An output: its directory is inside the tree (the script creates it).
proc outfile {cmd f} {
  set p [file normalize $f]
  if {[string first "$::stub::tree/" $p] != 0} { fail "$cmd: output '$f' is outside the exported tree" }
  return $p
}
proc step {s} { lappend ::stub::steps $s }

# ---- the top's ports, from the sources ------------------------------------------------------------
proc ports_of {top} {
  foreach f $::stub::sources {
    set fh [open $f]; set text [read $fh]; close $fh
    if {[regexp "module\\s+$top\\s*(#\\s*\\(.*?\\)\\s*)?\\((.*?)\\);" $text -> - body]} {
      set ports [dict create]
      foreach {- dir bus name} [regexp -all -inline {(input|output)\s+logic\s*(\[[^\]]+\])?\s*([A-Za-z_][A-Za-z0-9_]*)} $body] {
        dict set ports $name [expr {$bus ne ""}]
      }
      return $ports
    }
  }
  fail "top '$top' is not a module of the sources read"
}

# ---- constraints (XDC and SDC), evaluated in their own interpreter ---------------------------------
proc eval_constraints {top} {
  set ::stub::ports [ports_of $top]
  set ::stub::clocks {}
  foreach {kind f} $::stub::constraints {
    set i [interp create]
    foreach c {create_clock get_ports get_clocks set_property set_input_delay set_output_delay derive_clock_uncertainty} {
      interp alias $i $c {} c_$c $kind
    }
    set fh [open $f]; set text [read $fh]; close $fh
    if {[catch {$i eval $text} err]} { interp delete $i; fail "$f: $err" }
    interp delete $i
  }
  if {"ap_clk" ni $::stub::clocks} { fail "no create_clock on ap_clk" }
}
proc c_get_ports {kind args} {
  lassign [opts get_ports {} {*}$args] o pos
  npos get_ports $pos 1
  set out {}
  foreach p [lindex $pos 0] {
    if {[regexp {^(.*)\[\*\]$} $p -> base]} {
      if {![dict exists $::stub::ports $base] || ![dict get $::stub::ports $base]} { fail "get_ports: $p: no bus port $base" }
    } elseif {![dict exists $::stub::ports $p] || [dict get $::stub::ports $p]} { fail "get_ports: no scalar port $p" }
    lappend out "port:$p"
  }
  return $out
}
proc c_get_clocks {kind args} {
  lassign [opts get_clocks {} {*}$args] o pos
  npos get_clocks $pos 1
  if {[lindex $pos 0] ni $::stub::clocks} { fail "get_clocks: no clock [lindex $pos 0]" }
  return "clock:[lindex $pos 0]"
}
proc c_create_clock {kind args} {
  lassign [opts create_clock {-name 1 -period 1} {*}$args] o pos
  need create_clock $o {-name -period}
  npos create_clock $pos 1
  if {![string is double -strict [dict get $o -period]] || [dict get $o -period] <= 0} { fail "create_clock: bad period" }
  if {[lindex $pos 0] ne "port:ap_clk"} { fail "create_clock: not on port ap_clk" }
  lappend ::stub::clocks [dict get $o -name]
}
proc io_delay {cmd kind args} {
  lassign [opts $cmd {-clock 1} {*}$args] o pos
  need $cmd $o -clock
  npos $cmd $pos 2
  set c [dict get $o -clock]
  if {$c ne "clock:ap_clk" && !($kind eq "sdc" && $c eq "ap_clk")} { fail "$cmd: -clock $c is not ap_clk" }
  if {![string is double -strict [lindex $pos 0]]} { fail "$cmd: delay [lindex $pos 0] is not a number" }
  if {[llength [lindex $pos 1]] == 0} { fail "$cmd: no ports" }
}
proc c_set_input_delay {kind args} { io_delay set_input_delay $kind {*}$args }
proc c_set_output_delay {kind args} { io_delay set_output_delay $kind {*}$args }
proc c_set_property {kind args} {
  if {$kind ne "xdc"} { fail "set_property in an SDC" }
  lassign [opts set_property {} {*}$args] o pos
  npos set_property $pos 3
  if {[lindex $pos 0] ne "HD.CLK_SRC" || [lindex $pos 2] ne "port:ap_clk"} { fail "set_property [lindex $pos 0]: not the exporter's" }
}
proc c_derive_clock_uncertainty {kind args} {
  if {$kind ne "sdc" || [llength $args] != 0} { fail "derive_clock_uncertainty: only in an SDC, without arguments" }
}

# ---- Vivado --------------------------------------------------------------------------------------
proc read_verilog {args} {
  lassign [opts read_verilog {-sv 0} {*}$args] o pos
  need read_verilog $o -sv
  npos read_verilog $pos 1
  lappend ::stub::sources [infile read_verilog [lindex $pos 0]]
}
proc read_mem {args} { lassign [opts read_mem {} {*}$args] o pos; npos read_mem $pos 1; infile read_mem [lindex $pos 0] }
proc read_xdc {args} {
  lassign [opts read_xdc {} {*}$args] o pos; npos read_xdc $pos 1
  if {[file extension [lindex $pos 0]] ne ".xdc"} { fail "read_xdc: [lindex $pos 0] is not an .xdc" }
  lappend ::stub::constraints xdc [infile read_xdc [lindex $pos 0]]
}
proc synth_design {args} {
  lassign [opts synth_design {-top 1 -part 1 -mode 1} {*}$args] o pos
  need synth_design $o {-top -part -mode}
  npos synth_design $pos 0
  if {[dict get $o -mode] ne "out_of_context"} { fail "synth_design: -mode [dict get $o -mode]" }
  if {[llength $::stub::sources] == 0} { fail "synth_design: no sources read" }
  eval_constraints [dict get $o -top]
  step synth
}
foreach c {opt_design place_design route_design} {
  proc $c {args} "if {\[llength \$args\]} { fail \"$c: takes no arguments here\" }; step $c"
}
proc report_utilization {args} { lassign [opts report_utilization {-file 1} {*}$args] o pos; need report_utilization $o -file; npos report_utilization $pos 0; outfile report_utilization [dict get $o -file] }
proc report_timing_summary {args} { lassign [opts report_timing_summary {-file 1} {*}$args] o pos; need report_timing_summary $o -file; npos report_timing_summary $pos 0; outfile report_timing_summary [dict get $o -file] }
proc write_checkpoint {args} {
  lassign [opts write_checkpoint {-force 0} {*}$args] o pos; npos write_checkpoint $pos 1
  outfile write_checkpoint [lindex $pos 0]
  if {"route_design" ni $::stub::steps} { fail "write_checkpoint before route_design" }
  step done
}
# IP packaging
proc create_project {args} {
  lassign [opts create_project {-force 0 -part 1} {*}$args] o pos; need create_project $o -part; npos create_project $pos 2
  outfile create_project [lindex $pos 1]
  step project
}
proc add_files {args} {
  lassign [opts add_files {-norecurse 0} {*}$args] o pos; npos add_files $pos 1
  set p [infile add_files [lindex $pos 0]]
  if {[file extension $p] eq ".sv"} { lappend ::stub::sources $p }
}
proc current_fileset {args} { npos current_fileset $args 0; return sources_1 }
proc update_compile_order {args} { lassign [opts update_compile_order {-fileset 1} {*}$args] o pos; npos update_compile_order $pos 0 }
proc close_project {args} { npos close_project $args 0 }
proc set_property {args} {
  lassign [opts set_property {} {*}$args] o pos; npos set_property $pos 3
  set name [lindex $pos 0]; set obj [lindex $pos 2]
  if {$name eq "top" && $obj eq "sources_1"} { set ::stub::ip_top [lindex $pos 1]; return }
  if {$obj eq "core" && $name in {name version display_name description}} { return }
  if {$name eq "value" && [string match "busparam:*" $obj]} { return }
  fail "set_property $name on $obj: not the exporter's"
}
namespace eval ipx {}
proc ipx::package_project {args} {
  lassign [opts ipx::package_project {-root_dir 1 -vendor 1 -library 1 -taxonomy 1 -import_files 0 -set_current 1} {*}$args] o pos
  need ipx::package_project $o {-root_dir -vendor -library -taxonomy}
  npos ipx::package_project $pos 0
  outfile ipx::package_project [dict get $o -root_dir]
  if {![info exists ::stub::ip_top]} { fail "ipx::package_project: no top set" }
  set ::stub::ipports [ports_of $::stub::ip_top]
  step packaged
}
proc ipx::current_core {args} { npos ipx::current_core $args 0; return core }
proc ipx::infer_bus_interfaces {args} {
  npos ipx::infer_bus_interfaces $args 2
  if {[lindex $args 0] ni {xilinx.com:interface:aximm_rtl:1.0 xilinx.com:interface:axis_rtl:1.0 xilinx.com:signal:interrupt_rtl:1.0}} { fail "ipx::infer_bus_interfaces [lindex $args 0]" }
}
proc ipx::associate_bus_interfaces {args} {
  lassign [opts ipx::associate_bus_interfaces {-busif 1 -clock 1 -reset 1} {*}$args] o pos
  need ipx::associate_bus_interfaces $o -clock
  npos ipx::associate_bus_interfaces $pos 1
  if {[dict get $o -clock] ne "ap_clk"} { fail "associate: clock [dict get $o -clock]" }
  if {[dict exists $o -busif]} {
    set b [dict get $o -busif]
    if {![dict exists $::stub::ipports ${b}_TDATA] && ![dict exists $::stub::ipports ${b}_AWADDR]} { fail "associate: no bus interface $b in the top's ports" }
  }
  if {[dict exists $o -reset] && ![dict exists $::stub::ipports [dict get $o -reset]]} { fail "associate: no reset port [dict get $o -reset]" }
}
proc ipx::get_bus_interfaces {args} {
  lassign [opts ipx::get_bus_interfaces {-of_objects 1} {*}$args] o pos; npos ipx::get_bus_interfaces $pos 1
  if {![dict exists $::stub::ipports [lindex $pos 0]]} { fail "ipx::get_bus_interfaces: no port [lindex $pos 0]" }
  return "busif:[lindex $pos 0]"
}
proc ipx::get_bus_parameters {args} { lassign [opts ipx::get_bus_parameters {-of_objects 1} {*}$args] o pos; npos ipx::get_bus_parameters $pos 1; return "busparam:[lindex $pos 0]" }
proc ipx::add_bus_parameter {args} { npos ipx::add_bus_parameter $args 2; return "busparam:[lindex $args 0]" }
foreach c {create_xgui_files update_checksums check_integrity} { proc ipx::$c {args} { npos ipx $args 1 } }
proc ipx::save_core {args} { npos ipx::save_core $args 1; if {"packaged" ni $::stub::steps} { fail "save_core before package_project" }; step done }

# ---- Quartus -------------------------------------------------------------------------------------
package provide ::quartus::project 1.0
package provide ::quartus::flow 1.0
proc project_new {args} { lassign [opts project_new {-overwrite 0} {*}$args] o pos; npos project_new $pos 1; step project }
proc set_global_assignment {args} {
  lassign [opts set_global_assignment {-name 1} {*}$args] o pos; need set_global_assignment $o -name; npos set_global_assignment $pos 1
  set n [dict get $o -name]; set v [lindex $pos 0]
  switch -- $n {
    FAMILY - DEVICE - TOP_LEVEL_ENTITY { dict set ::stub::assign $n $v }
    PROJECT_OUTPUT_DIRECTORY { outfile $n $v }
    SYSTEMVERILOG_FILE { lappend ::stub::sources [infile $n $v] }
    MISC_FILE { infile $n $v }
    SDC_FILE {
      if {[file extension $v] ne ".sdc"} { fail "SDC_FILE $v is not an .sdc" }
      lappend ::stub::constraints sdc [infile $n $v]
    }
    default { fail "set_global_assignment -name $n: not the exporter's" }
  }
}
proc set_instance_assignment {args} {
  lassign [opts set_instance_assignment {-name 1 -to 1} {*}$args] o pos; need set_instance_assignment $o {-name -to}; npos set_instance_assignment $pos 1
  if {[dict get $o -name] ne "VIRTUAL_PIN" || [lindex $pos 0] ne "ON"} { fail "set_instance_assignment: not the exporter's" }
  lappend ::stub::virtual [dict get $o -to]
}
proc execute_flow {args} {
  lassign [opts execute_flow {-compile 0} {*}$args] o pos; need execute_flow $o -compile; npos execute_flow $pos 0
  foreach n {FAMILY DEVICE TOP_LEVEL_ENTITY} { if {![dict exists $::stub::assign $n]} { fail "execute_flow: no $n" } }
  set top [dict get $::stub::assign TOP_LEVEL_ENTITY]
  eval_constraints $top
  foreach p [dict keys $::stub::ports] {
    set pat [expr {[dict get $::stub::ports $p] ? "$p\[*\]" : $p}]
    if {$p ne "ap_clk" && $pat ni $::stub::virtual} { fail "port $p is not a virtual pin" }
  }
  if {"ap_clk" in $::stub::virtual} { fail "ap_clk is a virtual pin" }
  step done
}
proc project_close {args} { npos project_close $args 0 }

# ---- run -----------------------------------------------------------------------------------------
set ::stub::virtual {}
if {![file isfile $::stub::script]} { puts "stubs: FAIL: no script $::stub::script"; exit 1 }
set argv0 $::stub::script
set argv {}
if {[catch {uplevel #0 [list source $::stub::script]} err]} {
  puts "stubs: FAIL: $err"
  exit 1
}
if {"done" ni $::stub::steps} { puts "stubs: FAIL: the script did not reach its last step (steps: $::stub::steps)"; exit 1 }
puts "stubs: ok: $::stub::script: steps $::stub::steps, [llength $::stub::sources] sources, [expr {[llength $::stub::constraints] / 2}] constraint files"
