/* The omreg command: dispatch to subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_qc(int argc, char **argv);
int cmd_affine(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_affine_error(int argc, char **argv);
int cmd_syn(int argc, char **argv);
int cmd_convert(int argc, char **argv);

static const char usage[] =
    "usage: omreg COMMAND [options]\n"
    "\n"
    "Image registration with DIPY 1.6's algorithms, serial reference and\n"
    "OpenMP parallel backends with bitwise identical results.\n"
    "\n"
    "Commands:\n"
    "  affine STATIC MOVING   affine registration by mutual information\n"
    "  syn STATIC MOVING      symmetric diffeomorphic registration (SyN: cc, ssd, em)\n"
    "  qc STATIC WARPED       picture of a registration (slices, edges) and its score\n"
    "  apply IMAGE            resample an image through a saved affine and/or SyN map\n"
    "  affine-error EST TRUE  distance between two affines over an image's voxels\n"
    "  convert IN OUT         transforms between DIPY's and ITK's/elastix's formats\n"
    "  version                print the version\n"
    "  help                   this text\n"
    "\n"
    "'omreg COMMAND --help' describes a command's options.\n";

int main(int argc, char **argv)
{
    cli_wait_policy_init(argc, argv); /* argv for the wait policy's re-exec */
    cli_signals_install();      /* before any thread exists */
    void cli_openmp_defaults(void); /* cli/cli_openmp.c: static schedule unless OMP_SCHEDULE */
    cli_openmp_defaults();
    if (argc < 2)
        return fputs(usage, stderr), 2;
    const char *cmd = argv[1];
    /* OMREG_ISA naming an ISA this CPU lacks (or no ISA) is an error, not a
     * fallback: said once, before any command runs a kernel */
    if (strcmp(cmd, "version") != 0 && strcmp(cmd, "--version") != 0 &&
        strcmp(cmd, "help") != 0 && strcmp(cmd, "--help") != 0 && strcmp(cmd, "-h") != 0 &&
        omreg_backend_parallel() == NULL)
        return cli_usage_error("%s", omreg_last_error());
    if (strcmp(cmd, "affine") == 0)
        return cmd_affine(argc - 1, argv + 1);
    if (strcmp(cmd, "syn") == 0)
        return cmd_syn(argc - 1, argv + 1);
    if (strcmp(cmd, "apply") == 0)
        return cmd_apply(argc - 1, argv + 1);
    if (strcmp(cmd, "convert") == 0)
        return cmd_convert(argc - 1, argv + 1);
    if (strcmp(cmd, "affine-error") == 0)
        return cmd_affine_error(argc - 1, argv + 1);
    if (strcmp(cmd, "qc") == 0)
        return cmd_qc(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("omreg %s\n", OMREG_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    return cli_usage_error("unknown command '%s' (see omreg --help)", cmd);
}
