# Foundation: backend tables, first kernels (equality + determinism matrix).
omreg_add_test(test_backend_table SOURCES test_backend_table.c LABELS unit)
omreg_add_test(test_equality_foundation SOURCES test_equality_foundation.c LABELS equality MATRIX)
# The reference and core targets never see OpenMP flags (a stray pragma must
# break their build, and core must not need the runtime).
add_test(NAME build_reference_has_no_openmp
  COMMAND ${CMAKE_COMMAND} -DCC_JSON=${CMAKE_BINARY_DIR}/compile_commands.json
          -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_reference_flags.cmake)
set_tests_properties(build_reference_has_no_openmp PROPERTIES LABELS unit)
# The rooms include only what ARCHITECTURE.md allows them (ci/include_rules.py).
find_program(OMREG_SYSTEM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME layout_include_rules
  COMMAND ${OMREG_SYSTEM_PYTHON} ${PROJECT_SOURCE_DIR}/ci/include_rules.py ${PROJECT_SOURCE_DIR})
set_tests_properties(layout_include_rules PROPERTIES LABELS unit)
