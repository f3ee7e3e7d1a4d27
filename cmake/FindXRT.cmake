# Finds Xilinx XRT's user-space library as Debian's libxrt-dev installs it
# (headers under include/xrt, so both <xrt/xrt_device.h> and
# <experimental/xrt_system.h> resolve) and defines XRT::coreutil.
find_path(XRT_INCLUDE_DIR xrt/xrt_device.h PATH_SUFFIXES xrt HINTS $ENV{XILINX_XRT}/include)
find_library(XRT_COREUTIL_LIBRARY xrt_coreutil HINTS $ENV{XILINX_XRT}/lib)
# xrt::uuid wraps libuuid, which the shared library does not pull in itself.
find_library(XRT_UUID_LIBRARY uuid)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(XRT DEFAULT_MSG XRT_INCLUDE_DIR XRT_COREUTIL_LIBRARY XRT_UUID_LIBRARY)
if(XRT_FOUND AND NOT TARGET XRT::coreutil)
  add_library(XRT::coreutil UNKNOWN IMPORTED)
  set_target_properties(XRT::coreutil PROPERTIES IMPORTED_LOCATION ${XRT_COREUTIL_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${XRT_INCLUDE_DIR}
                        INTERFACE_LINK_LIBRARIES ${XRT_UUID_LIBRARY})
endif()
