# Core: status, images, sizes and allocation hook, matrices, RNG, npy;
# the validated public entry points (interpolate, gradient, resample,
# stats) against their backend kernels and under bad input.
omreg_add_test(test_unit_core SOURCES test_unit_core.c LABELS unit)
omreg_add_test(test_unit_entry_points SOURCES test_unit_entry_points.c LABELS unit)
omreg_add_test(test_robustness_foundation SOURCES test_robustness_foundation.c LABELS robustness)
