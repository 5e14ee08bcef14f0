/* The chunked gzip output: deflate_chunks parallel vs reference, bitwise,
 * and the writer's stream read back by zlib itself. ctest runs this binary
 * over the thread x schedule matrix; a race or a chunk landing in the
 * wrong slot changes the compressed bytes, the CRCs or the inflated data.
 * The writer is driven with 64 KiB chunks and 4-chunk rounds (the format
 * is the same at any size) to keep the matrix fast. Data: float32 noise with runs of zeros (partly compressible, like a
 * field with a zero background). */
#include "equality.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gzip_writer.h"
#include "omreg/nifti.h"

/* small chunks and rounds, so that little data crosses many rounds */
enum { CHUNK = 1 << 16, NROUND = 4, ROUND = NROUND * CHUNK };

static unsigned char *test_bytes(size_t n, uint64_t seed)
{
    float *f = omreg_test_alloc(n / sizeof(float) + 1, sizeof(float));
    omreg_test_fill_uniform_f32(f, n / sizeof(float) + 1, seed, -3.0, 3.0);
    for (size_t i = 0; i < n / sizeof(float) + 1; ++i)
        if ((i / 4096) % 3 == 0)
            f[i] = 0.0f;
    return (unsigned char *)f;
}

/* Every output of the kernel for fill bytes in n chunks (the compressed
 * bytes up to each chunk's length; what lies beyond is not written). */
static void kernel_case(size_t fill, size_t n, int final)
{
    const size_t chunk = CHUNK, bound = compressBound(CHUNK) + 64;
    unsigned char *raw = test_bytes(n * chunk, 7 + fill);
    unsigned char *want = omreg_test_alloc(n, bound), *got = omreg_test_alloc(n, bound);
    size_t want_len[16], got_len[16];
    unsigned long want_crc[16], got_crc[16];
    int want_rc[16], got_rc[16];
    omreg_eq eq = {0};
    omreg_eq_output(&eq, "deflate_chunks lengths", want_len, got_len, n);
    omreg_eq_output(&eq, "deflate_chunks crcs", want_crc, got_crc, n);
    omreg_eq_output(&eq, "deflate_chunks statuses", want_rc, got_rc, n);
    omreg_eq_scratch(&eq, got, n * bound); /* compared below, up to each length */
    omreg_eq_reference(&eq);
    ref->deflate_chunks(omreg_backend_threads(ref, 0), raw, fill, chunk, n, 1, final, want, bound,
                        want_len, want_crc, want_rc);
    for (size_t k = 0; k < n; ++k)
        assert_int_equal(want_rc[k], Z_OK);
    OMREG_EQ_PARALLEL(&eq) {
        par->deflate_chunks(omreg_backend_threads(par, 0), raw, fill, chunk, n, 1, final, got,
                            bound, got_len, got_crc, got_rc);
        for (size_t k = 0; k < n; ++k) {
            assert_int_equal(got_len[k], want_len[k]);
            assert_memory_equal(got + k * bound, want + k * bound, want_len[k]);
        }
    }
    free(raw);
    free(want);
    free(got);
}

static void chunks_equal_reference(void **state)
{
    (void)state;
    kernel_case(16 * (size_t)CHUNK, 16, 0);      /* a full round of 16 */
    kernel_case(5 * (size_t)CHUNK + 4321, 6, 1); /* a short last chunk, final */
    kernel_case(0, 1, 1);                        /* the empty stream's block */
}

/* Writes `total` bytes through the writer in pieces of `piece` bytes and
 * inflates the file with zlib (which checks the CRC and length). */
