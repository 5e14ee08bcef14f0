# CC metric kernels (DIPY crosscorr.pyx): golden vs DIPY fixtures,
# parallel == reference over the determinism matrix, sliding windows ==
# brute force, steps vs finite differences, bad input.
omreg_add_test(test_golden_crosscorr SOURCES test_golden_crosscorr.c LABELS golden)
omreg_add_test(test_equality_crosscorr SOURCES test_equality_crosscorr.c LABELS equality MATRIX)
omreg_add_test(test_unit_crosscorr SOURCES test_unit_crosscorr.c LABELS unit)
# Box-sum CC factors (fast mode): parallel == reference over the matrix;
# exact on integer images and close to DIPY's sliding windows.
omreg_add_test(test_equality_cc_box SOURCES test_equality_cc_box.c LABELS equality MATRIX)
omreg_add_test(test_unit_cc_box SOURCES test_unit_cc_box.c LABELS unit)
