/* The provenance record of `omreg affine|syn --out-json FILE`: resolved
 * options (every option, defaults included), version and git revision,
 * build (compiler, flags, ISA), mode, backend, input and output SHA-256
 * digests, per-level evaluations and final metric. Everything that may
 * differ between runs of the same command on the same files (thread count,
 * timings) sits in the one object "run", so that a record is the same bytes
 * for any thread count once "run" is removed. The record is staged with the
 * other outputs and committed with them. */
#ifndef OMREG_CLI_PROVENANCE_H
#define OMREG_CLI_PROVENANCE_H

#include "cli.h"
#include "cli_json.h"

enum { CLI_PROV_MAX_LEVELS = 64, CLI_PROV_MAX_INPUTS = 8 };

typedef struct cli_prov_level {
    char stage[32];   /* affine: pipeline stage; syn: "syn" */
    int level;        /* DIPY numbering: nlevels-1 (coarsest) .. 0 */
    int max_iter;     /* the level's budget (evaluations or iterations) */
    int evaluations;  /* metric evaluations (affine) or iterations (syn) done */
    int iterations;   /* optimiser iterations (affine); syn: = evaluations */
    double metric;    /* affine: MI at the level's end; syn: last energy */
    double derivative; /* syn: last energy derivative (+inf before the window filled);
                          NaN (written null) when the command reports none */
    char stop[96];    /* affine: the optimiser's stop reason; syn: converged or not */
    double seconds;
} cli_prov_level;

typedef struct cli_provenance {
    const char *path; /* --out-json FILE; NULL: no record (everything below is a no-op) */
    cli_prov_level levels[CLI_PROV_MAX_LEVELS];
    int nlevels, truncated; /* truncated: levels beyond CLI_PROV_MAX_LEVELS were not kept */
    double level_started, load_seconds, register_seconds;
    const char *input_name[CLI_PROV_MAX_INPUTS], *input_path[CLI_PROV_MAX_INPUTS];
    char input_sha256[CLI_PROV_MAX_INPUTS][65];
    int ninputs;
} cli_provenance;

/* Progress of a level (called from the commands' progress callbacks). */
void cli_prov_level_start(cli_provenance *p, const char *stage, int level, int max_iter);
void cli_prov_level_metric(cli_provenance *p, double metric, double derivative);
void cli_prov_level_end(cli_provenance *p, int evaluations, int iterations, double metric,
                        const char *stop);

/* Records an input file (name as in the options, path as given) with its
 * digest; 0 or exit code 1 after printing why it cannot be read. */
int cli_prov_input(cli_provenance *p, const char *name, const char *path);

/* The command's own parts of the record. */
typedef void cli_prov_writer(cli_json *j, const void *ctx);

/* Writes the record (digests of the outputs staged so far included) and
 * stages it at p->path; 0 or exit code 1 after printing why. */
int cli_prov_stage(cli_provenance *p, const char *command, const cli_exec *e,
                   cli_prov_writer *options, cli_prov_writer *result, const void *ctx);

#endif
