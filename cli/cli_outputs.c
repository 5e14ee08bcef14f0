/* Outputs: an omreg run that fails or is interrupted leaves no partial,
 * temporary or half-committed file.
 *
 * Every output is first written whole under a temporary name next to its
 * target ("<target>.omreg-part-<pid>[.nii|.nii.gz]"); the library itself
 * writes to its own temporary and renames it. cli_outputs_commit renames the
 * staged files into place once all are written.
 *
 * The output lock is held while the library writes a file and while the
 * staged files are committed or discarded. The interrupt watcher
 * (cli_signals.c) removes the staged files through cli_outputs_abandon,
 * which takes the same lock: an interrupt waits for a write in progress
 * (whose library temporary is renamed or removed by then) and never runs in
 * the middle of one. This file knows nothing of signals. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "omreg/itk_field.h"
#include "omreg/nifti.h"
#include "omreg/png.h"

/* syn alone can stage 8 files (warped, inverse, field, ITK field and
 * affine, elastix file and its sibling, QC picture): room for more */
enum { MAX_OUTPUTS = 16, MAX_PATH = 4096 };

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
/* under out_lock: staged_tmp[0 .. nstaged-1] exist on disk */
static char staged_tmp[MAX_OUTPUTS][MAX_PATH];
static char staged_target[MAX_OUTPUTS][MAX_PATH]; /* copies: callers' names may be temporaries */
static int nstaged;

static void lock(void) { pthread_mutex_lock(&out_lock); }
static void unlock(void) { pthread_mutex_unlock(&out_lock); }

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; ++i) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

/* Reserve the next slot's temporary name (under out_lock). */
static omreg_status next_slot(const char *path, int *slot)
{
    const char *ext = ends_with_ci(path, ".nii.gz") ? ".nii.gz"
                      : ends_with_ci(path, ".nii") ? ".nii"
                                                   : "";
    int i = nstaged;
    if (i >= MAX_OUTPUTS) {
        cli_error("%s: too many outputs", path);
        return OMREG_EINVAL;
    }
    int len = snprintf(staged_tmp[i], MAX_PATH, "%s.omreg-part-%ld%s", path, (long)getpid(), ext);
    if (len < 0 || len >= MAX_PATH) {
        staged_tmp[i][0] = '\0';
        cli_error("%s: path too long", path);
        return OMREG_EINVAL;
    }
    strcpy(staged_target[i], path); /* shorter than staged_tmp[i], checked above */
    *slot = i;
    return OMREG_OK;
}

/* Test hook (tests/test_robustness_cli.c): OMREG_TEST_HOLD_AFTER_STAGE=S
 * sleeps S seconds after each staged output, so a test can interrupt a run
 * between writing its outputs and committing them. */
static void test_hold(void)
{
    const char *v = getenv("OMREG_TEST_HOLD_AFTER_STAGE");
    double secs;
    if (v == NULL || !cli_parse_double(v, 0.0, 600.0, &secs))
        return;
    struct timespec d = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {
    }
}

/* Hold off interrupts and reserve a slot; released by stage_done (or here
 * on failure). */
static omreg_status stage_begin(const char *path, int *slot)
{
    lock();
    omreg_status st = next_slot(path, slot);
    if (st != OMREG_OK)
        unlock();
    return st;
}

static omreg_status stage_done(int slot, omreg_status st)
{
    if (st == OMREG_OK) {
        nstaged = slot + 1; /* now an interrupt removes it too */
    } else {
        unlink(staged_tmp[slot]);
        staged_tmp[slot][0] = '\0';
    }
    unlock();
    if (st == OMREG_OK)
        test_hold();
    return st;
}

omreg_status cli_stage_png(const char *path, size_t width, size_t height,
                           const unsigned char *rgb)
{
    int slot;
    omreg_status st = stage_begin(path, &slot);
    if (st != OMREG_OK)
        return st;
    st = omreg_png_write_rgb(staged_tmp[slot], width, height, rgb);
    return stage_done(slot, st);
}

