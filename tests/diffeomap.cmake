# Diffeomorphic map (DIPY imwarp.DiffeomorphicMap, include/omreg/diffeomap.h):
# golden vs DIPY 1.6 fixtures (fixtures/gen_diffeomap.py), parallel vs
# reference over the determinism matrix, properties on real images
# (mricron-data; skipped when absent), bad input and allocation failures.
omreg_add_test(test_golden_diffeomap SOURCES test_golden_diffeomap.c LABELS golden)
omreg_add_test(test_equality_diffeomap SOURCES test_equality_diffeomap.c LABELS equality MATRIX)
omreg_add_test(test_robustness_diffeomap SOURCES test_robustness_diffeomap.c LABELS robustness)
omreg_add_test(test_props_diffeomap SOURCES test_props_diffeomap.c LABELS unit)
