# What `cmake --install` puts under the prefix (docs/library.md):
#
#   bin/zkacc                        the command-line program
#   lib/libzkacc.a|.so               core: fields, curves, pairing, MSM, NTT, Groth16 and its formats
#   lib/libzkacc_runtime.a|.so       backends (cpu, sim, xrt) and the Scheduler
#   lib/libzkacc_drivers.a|.so       the device layer the runtime drives
#   lib/libzkacc_zkml.a              the ZKML front end
#   lib/libzkacc_capi.so             the C ABI (rapidsnark's prover.h, verifier.h; zkacc.h)
#   lib/libzkacc_{mpi_session,sim_*}.a   static builds only: archives the
#                                    static runtime and drivers link
#   include/zkacc/...                the public C++ headers
#   include/zkacc/capi/{prover,verifier,zkacc}.h
#   include/zkacc/field/field_config.hpp, include/zkacc/build_info.hpp   generated
#   lib/cmake/zkacc/                 zkaccConfig.cmake: find_package(zkacc 0.2)
#   lib/pkgconfig/zkacc.pc           pkg-config: the C ABI
#   share/doc/zkacc/LICENSE          Apache-2.0
#
# Targets, exported as zkacc::<name>: zkacc, runtime, drivers, zkml, capi,
# cli (the program), and in static builds the internal archives.
include(CMakePackageConfigHelpers)

set(ZKACC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/zkacc)

# --- Libraries -----------------------------------------------------------------
# The C++ libraries' ABI carries no promise before 1.0: a shared build's
# soname changes with each minor version (libzkacc.so.0.2).
set(ZKACC_CXX_LIBRARIES zkacc zkacc_runtime zkacc_drivers zkacc_zkml)
set_target_properties(${ZKACC_CXX_LIBRARIES} PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# Installed shared libraries find each other next to themselves, and the
# program finds them in the library directory.
set_target_properties(${ZKACC_CXX_LIBRARIES} zkacc_capi PROPERTIES INSTALL_RPATH "$ORIGIN")
file(RELATIVE_PATH ZKACC_BIN_TO_LIB /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_LIBDIR})
set_target_properties(zkacc_cli zkacc_prove PROPERTIES INSTALL_RPATH "$ORIGIN/${ZKACC_BIN_TO_LIB}")

