"""Dice overlap of a label map warped onto the template against the
template's own labels: per label present in the template (0 is background),
their mean and minimum, and Dice of the whole labelled region (label > 0)."""
import nibabel as nib
import numpy as np


def load_labels(path):
    """Integer labels of a NIfTI file (omreg apply writes float32 values that
    are exact integers under nearest-neighbour interpolation)."""
    data = np.asarray(nib.load(path).dataobj)
    labels = np.rint(data).astype(np.int64)
    if not np.array_equal(labels, data):
        raise SystemExit(f"dice: {path} holds non-integer labels")
    return labels


def summary(warped_path, template_path):
    warped = load_labels(warped_path)
    template = load_labels(template_path)
    if warped.shape != template.shape:
        raise SystemExit(f"dice: {warped_path} has shape {warped.shape}, "
                         f"the template labels {template.shape}")
    per_label = {}
    for label in np.unique(template):
        if label == 0:
            continue
        a = warped == label
        b = template == label
        per_label[int(label)] = 2.0 * np.count_nonzero(a & b) / (
            np.count_nonzero(a) + np.count_nonzero(b))
    values = list(per_label.values())
    a, b = warped > 0, template > 0
    return {
        "labels": len(values),
        "mean": float(np.mean(values)),
        "min": float(np.min(values)),
        "labelled_region": 2.0 * np.count_nonzero(a & b) / (
            np.count_nonzero(a) + np.count_nonzero(b)),
    }
