/* A program that uses omreg as an installed library would: registers two 2D
 * images with DIPY's default affine chain (com, translation, rigid, affine;
 * the parallel backend) through the public API only, and prints the matrix
 * in `omreg affine`'s format (rows of %.17g), so ci/install.sh can compare
 * the two byte for byte.
 *   register_pair STATIC.png MOVING.png */
#include <stdio.h>

#include <omreg/affine.h>
#include <omreg/png.h>

static int fail(const char *what)
{
    fprintf(stderr, "register_pair: %s: %s\n", what, omreg_last_error());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: register_pair STATIC.png MOVING.png\n", stderr);
        return 2;
    }
    omreg_image *fixed = NULL, *moving = NULL;
    omreg_affine_pipeline_step steps[8];
    int nsteps = 0, rc = 0;
    omreg_affine_options options = omreg_affine_default_options();
    omreg_affine_result result;
    if (omreg_png_read(argv[1], OMREG_F64, &fixed) != OMREG_OK)
        rc = fail(argv[1]);
    else if (omreg_png_read(argv[2], OMREG_F64, &moving) != OMREG_OK)
        rc = fail(argv[2]);
    else if (omreg_affine_pipeline_parse("com,translation,rigid,affine", steps, 8, &nsteps) !=
             OMREG_OK)
        rc = fail("pipeline");
    else if (omreg_affine_pipeline(omreg_backend_parallel(), fixed, moving, NULL, NULL, steps,
                                   nsteps, NULL, &options, &result) != OMREG_OK)
        rc = fail("registration");
    else {
        int n1 = omreg_image_ndim(fixed) + 1;
        for (int r = 0; r < n1; r++)
            for (int k = 0; k < n1; k++)
                printf("%.17g%c", result.affine[r * n1 + k], k + 1 < n1 ? ' ' : '\n');
    }
    omreg_image_free(fixed);
    omreg_image_free(moving);
    return rc;
}
