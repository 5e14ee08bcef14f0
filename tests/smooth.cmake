# Gaussian smoothing (scipy.ndimage.gaussian_filter as DIPY 1.6 uses it):
# golden vs scipy fixtures, parallel vs reference over the determinism
# matrix, and argument validation.
omreg_add_test(test_golden_smooth SOURCES test_golden_smooth.c LABELS golden)
omreg_add_test(test_equality_smooth SOURCES test_equality_smooth.c LABELS equality MATRIX)
omreg_add_test(test_robustness_smooth SOURCES test_robustness_smooth.c LABELS robustness unit)
