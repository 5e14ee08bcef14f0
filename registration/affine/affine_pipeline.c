/* DIPY's usual affine chain (centre of mass -> translation -> rigid ->
 * affine), each stage starting from the previous stage's matrix. The
 * chain is one run: its thread count (opt->threads, or the backend's
 * default) is read once and every stage runs on it. */
#include <ctype.h>
#include <string.h>

#include "backend.h"
#include "error.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "transform_init_threads.h"

static const struct {
    const char *word;
    omreg_affine_stage stage;
    omreg_transform_type type;
} stage_words[] = {
    {"com", OMREG_STAGE_CENTER_OF_MASS, 0},
    {"mass", OMREG_STAGE_CENTER_OF_MASS, 0},
    {"centers", OMREG_STAGE_GEOMETRIC_CENTERS, 0},
    {"origins", OMREG_STAGE_ORIGINS, 0},
    {"translation", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_TRANSLATION},
    {"rotation", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_ROTATION},
    {"rigid", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_RIGID},
    {"rigidisoscaling", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_RIGIDISOSCALING},
    {"rigidscaling", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_RIGIDSCALING},
    {"scaling", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_SCALING},
    {"affine", OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_AFFINE},
};

omreg_status omreg_affine_pipeline_parse(const char *text, omreg_affine_pipeline_step *steps,
                                         int max, int *nsteps)
{
    OMREG_RETURN_IF(text == NULL || steps == NULL || nsteps == NULL || max < 1, OMREG_EINVAL,
                    "pipeline: NULL argument");
    int n = 0;
    const char *p = text;
    for (;;) {
        char word[32];
        size_t len = strcspn(p, ",");
        OMREG_RETURN_IF(len == 0 || len >= sizeof word, OMREG_EINVAL,
                        "pipeline '%s': empty or overlong stage name", text);
        for (size_t i = 0; i < len; ++i)
            word[i] = (char)tolower((unsigned char)p[i]);
        word[len] = '\0';
        size_t k, nwords = sizeof stage_words / sizeof stage_words[0];
        for (k = 0; k < nwords; ++k)
            if (strcmp(word, stage_words[k].word) == 0)
                break;
        OMREG_RETURN_IF(k == nwords, OMREG_EINVAL,
                        "pipeline: unknown stage '%s' (use com, centers, origins, translation, "
                        "rotation, rigid, rigidisoscaling, rigidscaling, scaling, affine)",
                        word);
        OMREG_RETURN_IF(n == max, OMREG_EINVAL, "pipeline: more than %d stages", max);
        OMREG_RETURN_IF(n > 0 && stage_words[k].stage != OMREG_STAGE_TRANSFORM, OMREG_EINVAL,
                        "pipeline: the initialisation '%s' must come first", word);
        steps[n].stage = stage_words[k].stage;
        steps[n].type = stage_words[k].type;
        ++n;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *nsteps = n;
    return OMREG_OK;
}

omreg_status omreg_affine_pipeline(const omreg_backend *b, const omreg_image *stat,
                                   const omreg_image *mov, const omreg_image *static_mask,
                                   const omreg_image *moving_mask,
                                   const omreg_affine_pipeline_step *steps, int nsteps,
                                   const double *starting_affine, const omreg_affine_options *opt,
                                   omreg_affine_result *result)
{
    OMREG_RETURN_IF(b == NULL || stat == NULL || mov == NULL || steps == NULL || opt == NULL ||
                        result == NULL || nsteps < 1,
                    OMREG_EINVAL, "pipeline: NULL argument or no stage");
    OMREG_RETURN_IF(opt->threads < 0 || opt->threads > OMREG_MAX_THREADS, OMREG_EINVAL,
                    "threads %d outside 0..%d", opt->threads, OMREG_MAX_THREADS);
    omreg_affine_options run = *opt; /* the stages' count, fixed now */
    run.threads = omreg_backend_threads(b, opt->threads);
    int dim = omreg_image_ndim(stat), n1 = dim + 1;
    double current[16];
    if (starting_affine) {
        OMREG_RETURN_IF(!omreg_mat_is_finite(n1, starting_affine), OMREG_ENONFINITE,
                        "starting affine has a non-finite entry");
        memcpy(current, starting_affine, sizeof(double) * (size_t)(n1 * n1));
    } else {
        omreg_mat_identity(n1, current);
    }
    omreg_affine_result res;
    memset(&res, 0, sizeof res);
    int evaluations = 0;
    for (int i = 0; i < nsteps; ++i) {
        switch (steps[i].stage) {
        case OMREG_STAGE_CENTER_OF_MASS:
            OMREG_FORWARD(
                omreg_transform_centers_of_mass_threads(b, run.threads, stat, mov, current));
            break;
        case OMREG_STAGE_GEOMETRIC_CENTERS:
            OMREG_FORWARD(omreg_transform_geometric_centers(stat, mov, current));
            break;
        case OMREG_STAGE_ORIGINS:
            OMREG_FORWARD(omreg_transform_origins(stat, mov, current));
            break;
        case OMREG_STAGE_TRANSFORM:
            OMREG_FORWARD(omreg_affine_register(b, stat, mov, static_mask, moving_mask,
                                                steps[i].type, NULL, current, &run, &res));
            memcpy(current, res.affine, sizeof(double) * (size_t)(n1 * n1));
            evaluations += res.evaluations;
            break;
        default:
            return omreg_fail(OMREG_EINVAL, "pipeline: unknown stage %d", (int)steps[i].stage);
        }
    }
    *result = res;
    result->evaluations = evaluations;
    memcpy(result->affine, current, sizeof(double) * (size_t)(n1 * n1));
    return OMREG_OK;
}
