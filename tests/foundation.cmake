# Foundation: backend tables, first kernels (equality + determinism matrix).
omreg_add_test(test_backend_table SOURCES test_backend_table.c LABELS unit)
omreg_add_test(test_equality_foundation SOURCES test_equality_foundation.c LABELS equality MATRIX)
