/* Data and comparisons shared by the tests that hand omreg's transform files
 * to a real ITK program (test_e2e_elastix, test_e2e_plastimatch): Colin27
 * (mricron-data ch2) and the AAL atlas on a 2 mm grid, moved by a known
 * affine T with rotations about all three axes; the tool's resampling
 * compared with `omreg apply`'s voxel by voxel. */
#ifndef OMREG_TEST_ITK_E2E_H
#define OMREG_TEST_ITK_E2E_H

#include <float.h>
#include <stddef.h>

#include "omreg/image.h"

/* Intensities: ITK resamplers interpolate in float32 (their internal pixel
 * type) and omreg in float64 before storing float32; seen up to 9.3e-5 on
 * a range of 244 (SyN, float32 field coordinates); 16 float32 ulps of the
 * range bound them, a wrong matrix or field moves values by tens. */
#define ITK_E2E_INTENSITY_TOL_OF_RANGE (16 * FLT_EPSILON)
/* Voxels whose point maps outside MOVING's grid may differ: ITK keeps the
 * last half voxel by extrapolation, DIPY weighs outside neighbours as 0;
 * seen 0.88% of the grid differing there (transformix), 0.72%
 * (plastimatch); allowed 2%. */
#define ITK_E2E_BOUNDARY_FRACTION_MAX 0.02
/* Nearest neighbour ties (points exactly between two voxels round apart in
 * ITK and DIPY): seen at most 0.0135% of the grid; allowed 0.1%. */
#define ITK_E2E_LABEL_MISMATCH_FRACTION_MAX 0.001
/* A tool's header vs STATIC's affine: float32 in the NIfTI header. */
#define ITK_E2E_HEADER_ATOL 1e-4

/* The shared data, filled by itk_e2e_setup. */
typedef struct itk_e2e_data {
    size_t shape[3];  /* STATIC's = MOVING's grid: 91 x 109 x 91 */
    double grid[16];  /* its grid-to-world affine, 2 mm voxels */
    double T[16];     /* static world -> moving world */
    char S[512];      /* STATIC: ch2 resampled on the grid */
    char M[512];      /* MOVING(y) = ch2(T^-1 y) */
    char L[512];      /* AAL moved like MOVING (nearest) */
    char Tpath[512];  /* T as a DIPY-format matrix file */
} itk_e2e_data;
extern itk_e2e_data itk_e2e;

/* The group setup: cli_setup, then the data above in its scratch dir. */
int itk_e2e_setup(void **state);

/* Is `name` a command on PATH? */
int itk_e2e_tool_present(const char *name);

/* A 4x4 matrix as DIPY-format rows of %.17g, and back. */
void itk_e2e_write_matrix(const char *path, const double *m);
void itk_e2e_read_matrix(const char *path, double *m);

/* Read a tool's output image as float64, failing unless its grid is
 * STATIC's (shape and affine within ITK_E2E_HEADER_ATOL). */
omreg_image *itk_e2e_read_on_static_grid(const char *path);

/* The tool's resampling (tool_path) vs omreg's (om_path) of one transform:
 * static world x -> A (x + v(x)) into MOVING (field: v in RAS, 3 floats per
 * voxel, or NULL for 0). Every voxel whose point maps inside MOVING's grid
 * must agree within the intensity tolerance; at most
 * ITK_E2E_BOUNDARY_FRACTION_MAX of all voxels may differ elsewhere. */
void itk_e2e_compare_intensities(const char *what, const char *tool_path, const char *om_path,
                                 const double *A, const float *field);

/* The displacement `omreg apply --field MAP` warps with: MAP's [..., 1]
 * (RAS, 3 floats per STATIC voxel; free it), and the largest |component|
 * per axis in vmax. Independent of any ITK file's LPS signs. */
float *itk_e2e_applied_field(const char *map, float vmax[3]);

/* Nearest-neighbour label maps: identical except at most
 * ITK_E2E_LABEL_MISMATCH_FRACTION_MAX of the grid, and really labelled. */
void itk_e2e_compare_labels(const char *what, const char *tool_path, const char *om_path);

#endif
