# Fast mode (beyond DIPY): stochastic Mattes MI kernels and whole fast
# registrations, parallel == reference over the thread x schedule matrix;
# accuracy on a known affine (test_e2e_fast_affine).
omreg_add_test(test_equality_fast_mi SOURCES test_equality_fast_mi.c LABELS equality MATRIX)
omreg_add_test(test_e2e_fast_affine SOURCES test_e2e_fast_affine.c LABELS e2e)
