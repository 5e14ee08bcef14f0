# Lists the distinct test programs of a build that carry some ctest labels,
# for the stages that run them under a tool (TSan, Valgrind) with their own
# thread counts and schedules.
#
#   cmake -DBUILD=<build dir> -DOUT=<file> [-DLABELS=<regex>] [-DEXCLUDE=<regex>]
#         -P ci/ctest-list.cmake
#
# LABELS / EXCLUDE are ctest -L / -LE regexes. The determinism matrix registers
# one binary many times with different OMP_* environments, so entries are
# deduplicated by (working directory, command line); the first registration
# (the plain one) wins. Each line of OUT is, separated by the byte 0x1f:
#   name, working directory, number of environment entries N, N entries
#   (OMP_NUM_THREADS / OMP_SCHEDULE removed: the caller sets them), command...
cmake_minimum_required(VERSION 3.25)

if(NOT BUILD OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DBUILD=dir -DOUT=file [-DLABELS=re] [-DEXCLUDE=re] -P ctest-list.cmake")
endif()

set(args --test-dir "${BUILD}" --show-only=json-v1)
if(DEFINED LABELS AND NOT LABELS STREQUAL "")
  list(APPEND args -L "${LABELS}")
endif()
if(DEFINED EXCLUDE AND NOT EXCLUDE STREQUAL "")
  list(APPEND args -LE "${EXCLUDE}")
endif()
execute_process(COMMAND ctest ${args}
  OUTPUT_VARIABLE json ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ctest --show-only failed in ${BUILD} (${rc}): ${err}")
endif()

string(ASCII 31 SEP)
set(lines "")
set(seen "")
string(JSON ntests LENGTH "${json}" tests)
if(ntests GREATER 0)
  math(EXPR last "${ntests} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${json}" tests ${i} name)
    string(JSON cmd_type ERROR_VARIABLE no_cmd TYPE "${json}" tests ${i} command)
    if(no_cmd OR NOT cmd_type STREQUAL "ARRAY")
      message(FATAL_ERROR "test ${name} has no command (target not built?)")
    endif()
    string(JSON ncmd LENGTH "${json}" tests ${i} command)
    math(EXPR lastc "${ncmd} - 1")
    set(cmd "")
    foreach(c RANGE ${lastc})
      string(JSON part GET "${json}" tests ${i} command ${c})
      list(APPEND cmd "${part}")
    endforeach()

    set(workdir "")
    set(envs "")
    string(JSON nprops ERROR_VARIABLE no_props LENGTH "${json}" tests ${i} properties)
    if(NOT no_props AND nprops GREATER 0)
      math(EXPR lastp "${nprops} - 1")
      foreach(p RANGE ${lastp})
        string(JSON pname GET "${json}" tests ${i} properties ${p} name)
        if(pname STREQUAL "WORKING_DIRECTORY")
          string(JSON workdir GET "${json}" tests ${i} properties ${p} value)
        elseif(pname STREQUAL "ENVIRONMENT")
          string(JSON nenv LENGTH "${json}" tests ${i} properties ${p} value)
          math(EXPR laste "${nenv} - 1")
          foreach(e RANGE ${laste})
            string(JSON entry GET "${json}" tests ${i} properties ${p} value ${e})
            if(NOT entry MATCHES "^OMP_(NUM_THREADS|SCHEDULE)=")
              list(APPEND envs "${entry}")
            endif()
          endforeach()
        endif()
      endforeach()
    endif()

    list(JOIN cmd "${SEP}" cmd_joined)
    set(key "${workdir}${SEP}${cmd_joined}")
    string(SHA1 key_hash "${key}")
    if(key_hash IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${key_hash})
    list(LENGTH envs nenvs)
    list(JOIN envs "${SEP}" envs_joined)
    if(nenvs GREATER 0)
      string(APPEND lines "${name}${SEP}${workdir}${SEP}${nenvs}${SEP}${envs_joined}${SEP}${cmd_joined}\n")
    else()
      string(APPEND lines "${name}${SEP}${workdir}${SEP}0${SEP}${cmd_joined}\n")
    endif()
  endforeach()
endif()
file(WRITE "${OUT}" "${lines}")
