# Packages one zkacc RTL kernel top as a Vitis kernel object (.xo).
#
#   vivado -mode batch -source package_kernel.tcl -tclargs <kernel> <part> <out.xo> [Param=Value ...]
#
# <kernel> is zkacc_msm_kernel or zkacc_ntt_kernel; <part> the card's FPGA
# (xcu55c-fsvh2892-2L-e for U55C, xcu250-figd2104-2L-e for U250); Param=Value
# overrides an RTL parameter of the top (e.g. BucketBits=16). The RTL file
# list is the one the Verilator models are built from.
if {[llength $argv] < 3} {
  puts "usage: package_kernel.tcl <kernel> <part> <out.xo> \[Param=Value ...\]"
  exit 1
}
set kernel [lindex $argv 0]
set part   [lindex $argv 1]
set xo     [lindex $argv 2]
set params [lrange $argv 3 end]
set here   [file dirname [file normalize [info script]]]
source $here/kernel_params.tcl
set rtl    [file normalize $here/../rtl]
set work   [file normalize ./vivado_$kernel]

create_project -force $kernel $work -part $part
set files [concat \
  [list $rtl/arith/zkacc_arith_pkg.sv $rtl/kernel/zkacc_axi_pkg.sv] \
  [glob $rtl/arith/*.sv] [glob $rtl/ntt/*.sv] [glob $rtl/msm/*.sv] [glob $rtl/kernel/*.sv]]
add_files -norecurse [lsort -unique $files]
# The tops' shared port lists and connections (`include "zkacc_kernel_shell.svh"),
# added so that packaging imports it, and its folder on the include path.
add_files -norecurse $rtl/kernel/zkacc_kernel_shell.svh
set_property file_type {Verilog Header} [get_files zkacc_kernel_shell.svh]
set_property include_dirs [list $rtl/kernel] [current_fileset]
set_property top $kernel [current_fileset]
# The overrides for this project's elaboration (all in one property: each
# set_property generic replaces the last); the packaged IP gets them below.
if {[llength $params] > 0} {
  set_property generic [join $params " "] [current_fileset]
}
update_compile_order -fileset sources_1

# IP-XACT packaging: every m_axi_* and s_axi_control interface runs on ap_clk.
ipx::package_project -root_dir $work/ip -vendor zkacc.org -library kernel -taxonomy /KernelIP -import_files -set_current false
ipx::unload_core $work/ip/component.xml
ipx::edit_ip_in_project -upgrade true -name tmp_edit -directory $work/ip $work/ip/component.xml
set core [ipx::current_core]
set_property sdx_kernel true $core
set_property sdx_kernel_type rtl $core
set_property ipi_drc {ignore_freq_hz true} $core
set busifs [list s_axi_control]
foreach intf [ipx::get_bus_interfaces -of_objects $core] {
  if {[string match m_axi_* [get_property NAME $intf]]} { lappend busifs [get_property NAME $intf] }
}
ipx::associate_bus_interfaces -busif [join $busifs :] -clock ap_clk $core
set_property xpm_libraries {XPM_MEMORY XPM_FIFO} $core
# The overrides as the IP's own parameter values (kernel_params.tcl).
zkacc_apply_params $core $params
ipx::update_checksums $core
ipx::save_core $core
close_project -delete
set fh [open $work/ip/component.xml]
set problems [zkacc_check_component [read $fh] $params]
close $fh
if {[llength $problems] > 0} {
  puts "ERROR: $kernel: the packaged IP does not carry the parameters asked for: [join $problems {; }]"
  exit 1
}

package_xo -force -xo_path $xo -kernel_name $kernel -ip_directory $work/ip -kernel_xml $here/$kernel.xml
puts "packaged $kernel into $xo"
