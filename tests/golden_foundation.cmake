# Foundation kernels vs DIPY 1.6 fixtures (fixtures/gen_foundation.py):
# interpolation, gradients, affine resampling, direction/spacings, moments.
omreg_add_test(test_golden_foundation SOURCES test_golden_foundation.c LABELS golden)