static void writer_round_trip(const omreg_backend *backend, size_t total, size_t piece)
{
    unsigned char *data = test_bytes(total + 1, 99);
    char path[64];
    snprintf(path, sizeof path, "/tmp/omreg-deflate-%ld.gz", (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    omreg_gz_writer *w = NULL;
    assert_int_equal(
        omreg_gz_writer_open_sized(
            &w, fd, path, 1,
            backend ? (omreg_deflater){backend->deflate_chunks, omreg_backend_threads(backend, 0)}
                    : (omreg_deflater){NULL, 1},
            CHUNK, NROUND),
        OMREG_OK);
    for (size_t at = 0; at < total; at += piece)
        assert_int_equal(omreg_gz_writer_write(w, data + at, total - at < piece ? total - at
                                                                                : piece),
                         OMREG_OK);
    assert_int_equal(omreg_gz_writer_close(w), OMREG_OK);
    gzFile gz = gzopen(path, "rb");
    assert_non_null(gz);
    unsigned char *back = omreg_test_alloc(total + 16, 1);
    int got = gzread(gz, back, (unsigned)(total + 16));
    int err = Z_OK;
    gzerror(gz, &err);
    assert_int_equal(err, Z_OK);
    assert_int_equal(gzclose(gz), Z_OK);
    assert_int_equal((size_t)got, total);
    assert_memory_equal(back, data, total);
    unlink(path);
    free(back);
    free(data);
}

static void writer_streams_inflate(void **state)
{
    (void)state;
    writer_round_trip(par, 0, 1);                          /* only the final empty block */
    writer_round_trip(par, (size_t)ROUND, 1u << 20);        /* ends exactly on a round */
    writer_round_trip(par, 3 * (size_t)ROUND + 1, 50000);   /* one byte into a fourth round */
    writer_round_trip(NULL, 2 * (size_t)ROUND + 777, 3333); /* serial path, odd pieces */
}

/* A NIfTI file of three 1 MiB chunks: the same bytes from the serial
 * writer and the parallel backend, and the values read back. */
static void nifti_same_bytes_any_backend(void **state)
{
    (void)state;
    const size_t shape[4] = {61, 53, 47, 5}; /* 3.0 MB of float32 */
    const size_t n = shape[0] * shape[1] * shape[2] * shape[3];
    float *data = (float *)test_bytes(n * sizeof(float), 5);
    const double a4[16] = {2, 0, 0, -90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1};
    char p1[64], p2[64];
    snprintf(p1, sizeof p1, "/tmp/omreg-deflate-%ld-a.nii.gz", (long)getpid());
    snprintf(p2, sizeof p2, "/tmp/omreg-deflate-%ld-b.nii.gz", (long)getpid());
    assert_int_equal(omreg_nifti_write_array_with(NULL, p1, 4, shape, OMREG_F32, data, a4),
                     OMREG_OK);
    assert_int_equal(omreg_nifti_write_array_with(omreg_backend_parallel(), p2, 4, shape,
                                                  OMREG_F32, data, a4),
                     OMREG_OK);
    FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
    assert_non_null(f1);
    assert_non_null(f2);
    unsigned char b1[1 << 16], b2[1 << 16];
    size_t n1, n2, bytes = 0;
    do {
        n1 = fread(b1, 1, sizeof b1, f1);
        n2 = fread(b2, 1, sizeof b2, f2);
        assert_int_equal(n1, n2);
        assert_memory_equal(b1, b2, n1);
        bytes += n1;
    } while (n1 > 0);
    fclose(f1);
    fclose(f2);
    print_message("# %zu compressed bytes, identical\n", bytes);
    int nd = 0;
    size_t sh[7];
    void *back = NULL;
    double a[16];
    assert_int_equal(omreg_nifti_read_array(p2, OMREG_F32, &nd, sh, &back, a), OMREG_OK);
    assert_int_equal(nd, 4);
    assert_memory_equal(back, data, n * sizeof(float));
    free(back);
    free(data);
    unlink(p1);
    unlink(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(chunks_equal_reference),
        cmocka_unit_test(writer_streams_inflate),
        cmocka_unit_test(nifti_same_bytes_any_backend),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
