# Issue 18, omreg as an installed library and command (helper "install"):
# what a user of the installed files relies on, checked in the build tree.
# The install itself, the consumer programs and the .deb: ci/install.sh.
#   install_exports        libomreg.so's soname; its exports are exactly the
#                          functions include/omreg/*.h declare (gcc -aux-info)
#   install_headers        each public header compiles alone in C11 and C++11
#                          (-Wall -Wextra -Werror -pedantic); extern "C" guards
#   install_manpages       the generated manual pages render as --help says
find_program(OMREG_GCC gcc REQUIRED)
find_program(OMREG_GXX g++ REQUIRED)
set(scripts ${CMAKE_CURRENT_SOURCE_DIR}/scripts)

# Instrumented builds (sanitizers, coverage) leave their runtimes' hooks in
# libomreg.so (exported, or undefined until an instrumented program loads
# it); the gcc and clang builds hold the surface to the headers.
if(NOT CMAKE_C_FLAGS MATCHES "-fsanitize|--coverage")
  add_test(NAME install_exports COMMAND bash ${scripts}/check_exports.sh ${OMREG_GCC}
    ${PROJECT_SOURCE_DIR}/include $<TARGET_FILE:omreg_shared> $<TARGET_SONAME_FILE_NAME:omreg_shared>)
  set_tests_properties(install_exports PROPERTIES LABELS install TIMEOUT 120)
  add_test(NAME install_headers COMMAND bash ${scripts}/check_public_headers.sh ${OMREG_GCC}
    ${OMREG_GXX} ${PROJECT_SOURCE_DIR}/include $<TARGET_FILE_DIR:omreg_shared>)
  set_tests_properties(install_headers PROPERTIES LABELS install TIMEOUT 300)
endif()

if(OMREG_MANPAGES)
  add_test(NAME install_manpages COMMAND bash ${scripts}/check_manpages.sh
    $<TARGET_FILE:omreg_cli> ${OMREG_MAN_DIR})
  set_tests_properties(install_manpages PROPERTIES LABELS install TIMEOUT 120)
endif()
