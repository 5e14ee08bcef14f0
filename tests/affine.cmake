# Affine registration: MI metric, scale space, AffineMap, whole registrations.
omreg_add_test(test_golden_affine SOURCES test_golden_affine.c LABELS golden)
omreg_add_test(test_equality_affine SOURCES test_equality_affine.c LABELS equality MATRIX)
omreg_add_test(test_e2e_affine SOURCES test_e2e_affine.c LABELS e2e)
# its sparse-sampling cases (three seeds each, ~70 s) as an entry of their own
get_test_property(test_e2e_affine ENVIRONMENT e2e_affine_env)
set_property(TEST test_e2e_affine APPEND PROPERTY ENVIRONMENT "OMREG_TEST_SKIP=sparse_*")
add_test(NAME test_e2e_affine_sparse COMMAND test_e2e_affine)
set_tests_properties(test_e2e_affine_sparse PROPERTIES LABELS e2e TIMEOUT 600
  ENVIRONMENT "${e2e_affine_env};OMREG_TEST_FILTER=sparse_*")
omreg_add_test(test_unit_affine_restarts SOURCES test_unit_affine_restarts.c LABELS unit)
omreg_add_test(test_unit_sampler SOURCES test_unit_sampler.c LABELS unit)
omreg_add_test(test_unit_levels SOURCES test_unit_levels.c LABELS unit)
omreg_add_test(test_unit_cancel SOURCES test_unit_cancel.c LABELS unit)
# A progress callback that raises the OpenMP thread count mid-run (affine
# and SyN): no overrun of the scratch sized at setup, the same bits.
omreg_add_test(test_unit_run_threads SOURCES test_unit_run_threads.c LABELS unit)
