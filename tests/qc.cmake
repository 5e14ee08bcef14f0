# Issue 17 part 2, QC pictures (helper "qc-workflow"): the picture's
# layout, orientation, window, score and PNG on synthetic images, and the
# `omreg qc` command (plus --out-qc of affine and syn) on real pairs.
omreg_add_test(test_unit_qc SOURCES test_unit_qc.c LABELS unit)
