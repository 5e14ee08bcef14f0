# Runs CLI (the omreg command, or tests/region_runs.c's program) with ARGS
# (space-separated; @out/ is replaced by WORKDIR/) and --threads THREADS
# under OMP_NUM_THREADS=AMBIENT (default 2) with the omp_claims shim
# (tests/support/omp_claims.c) preloaded, then checks that every OpenMP
# parallel region the run opened asked for exactly THREADS threads
# (num_threads clause): a region without the clause asks for 0 and runs
# with OpenMP's ambient count instead of the run's, and a region given the
# backend's default count asks for AMBIENT. Failing regions are named
# through addr2line.
foreach(v CLI SHIM THREADS WORKDIR ARGS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_region_threads: ${v} not set")
  endif()
endforeach()
if(NOT DEFINED AMBIENT)
  set(AMBIENT 2)
endif()
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
set(out "${WORKDIR}/claims.txt")
string(REPLACE "@out/" "${WORKDIR}/" args "${ARGS}")
separate_arguments(args UNIX_COMMAND "${args}")

# gcc may also open regions through GOMP_parallel_loop_* or
# GOMP_parallel_sections, which the shim does not see: none may be imported
execute_process(COMMAND nm -u "${CLI}" OUTPUT_VARIABLE undef RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -u ${CLI} failed")
endif()
string(REGEX MATCHALL "GOMP_(parallel_[a-z_]+|teams[a-z_0-9]*)" unseen "${undef}")
if(unseen)
  message(FATAL_ERROR "${CLI} opens regions the shim does not see: ${unseen}")
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=${AMBIENT} OMP_WAIT_POLICY=passive
          "LD_PRELOAD=${SHIM}" "OMREG_OMP_CLAIMS_OUT=${out}"
          "${CLI}" ${args} --threads ${THREADS} --quiet
  RESULT_VARIABLE rc OUTPUT_VARIABLE so ERROR_VARIABLE se)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} ${args} --threads ${THREADS} failed (${rc}):\n${so}\n${se}")
endif()
if(NOT EXISTS "${out}")
  message(FATAL_ERROR "the shim wrote no record (${out}): was it preloaded?")
endif()
file(STRINGS "${out}" lines)
set(regions 0)
set(bad "")
foreach(line ${lines})
  string(REPLACE " " ";" f "${line}")
  list(GET f 0 module)
  list(GET f 1 offset)
  list(GET f 2 asked)
  list(GET f 3 calls)
  if(asked STREQUAL "dropped")
    message(FATAL_ERROR "the shim's table overflowed (${calls} calls not recorded)")
  endif()
  math(EXPR regions "${regions} + ${calls}")
  if(NOT asked EQUAL THREADS)
    if(module STREQUAL "?")
      set(module "${CLI}")
    endif()
    execute_process(COMMAND addr2line -f -e "${module}" 0x${offset}
                    OUTPUT_VARIABLE where OUTPUT_STRIP_TRAILING_WHITESPACE)
    string(REPLACE "\n" " " where "${where}")
    string(APPEND bad "\n  ${where}: num_threads ${asked} (${calls} calls)")
  endif()
endforeach()
if(regions EQUAL 0)
  message(FATAL_ERROR "no parallel region ran: the check proves nothing")
endif()
if(bad)
  message(FATAL_ERROR "regions that did not ask for the run's ${THREADS} threads:${bad}")
endif()
message(STATUS "${regions} regions, every one asked for ${THREADS} threads")
