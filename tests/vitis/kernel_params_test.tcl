# kernel_params.tcl without Vivado: the ipx commands it calls are stubbed
# over a core held in a dict, and component.xml is written from that core in
# the shape Vivado writes it (IP-XACT spirit:parameter / spirit:modelParameter
# values with their PARAM_VALUE / MODELPARAM_VALUE ids). What this checks is
# zkacc's side: every override reaches both kinds of parameter, and the
# read-back refuses a file in which one did not land, naming it. Whether
# Vivado writes the file in this shape is for the packaging run itself (the
# check fails it otherwise).
#   tclsh kernel_params_test.tcl <hw/vitis/kernel_params.tcl>
source [lindex $argv 0]

set failures 0
proc fail {msg} { global failures; puts "FAIL: $msg"; incr failures }

namespace eval ipx {}

# The stub core: parameter name → {user value, hdl value}; zkacc_msm_kernel's
# parameters with their RTL defaults.
proc reset_core {} {
  global core_params propagate_hdl
  set core_params [dict create Lanes {1 1} BucketBits {12 12} DigitBits {16 16} RamStyle {block block}]
  set propagate_hdl 1
}
proc ipx::get_user_parameters {name -of_objects core} {
  global core_params
  return [expr {[dict exists $core_params $name] ? "user:$name" : ""}]
}
proc ipx::get_hdl_parameters {name -of_objects core} {
  global core_params
  return [expr {[dict exists $core_params $name] ? "hdl:$name" : ""}]
}
proc set_property {prop value obj} {
  global core_params propagate_hdl
  lassign [split $obj :] kind name
  lassign [dict get $core_params $name] user hdl
  if {$kind eq "user"} { set user $value } elseif {$propagate_hdl} { set hdl $value }
  dict set core_params $name [list $user $hdl]
}
proc component_xml {} {
  global core_params
  set xml "<spirit:component>\n"
  dict for {name values} $core_params {
    lassign $values user hdl
    append xml "  <spirit:modelParameter><spirit:name>$name</spirit:name>" \
      "<spirit:value spirit:format=\"long\" spirit:resolve=\"generated\" spirit:id=\"MODELPARAM_VALUE.$name\">$hdl</spirit:value>" \
      "</spirit:modelParameter>\n"
    append xml "  <spirit:parameter><spirit:name>$name</spirit:name>" \
      "<spirit:value spirit:format=\"long\" spirit:resolve=\"user\" spirit:id=\"PARAM_VALUE.$name\">$user</spirit:value>" \
      "</spirit:parameter>\n"
  }
  return "$xml</spirit:component>\n"
}

# The card build's overrides land on both kinds; the check passes.
set params {Lanes=3 BucketBits=18 DigitBits=18 RamStyle=ultra}
reset_core
zkacc_apply_params core $params
if {[dict get $core_params Lanes] ne {3 3}} { fail "Lanes=3 gave [dict get $core_params Lanes]" }
set problems [zkacc_check_component [component_xml] $params]
if {[llength $problems] != 0} { fail "a packaged core with every override is refused: $problems" }

# Defaults untouched: an empty override list checks nothing and passes.
reset_core
if {[llength [zkacc_check_component [component_xml] {}]] != 0} { fail "no overrides, yet problems" }

# A core whose HDL parameters keep the RTL defaults (the generic-only
# packaging this replaces): the check names Lanes, and only the model values.
reset_core
set propagate_hdl 0
zkacc_apply_params core {Lanes=3 BucketBits=12}
set problems [zkacc_check_component [component_xml] {Lanes=3 BucketBits=12}]
if {$problems ne {{MODELPARAM_VALUE.Lanes is 1, not 3}}} { fail "stale model parameter not named as such: $problems" }

# A parameter the file lacks altogether.
reset_core
set problems [zkacc_check_component [component_xml] {QueueDepth=8}]
if {$problems ne {{PARAM_VALUE.QueueDepth missing} {MODELPARAM_VALUE.QueueDepth missing}}} {
  fail "a missing parameter not named: $problems"
}

# Overrides the kernel does not have, or not Name=Value, are errors.
reset_core
if {![catch {zkacc_apply_params core {Lane=3}} msg] || ![string match "*no parameter Lane*" $msg]} {
  fail "an unknown parameter was not refused ($msg)"
}
foreach bad {Lanes =3 Lanes=} {
  if {![catch {zkacc_apply_params core [list $bad]} msg] || ![string match "*not Name=Value*" $msg]} {
    fail "malformed override '$bad' was not refused ($msg)"
  }
}

if {$failures > 0} { exit 1 }
puts "kernel_params: all checks passed"
