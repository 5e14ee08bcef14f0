# Parametric transforms and initial alignments (api/transform.c,
# registration/affine/transform_init.c; DIPY transforms.pyx, imaffine.py): golden vs DIPY
# fixtures, Jacobians vs finite differences, bad input, and the
# centre-of-mass reduction kernel (parallel vs reference, determinism).
omreg_add_test(test_golden_transforms SOURCES test_golden_transforms.c LABELS golden)
omreg_add_test(test_golden_transform_init SOURCES test_golden_transform_init.c LABELS golden)
omreg_add_test(test_unit_transforms SOURCES test_unit_transforms.c LABELS unit)
omreg_add_test(test_robustness_transforms SOURCES test_robustness_transforms.c LABELS robustness)
omreg_add_test(test_equality_center_of_mass SOURCES test_equality_center_of_mass.c
  LABELS equality MATRIX)
