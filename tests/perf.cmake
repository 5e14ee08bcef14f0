# Speed work of issue #6 (bench/README.md): the owning setters of the
# diffeomorphic map that the SyN driver uses to avoid copying fields. The
# SyN driver's in-place inversion and buffer reuse are covered by the
# existing golden and equality tests of SyN (bitwise, unchanged).
omreg_add_test(test_unit_diffeomap_exchange SOURCES test_unit_diffeomap_exchange.c
               LABELS unit)
