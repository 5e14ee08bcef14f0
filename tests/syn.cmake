# SyN (DIPY imwarp.SymmetricDiffeomorphicRegistration with the CC, SSD and
# EM metrics): golden vs DIPY fixtures (numpy.gradient bit for bit, whole
# registrations), whole registrations parallel == reference over the
# determinism matrix.
omreg_add_test(test_golden_syn SOURCES test_golden_syn.c LABELS golden)
omreg_add_test(test_equality_syn SOURCES test_equality_syn.c LABELS equality MATRIX)
omreg_add_test(test_robustness_syn SOURCES test_robustness_syn.c LABELS robustness)
