/* Shared helpers of the omreg command: error reporting, option values,
 * image and matrix files, threads and backends. The command prints; the
 * library never does. */
#ifndef OMREG_CLI_H
#define OMREG_CLI_H

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#define CLI_MAX_LIST 16

/* Print "omreg: <message>" on one line of stderr; returns exit code 1 (or 2
 * for usage errors via cli_usage_error). */
int cli_error(const char *fmt, ...);
int cli_usage_error(const char *fmt, ...);
/* "omreg: <what>: <library message>" for a failed omreg call */
int cli_status_error(const char *what, omreg_status st);

/* Strict number parsing: the whole string must be a number in range. */
int cli_parse_int(const char *text, int lo, int hi, int *out);
int cli_parse_double(const char *text, double lo, double hi, double *out);
/* comma-separated lists; returns the count or -1 */
int cli_parse_int_list(const char *text, int lo, int hi, int *out, int max);
int cli_parse_double_list(const char *text, double lo, double hi, double *out, int max);

/* Read a NIfTI (.nii, .nii.gz) or PNG (.png) image as float64. */
omreg_status cli_read_image(const char *path, omreg_image **out);
/* cli_read_image, then cli_check_finite: 0, or the exit code after one
 * line "<what> image PATH: <reason>". */
int cli_load_image(const char *what, const char *path, omreg_image **out);
/* The STATIC and MOVING operands of a registration command: cli_load_image
 * each, then "<cmd>: STATIC is nD but MOVING is mD" when they differ. 0 or
 * the exit code after one line; the caller frees *stat and *mov either way. */
int cli_load_pair(const char *cmd, const char *static_path, const char *moving_path,
                  omreg_image **stat, omreg_image **mov);
/* Read an n x n whitespace-separated matrix (n = 3 or 4: checks the count). */
omreg_status cli_read_matrix(const char *path, int n, double *m);

/* --backend and --threads handling (threads <= 0: leave the runtime's). */
int cli_select_backend(const char *name, const omreg_backend **out);
void cli_set_threads(int threads);

/* Seconds since the first call. */
double cli_elapsed(void);

/* ---- option parsing shared by the registration commands ---------------- */

/* getopt_long codes of the shared options (above any single character) */
enum { CLI_O_THREADS = 1000, CLI_O_BACKEND, CLI_O_QUIET, CLI_O_HELP, CLI_O_WAIT_POLICY };
/* struct option entries for --threads, --backend, --wait-policy, --quiet, --help */
#define CLI_COMMON_LONGOPTS                                                                    \
    {"threads", required_argument, NULL, CLI_O_THREADS},                                      \
        {"backend", required_argument, NULL, CLI_O_BACKEND},                                  \
        {"wait-policy", required_argument, NULL, CLI_O_WAIT_POLICY},                          \
        {"quiet", no_argument, NULL, CLI_O_QUIET}, {"help", no_argument, NULL, CLI_O_HELP}

/* Returned by a parser when --help was asked for (the caller prints usage and
 * exits 0; parsers never exit). */
#define CLI_HELP (-1)

/* --wait-policy: how idle OpenMP threads wait (cli/cli_wait_policy.c) */
typedef enum cli_wait_policy {
    CLI_WAIT_PASSIVE, /* sleep at once (default): a busy machine stays fast */
    CLI_WAIT_ACTIVE,  /* spin: an idle machine may be a little faster */
    CLI_WAIT_ENV      /* leave it to OMP_WAIT_POLICY / the runtime's default */
} cli_wait_policy;

/* The text of the shared option, for each command's --help. */
#define CLI_WAIT_POLICY_HELP                                                                   \
    "  --wait-policy P           passive (default): idle OpenMP threads sleep, which keeps\n"   \
    "                            2 threads fast beside other busy processes; active: they\n"   \
    "                            spin; env: the runtime's default. A set OMP_WAIT_POLICY\n"    \
    "                            or GOMP_SPINCOUNT always wins. passive and active restart\n"  \
    "                            omreg once with OMP_WAIT_POLICY set (libgomp reads it at\n"   \
    "                            load time only)\n"

typedef struct cli_exec {
    const omreg_backend *backend; /* --backend (default parallel) */
    int threads;                  /* --threads (0: the runtime's) */
    int quiet;                    /* --quiet / -q */
    cli_wait_policy wait_policy;  /* --wait-policy (default passive) */
} cli_exec;

