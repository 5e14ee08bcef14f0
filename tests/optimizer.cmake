# The L-BFGS-B driver vs scipy.
omreg_add_test(test_golden_optimizer SOURCES test_golden_optimizer.c LABELS golden)
