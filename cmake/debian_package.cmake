# A Debian package of everything install.cmake installs, under /usr:
#   cpack -G DEB   (in the build directory) -> omreg_VERSION_ARCH.deb
# Depends comes from dpkg-shlibdeps over the packaged ELF files (the command
# and libomreg.so), so it names exactly the libraries they are linked with;
# ci/install.sh checks it against their NEEDED entries. The package also
# carries the headers, libomreg.a, omreg.pc and the CMake package: a static
# link needs the -dev packages Suggests names.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME omreg)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR omreg)
set(CPACK_PACKAGE_CONTACT "omreg developers <omreg@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "image registration with DIPY 1.6's algorithms (affine MI, SyN), C library and command")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "omreg is DIPY 1.6's image registration (dipy.align) in C11 with OpenMP:
affine registration by Parzen-window mutual information and SyN symmetric
diffeomorphic registration with the CC, SSD and EM metrics, 2D and 3D.
Serial reference kernels and OpenMP parallel kernels give bitwise
identical results. This package holds the omreg command with its manual
pages, the shared and static library, the headers, pkg-config and CMake
package files.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# shlibs control file and the ldconfig trigger for libomreg.so.SOVERSION
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
  "pkg-config, libnifti2-dev, libpng-dev, zlib1g-dev, liblbfgsb-dev")
include(CPack)
