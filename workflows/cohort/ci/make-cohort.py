#!/usr/bin/python3
"""A small synthetic cohort for testing the workflow, from Debian data only.

The template is Colin27 (ch2.nii.gz, mricron-data) on a 3 mm grid, its labels
the AAL atlas on the same grid. Each subject is the 1 mm ch2 seen through a
known affine and a known smooth displacement field: subject voxel y, at world
point p, shows ch2 at A (p + u(p)), so registering the subject to the template
has to undo both; its labels are AAL through the same map (nearest). Writes
OUT/template.nii.gz, OUT/template_labels.nii.gz, OUT/sNN.nii.gz,
OUT/sNN_labels.nii.gz and OUT/truth.json (every affine and field parameter).

    /usr/bin/python3 make-cohort.py OUT [--templates DIR] [--subjects N] [--voxel-mm MM]
"""
import argparse
import json
import math
import os

import nibabel as nib
import numpy as np
from scipy import ndimage

DEFAULT_VOXEL_MM = 3.0
# Colin27 is smoothed before sampling at 3 mm so the coarse images are not
# aliased; sigma in 1 mm voxels.
ANTIALIAS_SIGMA = 1.0

# One known transform per subject: rotation (degrees, about an axis),
# translation (mm), per-axis scaling, and the smooth field's amplitude (mm)
# and wavelength (mm). Different enough that a mix-up of subjects shows.
SUBJECTS = [
    dict(angle=6.0, axis=(0.2, 0.3, 1.0), shift=(5.0, -4.0, 3.0),
         scale=(1.03, 0.98, 1.0), field_mm=3.0, wavelength=90.0),
    dict(angle=-8.0, axis=(1.0, 0.1, 0.2), shift=(-6.0, 3.0, -2.0),
         scale=(0.97, 1.02, 1.04), field_mm=4.0, wavelength=110.0),
    dict(angle=5.0, axis=(0.1, 1.0, -0.3), shift=(3.0, 6.0, 5.0),
         scale=(1.0, 1.04, 0.97), field_mm=3.5, wavelength=100.0),
]


def rotation(angle_deg, axis):
    """Rodrigues' rotation matrix."""
    k = np.asarray(axis, float)
    k /= np.linalg.norm(k)
    t = math.radians(angle_deg)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + math.sin(t) * kx + (1 - math.cos(t)) * kx @ kx


def known_affine(s, centre):
    """4x4 world map: scale and rotate about the image centre, then shift."""
    lin = rotation(s["angle"], s["axis"]) @ np.diag(s["scale"])
    m = np.eye(4)
    m[:3, :3] = lin
    m[:3, 3] = centre - lin @ centre + np.asarray(s["shift"])
    return m


def smooth_field(points, s, phase):
    """u(p): a sum of low-frequency sines, each component its own phase, in mm."""
    w = 2 * math.pi / s["wavelength"]
    u = np.empty_like(points)
    for c in range(3):
        a, b = (c + 1) % 3, (c + 2) % 3
        u[..., c] = s["field_mm"] * np.sin(w * points[..., a] + phase[c]) * \
            np.cos(w * points[..., b] + 0.5 * phase[c])
    return u


def sample(volume, affine_1mm, world, order):
    """volume (1 mm grid) at world points (..., 3), zero outside."""
    grid = np.linalg.inv(affine_1mm)
    idx = world @ grid[:3, :3].T + grid[:3, 3]
    coords = np.moveaxis(idx, -1, 0)
    return ndimage.map_coordinates(volume, coords, order=order, mode="constant", cval=0.0)


def save(array, affine, path):
    img = nib.Nifti1Image(array, affine)
    img.header.set_xyzt_units("mm")
    tmp = path + ".part.nii.gz"
    nib.save(img, tmp)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--templates", default="/usr/share/mricron/templates")
    ap.add_argument("--subjects", type=int, default=len(SUBJECTS))
    ap.add_argument("--voxel-mm", type=float, default=DEFAULT_VOXEL_MM)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    ch2_img = nib.load(os.path.join(args.templates, "ch2.nii.gz"))
    aal_img = nib.load(os.path.join(args.templates, "aal.nii.gz"))
    if not np.allclose(ch2_img.affine, aal_img.affine) or ch2_img.shape != aal_img.shape:
        raise SystemExit("make-cohort: ch2 and aal are not on the same grid")
    ch2 = ndimage.gaussian_filter(np.asarray(ch2_img.dataobj, np.float32), ANTIALIAS_SIGMA)
    aal = np.asarray(aal_img.dataobj)
    a1 = ch2_img.affine

    # the coarse grid covers the 1 mm one, same origin and axes
    mm = args.voxel_mm
    shape = tuple(int(math.ceil(n / mm)) for n in ch2_img.shape)
    grid_affine = a1 @ np.diag([mm, mm, mm, 1.0])
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), -1)
    world = ijk @ grid_affine[:3, :3].T + grid_affine[:3, 3]
    centre = world.reshape(-1, 3).mean(0)

    save(sample(ch2, a1, world, 1).astype(np.float32), grid_affine,
         os.path.join(args.out, "template.nii.gz"))
    save(sample(aal, a1, world, 0).astype(np.int16), grid_affine,
         os.path.join(args.out, "template_labels.nii.gz"))

    truth = {"voxel_mm": mm, "shape": shape, "subjects": {}}
    for i, s in enumerate(SUBJECTS[:args.subjects]):
        name = "s%02d" % (i + 1)
        m = known_affine(s, centre)
        phase = [0.7 * (i + 1), 1.3 * (i + 2), 0.4 * (i + 3)]
        moved = world + smooth_field(world, s, phase)
        mapped = moved @ m[:3, :3].T + m[:3, 3]
        save(sample(ch2, a1, mapped, 1).astype(np.float32), grid_affine,
             os.path.join(args.out, name + ".nii.gz"))
        save(sample(aal, a1, mapped, 0).astype(np.int16), grid_affine,
             os.path.join(args.out, name + "_labels.nii.gz"))
        truth["subjects"][name] = dict(s, affine=m.tolist(), field_phase=phase)
    with open(os.path.join(args.out, "truth.json.part"), "w") as f:
        json.dump(truth, f, indent=1)
    os.replace(os.path.join(args.out, "truth.json.part"), os.path.join(args.out, "truth.json"))


if __name__ == "__main__":
    main()
