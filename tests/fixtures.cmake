# The committed fixtures themselves: no golden array is all zero by accident
# (fixtures/deliberate_zeros.tsv names the deliberate edge cases).
omreg_add_test(test_fixtures_meaningful SOURCES test_fixtures_meaningful.c LABELS golden)
