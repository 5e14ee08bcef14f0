# Issue 5 leftovers (helper "syne2e"): `omreg apply --field` and SyN end to
# end on real data with known answers (fixtures/gen_e2e_syn.py).
# The saved map applied by the command: round trip with `omreg syn`, golden
# vs DIPY's DiffeomorphicMap, bad field files, omreg_nifti_read_array.
omreg_add_test(test_apply_cli SOURCES test_apply_cli.c LABELS golden e2e TIMEOUT 120)
target_link_libraries(test_apply_cli PRIVATE omreg_test_cli)
# SyN on real data: ch2bet warped by a known smooth field (EPE, AAL Dice) on
# its 1 mm grid and ITK's 2D B-spline pair, each against DIPY 1.6's result.
omreg_add_test(test_e2e_syn SOURCES test_e2e_syn.c LABELS e2e slow TIMEOUT 1500)
