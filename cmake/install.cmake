# Install rules (`cmake --install BUILD --prefix P`) into GNUInstallDirs
# locations: the omreg command, the public headers (include/omreg/*.h, all
# and only them), libomreg.a, libomreg.so, omreg.pc for pkg-config and the
# CMake package (find_package(omreg) -> omreg::omreg, the shared library).
# Relocatable: every file finds the others relative to itself, so any --prefix
# (and the .deb's /usr) works without reconfiguring.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS omreg_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS omreg ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS omreg_shared EXPORT omregTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
file(GLOB OMREG_PUBLIC_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/omreg/*.h)
install(FILES ${OMREG_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/omreg)

# pkg-config. Libs: the shared library (its own dependencies are NEEDED
# entries). Libs.private (pkg-config --static): what libomreg.a's objects
# call, as -l flags, and the OpenMP flag of the compiler that built them.
# No Requires.private: pkg-config would then demand zlib.pc and libpng.pc
# (the -dev packages) even for a shared link.
set(OMREG_PC_LIBS_PRIVATE "")
foreach(lib ${NIFTI2_LIBRARY} ${ZNZ_LIBRARY} ${PNG_LIBRARIES} ${ZLIB_LIBRARIES}
            ${LBFGSB_LIBRARY} ${OMREG_LIBM})
  get_filename_component(name ${lib} NAME_WE)
  string(REGEX REPLACE "^lib" "-l" flag ${name})
  list(APPEND OMREG_PC_LIBS_PRIVATE ${flag})
endforeach()
list(REMOVE_DUPLICATES OMREG_PC_LIBS_PRIVATE)
list(APPEND OMREG_PC_LIBS_PRIVATE ${OpenMP_C_FLAGS})
list(JOIN OMREG_PC_LIBS_PRIVATE " " OMREG_PC_LIBS_PRIVATE)
set(OMREG_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH OMREG_PC_TO_PREFIX /${OMREG_PKGCONFIG_DIR} /)
string(REGEX REPLACE "/$" "" OMREG_PC_TO_PREFIX ${OMREG_PC_TO_PREFIX})
configure_file(${CMAKE_CURRENT_LIST_DIR}/omreg.pc.in ${PROJECT_BINARY_DIR}/omreg.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/omreg.pc DESTINATION ${OMREG_PKGCONFIG_DIR})

# CMake package: omregConfig.cmake, its version file and the exported target.
# While the major version is 0 a minor release may break the ABI (see
# OMREG_SOVERSION), so only the same minor version is compatible.
set(OMREG_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/omreg)
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(compatibility SameMinorVersion)
else()
  set(compatibility SameMajorVersion)
endif()
install(EXPORT omregTargets NAMESPACE omreg:: DESTINATION ${OMREG_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/omregConfig.cmake.in
  ${PROJECT_BINARY_DIR}/omregConfig.cmake INSTALL_DESTINATION ${OMREG_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/omregConfigVersion.cmake
  COMPATIBILITY ${compatibility})
install(FILES ${PROJECT_BINARY_DIR}/omregConfig.cmake
  ${PROJECT_BINARY_DIR}/omregConfigVersion.cmake DESTINATION ${OMREG_CMAKE_DIR})
