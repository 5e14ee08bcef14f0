# Affine registration: MI metric, scale space, AffineMap, whole registrations.
omreg_add_test(test_golden_affine SOURCES test_golden_affine.c LABELS golden)
omreg_add_test(test_equality_affine SOURCES test_equality_affine.c LABELS equality MATRIX)
omreg_add_test(test_e2e_affine SOURCES test_e2e_affine.c LABELS e2e)
omreg_add_test(test_unit_affine_restarts SOURCES test_unit_affine_restarts.c LABELS unit)
omreg_add_test(test_unit_sampler SOURCES test_unit_sampler.c LABELS unit)
omreg_add_test(test_unit_levels SOURCES test_unit_levels.c LABELS unit)
