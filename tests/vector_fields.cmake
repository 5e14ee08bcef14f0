# Displacement fields (DIPY vector_fields.pyx compose / invert / simplify /
# reorient): golden vs DIPY fixtures, parallel == reference over the
# determinism matrix, properties, bad input.
omreg_add_test(test_golden_vector_fields SOURCES test_golden_vector_fields.c LABELS golden)
omreg_add_test(test_equality_vector_fields SOURCES test_equality_vector_fields.c
  LABELS equality MATRIX)
omreg_add_test(test_props_vector_fields SOURCES test_props_vector_fields.c LABELS unit)
omreg_add_test(test_robustness_vector_fields SOURCES test_robustness_vector_fields.c
  LABELS robustness)