omreg_status cli_stage_array(const omreg_backend *backend, const char *path, int ndim,
                             const size_t *shape, omreg_dtype dtype, const void *data,
                             const double *affine4x4)
{
    int slot;
    omreg_status st = stage_begin(path, &slot);
    if (st != OMREG_OK)
        return st;
    st = omreg_nifti_write_array_with(backend, staged_tmp[slot], ndim, shape, dtype, data,
                                      affine4x4);
    return stage_done(slot, st);
}

omreg_status cli_stage_image(const omreg_backend *backend, const char *path,
                             const omreg_image *img)
{
    int slot;
    omreg_status st = stage_begin(path, &slot);
    if (st != OMREG_OK)
        return st;
    st = omreg_nifti_write_with(backend, staged_tmp[slot], img);
    return stage_done(slot, st);
}

omreg_status cli_stage_text(const char *path, const char *text, size_t n)
{
    int slot;
    omreg_status st = stage_begin(path, &slot);
    if (st != OMREG_OK)
        return st;
    FILE *f = fopen(staged_tmp[slot], "w");
    int ok = f != NULL && fwrite(text, 1, n, f) == n;
    if (f != NULL)
        ok = (fclose(f) == 0) && ok;
    return stage_done(slot, ok ? OMREG_OK : OMREG_EIO);
}

omreg_status cli_stage_matrix(const char *path, int n, const double *m)
{
    char text[16 * 32]; /* n <= 4: 16 numbers of at most 24 characters + separator */
    size_t len = 0;
    if (n < 1 || n > 4)
        return OMREG_EINVAL;
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            len += (size_t)snprintf(text + len, sizeof text - len, "%.17g%c", m[r * n + c],
                                    c + 1 < n ? ' ' : '\n');
    return cli_stage_text(path, text, len);
}

int cli_outputs_staged(void) { return nstaged; }
const char *cli_output_target(int i) { return staged_target[i]; }
const char *cli_output_staged_path(int i) { return staged_tmp[i]; }

omreg_status cli_stage_itk_field(const omreg_backend *backend, const char *path,
                                 const omreg_image *field)
{
    int slot;
    omreg_status st = stage_begin(path, &slot);
    if (st != OMREG_OK)
        return st;
    st = omreg_itk_field_write(backend, staged_tmp[slot], field);
    return stage_done(slot, st);
}

/* The library writes a temporary file and renames it; under the output lock
 * meanwhile, an interrupt never leaves that temporary behind (it is handled
 * once the complete file is in place). */
omreg_status cli_write_image(const omreg_backend *backend, const char *path,
                             const omreg_image *img)
{
    lock();
    omreg_status st = omreg_nifti_write_with(backend, path, img);
    unlock();
    return st;
}

omreg_status cli_outputs_commit(void)
{
    omreg_status st = OMREG_OK;
    lock();
    int n = nstaged;
    for (int i = 0; i < n; ++i) {
        if (st == OMREG_OK && rename(staged_tmp[i], staged_target[i]) != 0) {
            cli_error("%s: cannot move the finished file into place: %s", staged_target[i],
                      strerror(errno));
            st = OMREG_EIO;
        }
        if (st != OMREG_OK)
            unlink(staged_tmp[i]);
    }
    nstaged = 0;
    unlock();
    return st;
}

void cli_outputs_discard(void)
{
    lock();
    for (int i = 0; i < nstaged; ++i)
        unlink(staged_tmp[i]);
    nstaged = 0;
    unlock();
}

int cli_outputs_finish(int rc)
{
    if (!rc && cli_outputs_commit() != OMREG_OK)
        rc = 1; /* cli_outputs_commit printed the reason */
    if (rc)
        cli_outputs_discard();
    return rc;
}

void cli_outputs_abandon(void)
{
    lock(); /* waits for a write or commit in progress; never released */
    for (int i = 0; i < nstaged; ++i)
        unlink(staged_tmp[i]);
    nstaged = 0;
}
