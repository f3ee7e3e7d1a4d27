# The card's RTL parameters as the packaged kernel's own values.
#
# v++ instantiates a kernel's top with the IP-XACT parameters of its
# component.xml. ipx::package_project takes those from the top's RTL
# defaults; a fileset generic only steers the packaging project's own
# elaboration, so Lanes = 3 given that way alone could build one lane.
# zkacc_apply_params sets each Param=Value on the core's user parameter
# and on its HDL (model) parameter; zkacc_check_component reads the saved
# component.xml back and names every parameter whose value did not land,
# so a packaging that would build the wrong kernel stops there.
# (Vivado Design Suite Tcl Command Reference, UG835: ipx::get_user_parameters,
# ipx::get_hdl_parameters; IP-XACT, IEEE 1685: spirit:parameter and
# spirit:modelParameter values with spirit:id PARAM_VALUE.<name> and
# MODELPARAM_VALUE.<name>, as Vivado writes them.)

# "Name=Value" → {Name Value}; an error names a malformed entry.
proc zkacc_split_param {kv} {
  set i [string first = $kv]
  if {$i <= 0 || $i == [string length $kv] - 1} {
    error "parameter override '$kv' is not Name=Value"
  }
  return [list [string range $kv 0 [expr {$i - 1}]] [string range $kv [expr {$i + 1}] end]]
}

proc zkacc_apply_params {core params} {
  foreach kv $params {
    lassign [zkacc_split_param $kv] name value
    set user [ipx::get_user_parameters $name -of_objects $core]
    if {$user eq ""} { error "the kernel has no parameter $name" }
    set_property value $value $user
    set hdl [ipx::get_hdl_parameters $name -of_objects $core]
    if {$hdl ne ""} { set_property value $value $hdl }
  }
}

# Returns the list of problems (empty when every override is in the file).
proc zkacc_check_component {xml params} {
  set problems {}
  foreach kv $params {
    lassign [zkacc_split_param $kv] name value
    foreach id [list PARAM_VALUE.$name MODELPARAM_VALUE.$name] {
      set re "spirit:id=\"[string map {. \\.} $id]\">\"?(\[^<\"\]*)\"?</spirit:value>"
      if {![regexp -- $re $xml -> found]} {
        lappend problems "$id missing"
      } elseif {$found ne $value} {
        lappend problems "$id is $found, not $value"
      }
    }
  }
  return $problems
}
