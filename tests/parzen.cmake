# Parzen joint histogram and its parameter gradient.
omreg_add_test(test_equality_parzen SOURCES test_equality_parzen.c LABELS equality MATRIX)
