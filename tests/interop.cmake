# Transform interop with the ITK world (issue 17, part 1): ITK text
# transforms, elastix parameter files, ITK displacement fields (io/), the
# command's --out-itk-*/--out-elastix/convert, and the round trip through
# Debian's elastix and transformix.
omreg_add_test(test_unit_transform_file SOURCES test_unit_transform_file.c LABELS unit robustness)
