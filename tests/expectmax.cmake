# EM metric kernels (DIPY expectmax.pyx: quantize_positive, masked class
# statistics, EM demons step): golden vs DIPY fixtures, parallel ==
# reference over the determinism matrix, analytic unit cases and bad input.
omreg_add_test(test_golden_expectmax SOURCES test_golden_expectmax.c LABELS golden)
omreg_add_test(test_equality_expectmax SOURCES test_equality_expectmax.c
  LABELS equality MATRIX)
omreg_add_test(test_unit_expectmax SOURCES test_unit_expectmax.c LABELS unit robustness)
