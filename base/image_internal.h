/* The image struct behind the opaque public handle. */
#ifndef OMREG_CORE_IMAGE_INTERNAL_H
#define OMREG_CORE_IMAGE_INTERNAL_H

#include "omreg/image.h"

struct omreg_image {
    int ndim;              /* 2 or 3 */
    size_t shape[3];       /* spatial shape in C order; 1 past ndim */
    int ncomp;             /* 1: scalar image; ndim: displacement field */
    omreg_dtype dtype;
    void *data;
    bool owns;             /* free data in omreg_image_free */
    double grid2world[16]; /* (ndim+1)^2 entries, row-major */
};

#endif
