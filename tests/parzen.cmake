# Parzen joint histogram and its parameter gradient.
omreg_add_test(test_equality_parzen SOURCES test_equality_parzen.c LABELS equality MATRIX)
omreg_add_test(test_golden_parzenhist SOURCES test_golden_parzenhist.c LABELS golden)
