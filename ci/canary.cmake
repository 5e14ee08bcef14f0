# The canary switch (ci/canaries.tsv, ci/canaries.sh). OMREG_CANARY=name
# defines OMREG_CANARY_<NAME> (name upper-cased) and OMREG_CANARY_BUILD="name"
# for every target, which switches on the planted bug in the
# `#ifdef OMREG_CANARY_<NAME>` block(s) of the tree. Invariants:
#  - the name must be a row of ci/canaries.tsv (no typo builds a clean tree
#    that "survives");
#  - with OMREG_CANARY empty, no OMREG_CANARY_ macro may reach the compiler
#    through the flags, and the marker symbol omreg_canary_planted
#    (base/canary_marker.c) is absent: test canary_absent checks it with nm;
#  - a canary build cannot be installed.
set(OMREG_CANARY "" CACHE STRING
  "Plant the bug named in ci/canaries.tsv (testing the tests only; never in a real build)")

foreach(_omreg_flags CMAKE_C_FLAGS CMAKE_C_FLAGS_RELEASE CMAKE_C_FLAGS_DEBUG
    CMAKE_C_FLAGS_RELWITHDEBINFO CMAKE_C_FLAGS_MINSIZEREL)
  if("${${_omreg_flags}}" MATCHES "OMREG_CANARY")
    message(FATAL_ERROR "${_omreg_flags} mentions OMREG_CANARY: switch canaries on with -DOMREG_CANARY=name only")
  endif()
endforeach()

if(OMREG_CANARY)
  file(STRINGS ${PROJECT_SOURCE_DIR}/ci/canaries.tsv _omreg_canary_rows REGEX "^[a-z0-9_]+\t")
  list(FILTER _omreg_canary_rows EXCLUDE REGEX "^name\t") # the header row
  set(_omreg_canary_names "")
  foreach(_row ${_omreg_canary_rows})
    string(REGEX REPLACE "\t.*" "" _name "${_row}")
    list(APPEND _omreg_canary_names ${_name})
  endforeach()
  if(NOT OMREG_CANARY IN_LIST _omreg_canary_names)
    message(FATAL_ERROR "OMREG_CANARY=${OMREG_CANARY} is not a canary of ci/canaries.tsv (${_omreg_canary_names})")
  endif()
  string(TOUPPER "${OMREG_CANARY}" _omreg_canary_macro)
  add_compile_definitions(OMREG_CANARY_${_omreg_canary_macro} OMREG_CANARY_BUILD="${OMREG_CANARY}")
  message(WARNING "CANARY BUILD: the planted bug '${OMREG_CANARY}' is compiled in (OMREG_CANARY_${_omreg_canary_macro}); never install or ship this build")
  # refuses at install time, whatever install() rules the project has
  # (install(CODE) runs in the order rules are declared: this one is first)
  install(CODE "message(FATAL_ERROR \"canary build (OMREG_CANARY=${OMREG_CANARY}): refusing to install a tree with a planted bug\")")
endif()
