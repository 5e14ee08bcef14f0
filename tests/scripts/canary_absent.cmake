# Test canary_absent (tests/canary.cmake): no canary code in a normal build.
#  1. ci/canaries.tsv and the tree agree: every OMREG_CANARY_<NAME> macro used
#     in the sources has a row, and every row is planted somewhere (a row
#     without code would "survive" only because nothing was planted; code
#     without a row would never be exercised).
#  2. nm: the marker omreg_canary_planted (base/canary_marker.c) is in
#     LIBRARY exactly when CANARY is set, so a normal build carries no canary
#     and the check is seen to work on a canary build.
# Arguments: -DSOURCE=<checkout> -DLIBRARY=<libomreg_base.a> -DCANARY=<name or empty>
cmake_minimum_required(VERSION 3.25)
file(STRINGS ${SOURCE}/ci/canaries.tsv rows REGEX "^[a-z0-9_]+\t")
list(FILTER rows EXCLUDE REGEX "^name\t") # the header row
set(names "")
foreach(row ${rows})
  string(REGEX REPLACE "\t.*" "" name "${row}")
  string(TOUPPER "${name}" macro)
  list(APPEND names ${macro})
endforeach()
list(LENGTH names nrows)
if(nrows LESS 1)
  message(FATAL_ERROR "ci/canaries.tsv has no canary rows")
endif()

file(GLOB_RECURSE sources ${SOURCE}/base/*.[ch] ${SOURCE}/qc/*.[ch] ${SOURCE}/parallel/*.[ch] ${SOURCE}/reference/*.[ch]
  ${SOURCE}/cli/*.[ch] ${SOURCE}/io/*.[ch] ${SOURCE}/include/*.h ${SOURCE}/registration/*.[ch]
  ${SOURCE}/kernels/*.[ch] ${SOURCE}/api/*.[ch] ${SOURCE}/backend/*.[ch])
set(used "")
foreach(f ${sources})
  file(STRINGS ${f} hits REGEX "OMREG_CANARY_[A-Z0-9_]+")
  foreach(h ${hits})
    string(REGEX MATCHALL "OMREG_CANARY_[A-Z0-9_]+" ms "${h}")
    foreach(m ${ms})
      string(REGEX REPLACE "^OMREG_CANARY_" "" m "${m}")
      if(NOT m STREQUAL "BUILD")
        list(APPEND used ${m})
        if(NOT m IN_LIST names)
          message(FATAL_ERROR "${f} uses OMREG_CANARY_${m}, which has no row in ci/canaries.tsv")
        endif()
      endif()
    endforeach()
  endforeach()
endforeach()
foreach(m ${names})
  if(NOT m IN_LIST used)
    message(FATAL_ERROR "ci/canaries.tsv row ${m} is planted nowhere (no OMREG_CANARY_${m} in the sources)")
  endif()
endforeach()
message(STATUS "canaries: ${nrows} rows, each planted in the sources")

execute_process(COMMAND nm ${LIBRARY} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm ${LIBRARY} failed (${rc})")
endif()
string(FIND "${syms}" "omreg_canary_planted" at)
if(CANARY STREQUAL "" AND NOT at EQUAL -1)
  message(FATAL_ERROR "normal build, but ${LIBRARY} holds the canary marker omreg_canary_planted")
elseif(NOT CANARY STREQUAL "" AND at EQUAL -1)
  message(FATAL_ERROR "canary build (${CANARY}), but nm finds no omreg_canary_planted in ${LIBRARY}: the check is blind")
endif()
message(STATUS "nm ${LIBRARY}: canary marker ${at} (CANARY='${CANARY}')")
