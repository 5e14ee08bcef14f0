# Transform interop with the ITK world (issue 17, part 1): ITK text
# transforms, elastix parameter files, ITK displacement fields (io/), the
# command's --out-itk-*/--out-elastix/convert, and the round trip through
# Debian's elastix and transformix.
omreg_add_test(test_unit_transform_file SOURCES test_unit_transform_file.c LABELS unit robustness)
# The command's --out-itk-affine / --out-itk-warp / --out-elastix, the three
# input formats and `omreg convert`, checked without ITK tools.
omreg_add_test(test_interop_cli SOURCES test_interop_cli.c LABELS unit robustness TIMEOUT 120)
target_link_libraries(test_interop_cli PRIVATE omreg_test_cli)
# A real ITK client: Debian's elastix/transformix 5.0.1 resample ch2 (2 mm)
# and AAL through omreg's files, and omreg reads elastix's own result.
# Exit code 77 (no elastix on PATH) is reported by ctest as skipped.
omreg_add_test(test_e2e_elastix SOURCES test_e2e_elastix.c support/itk_e2e.c LABELS e2e
  TIMEOUT 600)
target_link_libraries(test_e2e_elastix PRIVATE omreg_test_cli)
set_tests_properties(test_e2e_elastix PROPERTIES SKIP_RETURN_CODE 77)
# Another real ITK client: Debian's plastimatch 1.9.4 (ITK 5.2) reads
# omreg's ITK text transform and ITK displacement field (plastimatch warp
# --xf) and resamples ch2 (2 mm) and AAL as `omreg apply` does. Exit code 77
# (no plastimatch on PATH) is reported by ctest as skipped.
omreg_add_test(test_e2e_plastimatch SOURCES test_e2e_plastimatch.c support/itk_e2e.c
  LABELS e2e TIMEOUT 120)
target_link_libraries(test_e2e_plastimatch PRIVATE omreg_test_cli)
set_tests_properties(test_e2e_plastimatch PROPERTIES SKIP_RETURN_CODE 77)
