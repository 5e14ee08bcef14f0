# Warp family (DIPY vector_fields.pyx warp_*, warp_coordinates_*, downsample_*,
# resample_displacement_field_*, create_* generators): golden vs DIPY 1.6
# fixtures (fixtures/gen_warp.py), parallel vs reference over the
# determinism matrix, and argument validation of include/omreg/warp.h.
omreg_add_test(test_golden_warp SOURCES test_golden_warp.c LABELS golden)
omreg_add_test(test_equality_warp SOURCES test_equality_warp.c LABELS equality MATRIX)
omreg_add_test(test_robustness_warp SOURCES test_robustness_warp.c LABELS robustness)
