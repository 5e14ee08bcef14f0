# Manual pages, written at build time from the built command's --help by
# cmake/manpages.sh (one page per command it lists, so a new command gets
# its page without an edit here) and installed into share/man/man1.
# Off in the instrumented presets (sanitizers, coverage): their command need
# not run at build time (TSan may need ASLR off), and nothing installs from them.
option(OMREG_MANPAGES "Generate and install the manual pages (needs bash)" ON)
if(OMREG_MANPAGES)
  set(OMREG_MAN_DIR ${PROJECT_BINARY_DIR}/man/man1)
  set(stamp ${PROJECT_BINARY_DIR}/man/pages.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/manpages.sh $<TARGET_FILE:omreg_cli>
            ${OMREG_MAN_DIR} ${PROJECT_VERSION}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS omreg_cli ${CMAKE_CURRENT_LIST_DIR}/manpages.sh
    COMMENT "Manual pages from omreg --help")
  add_custom_target(omreg_manpages ALL DEPENDS ${stamp})
  install(DIRECTORY ${OMREG_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
    FILES_MATCHING PATTERN "*.1")
endif()
