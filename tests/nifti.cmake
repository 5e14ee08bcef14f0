# NIfTI-1/-2 I/O (io/nifti_header.c, io/nifti_read.c, io/nifti_write.c).
# One binary, three groups chosen by its argument: nibabel fixtures, writer
# and atomic replacement (no argument); damaged files ("robustness"); the
# Colin27 template ("e2e", skipped when mricron-data is not installed).
omreg_add_test(test_nifti SOURCES test_nifti.c LABELS unit golden)
foreach(group robustness e2e)
  add_test(NAME test_nifti_${group} COMMAND test_nifti ${group})
  set_tests_properties(test_nifti_${group} PROPERTIES LABELS "${group}" TIMEOUT 300
    ENVIRONMENT "OMP_NUM_THREADS=2;OMP_SCHEDULE=static")
endforeach()

# The chunked gzip writer's deflate kernels (io/gzip_writer.c,
# io/deflate_chunk.h): parallel vs reference over the matrix, and zlib
# reading back what the writer streamed.
omreg_add_test(test_equality_deflate SOURCES test_equality_deflate.c LABELS equality MATRIX)
# The writer's transposition (io/nifti_slab.h): serial vs OpenMP bytes and
# the naive file order, over the matrix.
omreg_add_test(test_equality_nifti_write SOURCES test_equality_nifti_write.c LABELS equality
               MATRIX)
