# CC metric kernels (DIPY crosscorr.pyx): golden vs DIPY fixtures,
# parallel == reference over the determinism matrix, sliding windows ==
# brute force, steps vs finite differences, bad input.
omreg_add_test(test_golden_crosscorr SOURCES test_golden_crosscorr.c LABELS golden)
omreg_add_test(test_equality_crosscorr SOURCES test_equality_crosscorr.c LABELS equality MATRIX)
omreg_add_test(test_unit_crosscorr SOURCES test_unit_crosscorr.c LABELS unit)
