# Foundation: backend tables, first kernels (equality + determinism matrix).
omreg_add_test(test_backend_table SOURCES test_backend_table.c LABELS unit)
omreg_add_test(test_equality_foundation SOURCES test_equality_foundation.c LABELS equality MATRIX)
# The reference and core targets never see OpenMP flags (a stray pragma must
# break their build, and core must not need the runtime).
add_test(NAME build_reference_has_no_openmp
  COMMAND ${CMAKE_COMMAND} -DCC_JSON=${CMAKE_BINARY_DIR}/compile_commands.json
          -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_reference_flags.cmake)
set_tests_properties(build_reference_has_no_openmp PROPERTIES LABELS unit)