/* Defaults: parallel backend, runtime's threads, progress on, passive waits. */
cli_exec cli_exec_defaults(void);

/* Reset getopt completely before parsing a new argv (glibc keeps a pointer
 * into the previous argv otherwise). */
void cli_getopt_reset(void);

/* One getopt_long result for the shared options and -q/-h. Returns 1 when
 * handled (*rc = 0, CLI_HELP, or a usage error's exit code), 0 when opt is
 * not a shared option. */
int cli_common_option(int opt, const char *arg, cli_exec *e, int *rc);

/* The usage error for getopt's '?' (unknown option or missing argument). */
int cli_bad_option(const char *cmd, int argc, char **argv);

/* --level-iters LIST: 1..max integers >= 0; returns 0 or a usage error. */
int cli_parse_level_iters(const char *arg, int *out, int max, int *n);

/* The usage error when the operands are not exactly STATIC and MOVING. */
int cli_expect_pair(const char *cmd, int argc, int optind_);

/* Parse-only entry points of the registration commands: the same checks as
 * the commands (no file is opened, nothing runs). 0: valid; CLI_HELP; or the
 * exit code after printing the one-line error. Used by the fuzzers. */
int cmd_affine_parse_only(int argc, char **argv);
int cmd_syn_parse_only(int argc, char **argv);
int cmd_qc_parse_only(int argc, char **argv);

/* Silence cli_error / cli_usage_error (the fuzzers). */
void cli_silence_errors(int on);

/* ---- input checks ------------------------------------------------------- */

/* Exit code 1 with "<what> image PATH: voxel (i, j, k) is NaN/Inf" when img
 * has a non-finite voxel (DIPY lets NaN/Inf spread through the
 * normalisation and returns a meaningless result; omreg refuses them). */
int cli_check_finite(const char *what, const char *path, const omreg_image *img);

/* Exit code 1 unless MASK has IMG's dimensionality and shape. */
int cli_check_same_grid(const char *what, const char *path, const omreg_image *mask,
                        const char *img_what, const omreg_image *img);

/* ---- QC pictures (cli/cmd_qc.c) ------------------------------------------ */

/* Render the QC picture of warped over stat with the default options
 * (omreg/qc.h) and stage it as a PNG at path; the edge-overlap score is
 * printed on stderr unless quiet. 0, or the exit code after one line. Used
 * by --out-qc of affine and syn. */
int cli_stage_qc(const omreg_backend *backend, const char *path, const omreg_image *stat,
                 const omreg_image *warped, int quiet);

/* ---- the wait policy (cli/cli_wait_policy.c) --------------------------- */

/* main, first: keep a copy of argv for the re-exec (as main received it:
 * getopt permutes argv), and note (and remove) the marker
 * of a re-executed image. */
void cli_wait_policy_init(int argc, char **argv);
/* After a command parsed its options, before it reads a file: unless the
 * policy is env, the image was re-executed already, the user set
 * OMP_WAIT_POLICY or GOMP_SPINCOUNT, or Valgrind runs the command (an
 * exec would leave it), set OMP_WAIT_POLICY to the policy and
 * re-execute this binary with the same argv. Returns only when nothing was
 * done or the exec failed (then the environment is as it was). Without
 * cli_wait_policy_init (tests, fuzzers) it does nothing. */
void cli_wait_policy_apply(cli_wait_policy policy);
/* Who chose the wait policy the runtime read: "omreg" (this command,
 * through the re-exec), "environment" (the user's OMP_WAIT_POLICY or
 * GOMP_SPINCOUNT) or "runtime" (nobody: the runtime's default). */
const char *cli_wait_policy_source(void);

/* ---- interrupts (cli/cli_signals.c) -------------------------------------- */

/* SIGINT, SIGTERM, SIGHUP: blocked in every thread and taken by a watcher
 * thread that removes the staged temporary outputs (cli_outputs_abandon)
 * and re-raises with the default action, so the process dies by the signal
 * (shell status 128 + n) leaving no partial or temporary file. Call first
 * in main, before any OpenMP thread exists (threads inherit the blocked
 * mask). */
void cli_signals_install(void);

