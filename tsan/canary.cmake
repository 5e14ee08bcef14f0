# The TSan canary (tsan/racy_canary.c): included from tests/tsan_canary.cmake
# only when OMREG_TSAN_CANARY is ON (the tsan preset). The test passes only if
# Archer was loaded and ThreadSanitizer reported the planted race in
# racy_canary.c; PASS_REGULAR_EXPRESSION (not WILL_FAIL) so that a crash or a
# missing tool does not count as a pass. Label tsan_canary only: it must never
# be picked up by the equality/determinism selections.

# Archer ships next to the libomp the tsan preset links (OpenMP_omp_LIBRARY).
if(OpenMP_omp_LIBRARY)
  get_filename_component(_omreg_omp_dir "${OpenMP_omp_LIBRARY}" DIRECTORY)
else()
  set(_omreg_omp_dir /usr/lib/llvm-14/lib)
endif()
find_file(OMREG_ARCHER_LIBRARY libarcher.so HINTS "${_omreg_omp_dir}" /usr/lib/llvm-14/lib NO_DEFAULT_PATH)
if(NOT OMREG_ARCHER_LIBRARY)
  message(FATAL_ERROR "OMREG_TSAN_CANARY: libarcher.so not found next to ${_omreg_omp_dir} (install libomp-dev)")
endif()

add_executable(tsan_racy_canary ${PROJECT_SOURCE_DIR}/tsan/racy_canary.c)
target_link_libraries(tsan_racy_canary PRIVATE OpenMP::OpenMP_C)
target_compile_options(tsan_racy_canary PRIVATE ${OMREG_WARNINGS})

add_test(NAME tsan_racy_canary COMMAND tsan_racy_canary)
set_tests_properties(tsan_racy_canary PROPERTIES
  LABELS tsan_canary
  TIMEOUT 300
  PROCESSORS 2
  ENVIRONMENT "OMP_NUM_THREADS=4;OMP_SCHEDULE=static,1;OMP_TOOL_LIBRARIES=${OMREG_ARCHER_LIBRARY};ARCHER_OPTIONS=verbose=1;TSAN_OPTIONS=ignore_noninstrumented_modules=1 halt_on_error=1 exitcode=66"
  PASS_REGULAR_EXPRESSION "Archer detected OpenMP application with TSan.*WARNING: ThreadSanitizer: data race.*racy_canary\\.c")
