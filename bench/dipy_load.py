"""Images as bench/dipy_affine.py and bench/dipy_syn.py hand them to DIPY,
read the way omreg reads them: NIfTI with nibabel (get_fdata, float64; a
2D NIfTI's grid is the in-plane rows and columns of its affine) or PNG with
PIL's convert('L') on an identity grid."""
import numpy as np


def load(path):
    """(data, grid-to-world affine) of a NIfTI or PNG file."""
    if path.lower().endswith('.png'):
        from PIL import Image
        data = np.asarray(Image.open(path).convert('L')).astype(np.float64)
        return data, np.eye(3)
    import nibabel as nib
    img = nib.load(path)
    data = img.get_fdata()
    while data.ndim > 3 and data.shape[-1] == 1:
        data = data[..., 0]
    if data.ndim == 3 and data.shape[2] == 1 and img.header['dim'][0] == 2:
        data = data[..., 0]
    aff = img.affine
    if data.ndim == 2:
        keep = [0, 1, 3]
        aff = aff[np.ix_(keep, keep)]
    return data, aff
