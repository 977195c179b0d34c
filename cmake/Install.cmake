# Install rules and the CMake package config, so that an installed Compute is consumed with
#   find_package(Compute CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE Compute::compute)
# The layout is the conventional one (include/, lib/, lib/cmake/Compute/) so a prefix made by
# `cmake --install build/release --prefix <dir>` can be copied anywhere: the generated files
# only use paths relative to the config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(COMPUTE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Compute"
    CACHE STRING "Where the Compute package config is installed, relative to the prefix")

# The exported name is `compute`; the export's namespace makes it Compute::compute, the same
# name the build tree offers through its ALIAS, so consumers never depend on where it came from.
set_target_properties(compute PROPERTIES EXPORT_NAME compute)

install(TARGETS compute
    EXPORT ComputeTargets
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}      # compute.dll on Windows
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}      # libcompute.so.0.1.0 + its links
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}      # compute.lib import library on Windows
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Only the public headers: compute.h (the C ABI, with its compute/ops/*.h parts) and compute.hpp
# (the header-only C++ wrapper).
install(FILES
    ${PROJECT_SOURCE_DIR}/native/include/compute/compute.h
    ${PROJECT_SOURCE_DIR}/native/include/compute/compute.hpp
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/compute)
# The per-family parts of the C ABI that compute.h includes.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/native/include/compute/ops
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/compute FILES_MATCHING PATTERN "*.h")

install(EXPORT ComputeTargets
    NAMESPACE Compute::
    FILE ComputeTargets.cmake
    DESTINATION ${COMPUTE_INSTALL_CMAKEDIR})

# The config also tells consumers the C ABI version, read from the header so it cannot drift.
file(STRINGS ${PROJECT_SOURCE_DIR}/native/include/compute/compute.h COMPUTE_ABI_VERSION
     REGEX "^#define CMP_ABI_VERSION [0-9]+")
string(REGEX MATCH "[0-9]+$" COMPUTE_ABI_VERSION "${COMPUTE_ABI_VERSION}")

configure_package_config_file(
    ${PROJECT_SOURCE_DIR}/cmake/ComputeConfig.cmake.in
    ${PROJECT_BINARY_DIR}/ComputeConfig.cmake
    INSTALL_DESTINATION ${COMPUTE_INSTALL_CMAKEDIR})

# Before 1.0 a minor version may break the ABI (CMP_ABI_VERSION tracks that), so a request
# for 0.1 accepts 0.1.x only.
write_basic_package_version_file(
    ${PROJECT_BINARY_DIR}/ComputeConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMinorVersion)

install(FILES
    ${PROJECT_BINARY_DIR}/ComputeConfig.cmake
    ${PROJECT_BINARY_DIR}/ComputeConfigVersion.cmake
    DESTINATION ${COMPUTE_INSTALL_CMAKEDIR})
