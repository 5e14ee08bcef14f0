/* The provenance record (cli_provenance.h). The JSON is built in memory,
 * after every other output is staged (their digests are taken from the
 * staged bytes, which the commit only renames), then staged itself. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "cli_provenance.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

#ifndef OMREG_VERSION
#define OMREG_VERSION "unknown"
#endif
#ifndef OMREG_GIT_REVISION
#define OMREG_GIT_REVISION "unknown"
#endif
#ifndef OMREG_BUILD_COMPILER
#define OMREG_BUILD_COMPILER "unknown"
#endif
#ifndef OMREG_BUILD_FLAGS
#define OMREG_BUILD_FLAGS "unknown"
#endif
#ifndef OMREG_BUILD_TARGET
#define OMREG_BUILD_TARGET "unknown"
#endif

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

void cli_prov_level_start(cli_provenance *p, const char *stage, int level, int max_iter)
{
    if (p->path == NULL)
        return;
    if (p->nlevels == CLI_PROV_MAX_LEVELS) {
        p->truncated = 1;
        return;
    }
    cli_prov_level *l = &p->levels[p->nlevels++];
    memset(l, 0, sizeof *l);
    copy_text(l->stage, sizeof l->stage, stage);
    l->level = level;
    l->max_iter = max_iter;
    l->metric = NAN;
    l->derivative = NAN; /* none reported (affine) */
    p->level_started = cli_elapsed();
}

void cli_prov_level_metric(cli_provenance *p, double metric, double derivative)
{
    if (p->path == NULL || p->truncated || p->nlevels == 0)
        return;
    p->levels[p->nlevels - 1].metric = metric;
    p->levels[p->nlevels - 1].derivative = derivative;
}

void cli_prov_level_end(cli_provenance *p, int evaluations, int iterations, double metric,
                        const char *stop)
{
    if (p->path == NULL || p->truncated || p->nlevels == 0)
        return;
    cli_prov_level *l = &p->levels[p->nlevels - 1];
    l->evaluations = evaluations;
    l->iterations = iterations;
    l->metric = metric;
    copy_text(l->stop, sizeof l->stop, stop);
    l->seconds = cli_elapsed() - p->level_started;
}

int cli_prov_input(cli_provenance *p, const char *name, const char *path)
{
    if (p->path == NULL || path == NULL)
        return 0;
    if (p->ninputs == CLI_PROV_MAX_INPUTS)
        return cli_error("--out-json: more than %d input files", CLI_PROV_MAX_INPUTS);
    const int i = p->ninputs;
    if (omreg_sha256_file(path, p->input_sha256[i]) != OMREG_OK)
        return cli_status_error("--out-json: input digest", OMREG_EIO);
    p->input_name[i] = name;
    p->input_path[i] = path;
    p->ninputs = i + 1;
    return 0;
}

static void file_entry(cli_json *j, const char *key, const char *path, const char *sha256)
{
    cli_json_object(j, key);
    cli_json_string(j, "path", path);
    cli_json_string(j, "sha256", sha256);
    cli_json_end(j);
}

static void write_levels(cli_json *j, const cli_provenance *p)
{
    cli_json_array(j, "levels");
    for (int i = 0; i < p->nlevels; ++i) {
        const cli_prov_level *l = &p->levels[i];
        cli_json_object(j, NULL);
        cli_json_string(j, "stage", l->stage);
        cli_json_int(j, "level", l->level);
        cli_json_int(j, "max_iter", l->max_iter);
        cli_json_int(j, "evaluations", l->evaluations);
        cli_json_int(j, "iterations", l->iterations);
        cli_json_double(j, "metric", l->metric);
        if (isnan(l->derivative))
            cli_json_null(j, "derivative");
        else
            cli_json_double(j, "derivative", l->derivative);
        cli_json_string(j, "stop", l->stop);
        cli_json_end(j);
    }
    cli_json_end(j);
    cli_json_bool(j, "levels_truncated", p->truncated);
}

