/* Test-input generators (DIPY vector_fields.pyx create_random_displacement_
 * {2,3}d, create_harmonic_fields_{2,3}d, create_circle, create_sphere).
 * Values are computed in double as DIPY does; _f32 variants round once on
 * store, which equals DIPY's float64 result cast with astype(float32).
 * random_displacement: every voxel x of from_shape is sent to a random
 * interior voxel r of to_shape (1 <= r_c <= to_shape[c] - 2) and
 * out[x] = to_grid2world r - from_grid2world x, int_field[x] = r. The draws
 * come from omreg's counter-based generator keyed by (seed, x * dim + c)
 * (kernels/field_generators_point.h), not numpy's stream: DIPY's values differ,
 * the formula around them is DIPY's. NULL affines are identities. */
#ifndef OMREG_CORE_KERNELS_FIELD_GENERATORS_H
#define OMREG_CORE_KERNELS_FIELD_GENERATORS_H

#include <stddef.h>
#include <stdint.h>

typedef void omreg_create_random_displacement_2d_f64_fn(int nthreads, const size_t from_shape[2],
                                                        const double *from_grid2world,
                                                        const size_t to_shape[2],
                                                        const double *to_grid2world, uint64_t seed,
                                                        double *out, int *int_field);
typedef void omreg_create_random_displacement_2d_f32_fn(int nthreads, const size_t from_shape[2],
                                                        const double *from_grid2world,
                                                        const size_t to_shape[2],
                                                        const double *to_grid2world, uint64_t seed,
                                                        float *out, int *int_field);
typedef void omreg_create_random_displacement_3d_f64_fn(int nthreads, const size_t from_shape[3],
                                                        const double *from_grid2world,
                                                        const size_t to_shape[3],
                                                        const double *to_grid2world, uint64_t seed,
                                                        double *out, int *int_field);
typedef void omreg_create_random_displacement_3d_f32_fn(int nthreads, const size_t from_shape[3],
                                                        const double *from_grid2world,
                                                        const size_t to_shape[3],
                                                        const double *to_grid2world, uint64_t seed,
                                                        float *out, int *int_field);

/* d: Chen et al.'s harmonic field, inv: its analytic inverse; both
 * (shape..., dim). */
typedef void omreg_create_harmonic_fields_2d_f64_fn(int nthreads, const size_t shape[2], double b,
                                                    double m, double *d, double *inv);
typedef void omreg_create_harmonic_fields_2d_f32_fn(int nthreads, const size_t shape[2], double b,
                                                    double m, float *d, float *inv);
typedef void omreg_create_harmonic_fields_3d_f64_fn(int nthreads, const size_t shape[3], double b,
                                                    double m, double *d, double *inv);
typedef void omreg_create_harmonic_fields_3d_f32_fn(int nthreads, const size_t shape[3], double b,
                                                    double m, float *d, float *inv);

/* out = 1 where the distance to the centre (shape / 2, integer division) is
 * <= radius, else 0. */
typedef void omreg_create_circle_f64_fn(int nthreads, const size_t shape[2], ptrdiff_t radius,
                                        double *out);
typedef void omreg_create_circle_f32_fn(int nthreads, const size_t shape[2], ptrdiff_t radius,
                                        float *out);
typedef void omreg_create_sphere_f64_fn(int nthreads, const size_t shape[3], ptrdiff_t radius,
                                        double *out);
typedef void omreg_create_sphere_f32_fn(int nthreads, const size_t shape[3], ptrdiff_t radius,
                                        float *out);

#endif
