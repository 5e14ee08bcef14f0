# Issue 17 part 2, QC pictures (helper "qc-workflow"): the picture's
# layout, orientation, window, score and PNG on synthetic images, and the
# `omreg qc` command (plus --out-qc of affine and syn) on real pairs.
omreg_add_test(test_unit_qc SOURCES test_unit_qc.c LABELS unit)
# The command on real pairs (skipped without mricron-data /
# insighttoolkit5-examples): runs the built `omreg`.
omreg_add_test(test_qc_cli SOURCES test_qc_cli.c LABELS e2e TIMEOUT 300)
target_link_libraries(test_qc_cli PRIVATE omreg_test_cli)
# The PNG reader (io/png_io.c) on gray, low-bit, 16-bit, alpha, palette and
# colour files libpng's writer encodes in the test, and on damaged files.
omreg_add_test(test_unit_png SOURCES test_unit_png.c LABELS unit robustness)
target_link_libraries(test_unit_png PRIVATE PNG::PNG)