/* what may differ between runs on the same files: threads and timings */
static void write_run(cli_json *j, const cli_provenance *p, double outputs_started)
{
    const char *sched = getenv("OMP_SCHEDULE");
    cli_json_object(j, "run");
    cli_json_int(j, "threads", omp_get_max_threads());
    cli_json_string(j, "omp_schedule", sched && sched[0] ? sched : NULL);
    /* the wait policy the runtime read at load time, and who chose it */
    cli_json_string(j, "wait_policy", getenv("OMP_WAIT_POLICY"));
    cli_json_string(j, "gomp_spincount", getenv("GOMP_SPINCOUNT"));
    cli_json_string(j, "wait_policy_source", cli_wait_policy_source());
    cli_json_object(j, "timings_seconds");
    cli_json_double(j, "load", p->load_seconds);
    cli_json_double(j, "register", p->register_seconds);
    cli_json_double(j, "outputs", cli_elapsed() - outputs_started);
    cli_json_double(j, "total", cli_elapsed());
    cli_json_array(j, "levels");
    for (int i = 0; i < p->nlevels; ++i)
        cli_json_double(j, NULL, p->levels[i].seconds);
    cli_json_end(j);
    cli_json_end(j);
    cli_json_end(j);
}

int cli_prov_stage(cli_provenance *p, const char *command, const cli_exec *e,
                   cli_prov_writer *options, cli_prov_writer *result, const void *ctx)
{
    if (p->path == NULL)
        return 0;
    const double outputs_started = cli_elapsed();
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (f == NULL)
        return cli_error("%s: cannot build the provenance record", p->path);
    cli_json j;
    cli_json_open(&j, f);
    cli_json_string(&j, "format", "omreg provenance 1");
    cli_json_string(&j, "command", command);
    cli_json_string(&j, "version", OMREG_VERSION);
    cli_json_string(&j, "git_revision", OMREG_GIT_REVISION);
    cli_json_object(&j, "build");
    cli_json_string(&j, "compiler", OMREG_BUILD_COMPILER);
    cli_json_string(&j, "flags", OMREG_BUILD_FLAGS);
    cli_json_string(&j, "target", OMREG_BUILD_TARGET);
    /* the instruction set of the kernels that ran (OMREG_ISA, else the CPU's best) */
    cli_json_string(&j, "isa", omreg_backend_isa(e->backend));
    cli_json_end(&j);
    cli_json_string(&j, "mode", "dipy");
    cli_json_string(&j, "backend", omreg_backend_name(e->backend));
    cli_json_object(&j, "options");
    options(&j, ctx);
    /* --threads is not here but in "run" (the count the runtime used): by
     * the determinism contract it cannot change the result, and everything
     * before "run" is the same bytes for any thread count */
    cli_json_string(&j, "backend", omreg_backend_name(e->backend));
    cli_json_bool(&j, "quiet", e->quiet);
    cli_json_string(&j, "out-json", p->path);
    cli_json_end(&j);
    cli_json_object(&j, "inputs");
    for (int i = 0; i < p->ninputs; ++i)
        file_entry(&j, p->input_name[i], p->input_path[i], p->input_sha256[i]);
    cli_json_end(&j);
    write_levels(&j, p);
    cli_json_object(&j, "result");
    result(&j, ctx);
    cli_json_end(&j);
    cli_json_array(&j, "outputs"); /* in the order they were staged */
    int rc = 0;
    for (int i = 0; i < cli_outputs_staged() && !rc; ++i) {
        char sha[65];
        if (omreg_sha256_file(cli_output_staged_path(i), sha) != OMREG_OK)
            rc = cli_status_error("--out-json: output digest", OMREG_EIO);
        else
            file_entry(&j, NULL, cli_output_target(i), sha);
    }
    cli_json_end(&j);
    write_run(&j, p, outputs_started);
    const int bad = cli_json_close(&j);
    if (fclose(f) != 0 || bad)
        rc = rc ? rc : cli_error("%s: cannot build the provenance record", p->path);
    if (!rc && cli_stage_text(p->path, text, size) != OMREG_OK)
        rc = cli_error("%s: cannot write the provenance record", p->path);
    free(text);
    return rc;
}