/* ---- safe outputs (cli/cli_outputs.c) ------------------------------------ */

/* Outputs written in two phases: each stage_* call writes a complete file
 * under a temporary name next to its target (interrupts held off meanwhile);
 * an interrupt or cli_outputs_discard removes every staged file; commit
 * renames them all into place (interrupts held off). A failure leaves an existing target
 * untouched. Returns the library status (messages name the target). */
omreg_status cli_stage_image(const omreg_backend *backend, const char *path,
                             const omreg_image *img);
/* an 8-bit RGB picture as a PNG (QC pictures) */
omreg_status cli_stage_png(const char *path, size_t width, size_t height,
                           const unsigned char *rgb);
omreg_status cli_stage_array(const omreg_backend *backend, const char *path, int ndim,
                             const size_t *shape, omreg_dtype dtype, const void *data,
                             const double *affine4x4);
omreg_status cli_stage_matrix(const char *path, int n, const double *m);
/* n bytes of text as the file path (provenance record, ITK / elastix transforms) */
omreg_status cli_stage_text(const char *path, const char *text, size_t n);
/* The outputs staged so far, in staging order: target path and the staged
 * temporary holding the bytes the commit will put there (i < staged). */
int cli_outputs_staged(void);
const char *cli_output_target(int i);
const char *cli_output_staged_path(int i);
/* an ITK displacement field (omreg/itk_field.h), staged like the others */
omreg_status cli_stage_itk_field(const omreg_backend *backend, const char *path,
                                 const omreg_image *field);
omreg_status cli_outputs_commit(void);
void cli_outputs_discard(void);
/* The end of a command: rc == 0 commits the staged outputs (1 when that
 * fails, after its one line); any other rc, or a failed commit, discards
 * them. Returns the command's exit code. */
int cli_outputs_finish(int rc);
/* Write a NIfTI image at once, not staged (omreg apply): the library's own
 * temporary file then rename, interrupts held off meanwhile, so no partial
 * or temporary file is left. */
omreg_status cli_write_image(const omreg_backend *backend, const char *path,
                             const omreg_image *img);
/* For the interrupt watcher: wait for a write or commit in progress, remove
 * every staged file and keep the output lock, so nothing is staged or
 * committed after; the caller then ends the process. */
void cli_outputs_abandon(void);

/* ---- transform files of the ITK world (cli/cli_transform.c) ------------ */

/* Read an affine from any format omreg accepts, detected by content: rows
 * of numbers (DIPY's AffineMap.affine), an ITK text transform or an elastix
 * TransformParameters file (omreg/transform_file.h), as the RAS
 * (dim+1)x(dim+1) matrix. 0, or the exit code after one line naming
 * option and path. */
int cli_read_affine(const char *option, const char *path, int dim, double *affine);

/* The ITK-world outputs of a registration, staged: --out-itk-affine
 * (affine as an ITK text transform), --out-itk-warp (field, RAS, on the
 * static grid, as an ITK displacement field) and --out-elastix
 * (transformix's parameter file on the static grid: the affine alone; the
 * field alone; or, with both, the affine chained to FILE's sibling
 * "<FILE without .txt>.warp.txt" holding the field, which transformix
 * applies first: x -> A (x + v(x))). Any path may be NULL; field may be
 * NULL (affine registration); affine NULL means the identity; static_grid
 * (dim-D) may be NULL without --out-elastix. 0 or the exit code after one
 * line. */
typedef struct cli_itk_outputs {
    const char *itk_affine, *itk_warp, *elastix;
} cli_itk_outputs;
int cli_stage_itk_outputs(const omreg_backend *backend, const cli_itk_outputs *o, int dim,
                          const omreg_image *static_grid, const double *affine,
                          const omreg_image *field);

/* Read a displacement field file for the STATIC grid stat (see omreg apply
 * --help): DIPY's map or single field, an ITK displacement field (intent
 * vector, LPS: converted to RAS), or an elastix DeformationFieldTransform
 * parameter file naming one. *fwd = the map's [..., 0] (NULL for a single
 * field), *bwd = [..., 1] or the single field; float32 on stat's grid.
 * 0 or the exit code after one line. */
int cli_read_fields(const char *path, const omreg_image *stat, const char *stat_name,
                    omreg_image **fwd, omreg_image **bwd);

#endif
