# What the provenance record (--out-json, cli/cli_provenance.c) says about
# the build: the git revision at configure time (`git describe --always
# --dirty`; "unknown" outside a checkout; a commit made after configuring is
# not seen until the next configure), the compiler, the C flags of the build
# type with the project-wide compile options, and the ISA the code targets
# ("target": the processor's baseline unless the flags carry -march; the
# SIMD variants are chosen at run time, and the record's "isa" says which
# ran, from the backend table).
find_package(Git QUIET)
set(OMREG_GIT_REVISION "unknown")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE _omreg_describe OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _omreg_describe_rc ERROR_QUIET)
  if(_omreg_describe_rc EQUAL 0 AND NOT _omreg_describe STREQUAL "")
    set(OMREG_GIT_REVISION "${_omreg_describe}")
  endif()
endif()
string(TOUPPER "${CMAKE_BUILD_TYPE}" _omreg_build_type)
get_directory_property(_omreg_options DIRECTORY ${PROJECT_SOURCE_DIR} COMPILE_OPTIONS)
list(JOIN _omreg_options " " _omreg_options)
string(STRIP "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${_omreg_build_type}} ${_omreg_options}" _omreg_flags)
if(_omreg_flags MATCHES "-march=([^ ]+)")
  set(_omreg_target "${CMAKE_SYSTEM_PROCESSOR} -march=${CMAKE_MATCH_1}")
else()
  set(_omreg_target "${CMAKE_SYSTEM_PROCESSOR} baseline")
endif()
target_compile_definitions(omreg_cli PRIVATE
  OMREG_GIT_REVISION="${OMREG_GIT_REVISION}"
  OMREG_BUILD_COMPILER="${CMAKE_C_COMPILER_ID} ${CMAKE_C_COMPILER_VERSION}"
  OMREG_BUILD_FLAGS="${_omreg_flags}"
  OMREG_BUILD_TARGET="${_omreg_target}")