foreach(target zkacc_runtime zkacc_drivers zkacc_zkml zkacc_capi zkacc_cli zkacc_prove)
  string(REGEX REPLACE "^zkacc_" "" name ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
endforeach()

# A static library carries its private dependencies into its users' links,
# so the static runtime and drivers need the archives they link installed
# too: the MPI session and the Verilator models of the sim backend. Users
# only link them, never include their headers, so their include paths (in
# this build and source tree) stay out of the installed targets.
set(ZKACC_LINK_ONLY_LIBRARIES "")
get_target_property(runtime_type zkacc_runtime TYPE)
if(runtime_type STREQUAL "STATIC_LIBRARY" AND TARGET zkacc_mpi_session)
  list(APPEND ZKACC_LINK_ONLY_LIBRARIES zkacc_mpi_session)
endif()
get_target_property(drivers_type zkacc_drivers TYPE)
if(drivers_type STREQUAL "STATIC_LIBRARY")
  foreach(target zkacc_sim_kernels zkacc_sim_kernel_copy zkacc_sim_kernel_msm zkacc_sim_kernel_ntt
                 zkacc_sim_harness zkacc_sim_adder_model)
    if(TARGET ${target})
      list(APPEND ZKACC_LINK_ONLY_LIBRARIES ${target})
    endif()
  endforeach()
endif()
foreach(target IN LISTS ZKACC_LINK_ONLY_LIBRARIES)
  foreach(property INTERFACE_INCLUDE_DIRECTORIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES)
    get_target_property(dirs ${target} ${property})
    if(dirs)
      list(TRANSFORM dirs PREPEND "$<BUILD_INTERFACE:")
      list(TRANSFORM dirs APPEND ">")
      set_property(TARGET ${target} PROPERTY ${property} "${dirs}")
    endif()
  endforeach()
  string(REGEX REPLACE "^zkacc_" "" name ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
endforeach()

install(TARGETS ${ZKACC_CXX_LIBRARIES} zkacc_capi zkacc_cli zkacc_prove ${ZKACC_LINK_ONLY_LIBRARIES}
  EXPORT zkaccTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# --- Headers -------------------------------------------------------------------
# Every public header but the device plumbing under the runtime's Backend
# interface (the device halves of MSM and NTT, digit rows, bucket checks,
# the host's share of small scalars, the card time model), the two Device
# implementations, which no installed header includes (users reach them
# through make_backend() and Device), and the bench suite's headers (its
# library is the zkacc program's, not installed).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/host/include/zkacc ${PROJECT_SOURCE_DIR}/drivers/include/zkacc
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp"
  REGEX "detail[^/]*$" EXCLUDE
  REGEX "/runtime/(device_backend|device_msm|device_ntt|msm_digit_rows|msm_bucket_check|msm_bucket_sample|msm_small_scalars|host_addition_timing|card_projection)\\.hpp$" EXCLUDE
  REGEX "/bench/[^/]*\\.hpp$" EXCLUDE
  REGEX "/drivers/(sim_device|xrt_device)\\.hpp$" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/host/generated/zkacc/build_info.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/zkacc)
install(FILES ${PROJECT_BINARY_DIR}/host/generated/zkacc/field/field_config.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/zkacc/field)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/host/capi/include/zkacc/capi DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/zkacc)

# --- find_package(zkacc) -----------------------------------------------------
# The packages the installed targets' link interfaces name, as this build
# was configured: nlohmann_json always (zkacc's PUBLIC dependency); the
# others only where a static library carries them to its users.
set(ZKACC_CONFIG_DEPENDENCIES "find_dependency(nlohmann_json)\n")
get_target_property(zkml_type zkacc_zkml TYPE)
if(zkml_type STREQUAL "STATIC_LIBRARY")
  string(APPEND ZKACC_CONFIG_DEPENDENCIES
    "find_dependency(Protobuf)\nfind_dependency(ONNX)\nfind_dependency(Eigen3 3.3 NO_MODULE)\nfind_dependency(OpenSSL)\n")
endif()
if(ZKACC_WITH_MPI AND runtime_type STREQUAL "STATIC_LIBRARY")
  # The runtime links MPI's C API only (the top level's MPI_CXX_SKIP_MPICXX).
  string(APPEND ZKACC_CONFIG_DEPENDENCIES "set(MPI_CXX_SKIP_MPICXX TRUE)\nfind_dependency(MPI)\n")
endif()
if(ZKACC_WITH_XRT AND drivers_type STREQUAL "STATIC_LIBRARY")
  string(APPEND ZKACC_CONFIG_DEPENDENCIES "find_dependency(XRT)\n")
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/FindXRT.cmake DESTINATION ${ZKACC_INSTALL_CMAKEDIR})
endif()

install(EXPORT zkaccTargets NAMESPACE zkacc:: DESTINATION ${ZKACC_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/zkaccConfig.cmake.in
  ${PROJECT_BINARY_DIR}/zkaccConfig.cmake
  INSTALL_DESTINATION ${ZKACC_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the C++ API, so 0.2 accepts 0.2.* only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/zkaccConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/zkaccConfig.cmake ${PROJECT_BINARY_DIR}/zkaccConfigVersion.cmake
  DESTINATION ${ZKACC_INSTALL_CMAKEDIR})

# --- pkg-config: the C ABI -----------------------------------------------------
# Paths relative to the .pc file's own directory, so the tree can be
# installed under any prefix (cmake --install --prefix) or moved.
file(RELATIVE_PATH ZKACC_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" ZKACC_PC_TO_PREFIX "${ZKACC_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/zkacc.pc.in ${PROJECT_BINARY_DIR}/zkacc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/zkacc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
