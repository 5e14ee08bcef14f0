/* base/sha256.c against coreutils' sha256sum (an independent
 * implementation): lengths around the padding boundaries (55, 56, 63, 64,
 * 65 bytes), the empty message, a multi-block buffer fed in uneven pieces,
 * and the file helper's error path. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omreg_test.h"
#include "sha256.h"

/* sha256sum's digest of bytes, through a temporary file */
static void sha256sum_of(const unsigned char *bytes, size_t n, char path[64], char hex[65])
{
    snprintf(path, 64, "/tmp/omreg_sha256_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%64s", hex), 1);
    assert_int_equal(pclose(p), 0);
    assert_int_equal(strlen(hex), 64);
}

static void matches_sha256sum(void **state)
{
    (void)state;
    static const size_t lengths[] = {0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000003};
    unsigned char *bytes = omreg_test_alloc(1000003, 1);
    for (size_t i = 0; i < 1000003; ++i)
        bytes[i] = (unsigned char)((i * 2654435761u) >> 13);
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; ++k) {
        const size_t n = lengths[k];
        char path[64], want[65], whole[65], pieces[65], file[65];
        sha256sum_of(bytes, n, path, want);
        omreg_sha256 s;
        omreg_sha256_init(&s);
        omreg_sha256_update(&s, bytes, n);
        omreg_sha256_hex(&s, whole);
        /* uneven pieces cross the 64-byte blocks at every offset */
        omreg_sha256_init(&s);
        for (size_t at = 0, step = 1; at < n; at += step, step = step % 97 + 1)
            omreg_sha256_update(&s, bytes + at, at + step <= n ? step : n - at);
        omreg_sha256_hex(&s, pieces);
        assert_int_equal(omreg_sha256_file(path, file), OMREG_OK);
        unlink(path);
        if (strcmp(whole, want) || strcmp(pieces, want) || strcmp(file, want))
            fail_msg("length %zu: sha256sum %s, whole %s, pieces %s, file %s", n, want, whole,
                     pieces, file);
    }
    free(bytes);
}

static void missing_file_is_eio(void **state)
{
    (void)state;
    char hex[65] = "untouched";
    assert_int_equal(omreg_sha256_file("/nonexistent/omreg/sha256", hex), OMREG_EIO);
    assert_string_equal(hex, "untouched");
    assert_true(strstr(omreg_last_error(), "/nonexistent/omreg/sha256") != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_sha256sum),
        cmocka_unit_test(missing_file_is_eio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
