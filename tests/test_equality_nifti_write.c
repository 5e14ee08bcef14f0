/* The NIfTI writer's transposition (io/nifti_slab.h): the serial path
 * (NULL backend) and the OpenMP kernels (parallel backend) write the same
 * bytes, and the data past the header are the C-order array in NIfTI
 * order as a naive odometer computes it here. ctest runs this binary over
 * the thread x schedule matrix; a dropped tile, row or slab changes the
 * bytes. Shapes are odd so that no tile, slab or layer count divides
 * evenly; one shape is larger than a 4 MiB slab so several slabs and
 * outer values are written. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omreg/nifti.h"

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = omreg_test_alloc((size_t)len + 1, 1);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* the file order of a C-order array: element (i0, ..., i_{d-1}) at
 * i0 + n0 (i1 + n1 (...)) */
static void naive_file_order(int ndim, const size_t *shape, size_t esize,
                             const unsigned char *c, unsigned char *file)
{
    size_t n = omreg_eq_voxels(ndim, shape), idx[7] = {0};
    for (size_t f = 0; f < n; ++f) {
        size_t at = 0;
        for (int d = 0; d < ndim; ++d)
            at = at * shape[d] + idx[d];
        memcpy(file + f * esize, c + at * esize, esize);
        for (int d = 0; d < ndim && ++idx[d] == shape[d]; ++d)
            idx[d] = 0;
    }
}

static void one_case(int ndim, const size_t *shape, omreg_dtype dtype, const char *ext)
{
    const size_t esize = dtype == OMREG_F32 ? 4 : 8, n = omreg_eq_voxels(ndim, shape);
    unsigned char *data = omreg_test_alloc(n, esize);
    for (size_t i = 0; i < n * esize; ++i)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    const double a4[16] = {2, 0, 0, -90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1};
    char ps[96], pp[96];
    snprintf(ps, sizeof ps, "/tmp/omreg-niiwrite-%ld-s%s", (long)getpid(), ext);
    snprintf(pp, sizeof pp, "/tmp/omreg-niiwrite-%ld-p%s", (long)getpid(), ext);
    assert_int_equal(omreg_nifti_write_array_with(NULL, ps, ndim, shape, dtype, data, a4),
                     OMREG_OK);
    assert_int_equal(
        omreg_nifti_write_array_with(omreg_backend_parallel(), pp, ndim, shape, dtype, data, a4),
        OMREG_OK);
    size_t ns = 0, np = 0;
    unsigned char *bs = slurp(ps, &ns), *bp = slurp(pp, &np);
    assert_int_equal(np, ns);
    assert_memory_equal(bp, bs, ns);
    if (strcmp(ext, ".nii") == 0) { /* header 348 + 4 extension bytes, then the data */
        assert_int_equal(ns, 352 + n * esize);
        unsigned char *want = omreg_test_alloc(n, esize);
        naive_file_order(ndim, shape, esize, data, want);
        assert_memory_equal(bp + 352, want, n * esize);
        free(want);
    }
    unlink(ps);
    unlink(pp);
    free(bs);
    free(bp);
    free(data);
}

static void writer_same_bytes(void **state)
{
    (void)state;
    static const struct {
        int ndim;
        size_t shape[5];
    } shapes[] = {
        {1, {1001}},
        {2, {37, 19}},
        {3, {23, 17, 13}},
        {3, {1, 5, 7}},
        {4, {19, 21, 11, 3}},
        {5, {13, 11, 9, 3, 2}},
        {4, {131, 97, 45, 3}}, /* 6.8 MB of float32: several 4 MiB slabs */
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; ++s)
        for (int t = 0; t < 2; ++t) {
            omreg_dtype dt = t ? OMREG_F64 : OMREG_F32;
            one_case(shapes[s].ndim, shapes[s].shape, dt, ".nii");
            one_case(shapes[s].ndim, shapes[s].shape, dt, ".nii.gz");
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(writer_same_bytes),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
