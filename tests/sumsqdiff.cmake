# SSD metric (DIPY sumsqdiff.pyx) and its multigrid solver (metrics.py
# v_cycle_{2,3}d): golden vs DIPY 1.6 fixtures (fixtures/gen_sumsqdiff.py),
# parallel == reference over the determinism matrix, unit properties
# (analytic demons step, residual reduction, red-black vs DIPY's sweep).
omreg_add_test(test_golden_sumsqdiff SOURCES test_golden_sumsqdiff.c LABELS golden)
omreg_add_test(test_unit_sumsqdiff SOURCES test_unit_sumsqdiff.c LABELS unit)
omreg_add_test(test_equality_sumsqdiff SOURCES test_equality_sumsqdiff.c LABELS equality MATRIX)
