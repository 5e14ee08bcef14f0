# bench/run's peer columns (issue 15): elastix and omreg's fast mode at 1 and
# 2 threads on affine2d, --no-elastix/--no-fast, elastix missing from PATH,
# and bench/elastix_peer.py's LPS -> RAS conversion against `omreg convert`.
# Exit code 77 (no elastix or no ITK example images) is reported as skipped.
find_program(OMREG_SYSTEM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME bench_run_peers
  COMMAND ${OMREG_SYSTEM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/scripts/bench_run_peers.py
          $<TARGET_FILE:omreg_cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(bench_run_peers PROPERTIES LABELS e2e TIMEOUT 600 PROCESSORS 2
  SKIP_RETURN_CODE 77)
