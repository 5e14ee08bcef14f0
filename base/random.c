/* Counter-based generator: splitmix64 finaliser over (seed, index). */
#include <math.h>

#include "omreg/random.h"

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t omreg_random_u64(uint64_t seed, uint64_t index)
{
    return mix64(index * UINT64_C(0x9e3779b97f4a7c15) + mix64(seed ^ UINT64_C(0x6a09e667f3bcc909)));
}

double omreg_random_uniform(uint64_t seed, uint64_t index)
{
    return (double)(omreg_random_u64(seed, index) >> 11) * 0x1.0p-53;
}

double omreg_random_normal(uint64_t seed, uint64_t index)
{
    /* u1 in (0, 1] so log(u1) is finite */
    double u1 = 1.0 - omreg_random_uniform(seed, 2 * index);
    double u2 = omreg_random_uniform(seed, 2 * index + 1);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
