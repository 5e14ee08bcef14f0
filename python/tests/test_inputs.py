"""Bad inputs give clear exceptions before or from the library (its
message); arrays that are only laid out differently (non-contiguous,
read-only, another real dtype) give the same bits."""
import numpy as np
import nibabel as nib
import pytest

import omreg

ITERS = [20, 10, 5]


@pytest.fixture(scope="module")
def arrays(pair2d):
    s, m = (nib.load(p) for p in pair2d)
    aff = lambda img: img.affine[np.ix_([0, 1, 3], [0, 1, 3])]  # noqa: E731
    return m.get_fdata(), s.get_fdata(), aff(m), aff(s)


def reg(moving, static, ma, sa, **kw):
    return omreg.affine_registration(moving, static, ma, sa, level_iters=ITERS, **kw)


@pytest.mark.parametrize("dtype", [np.complex128, object, "U3"])
def test_wrong_dtype(arrays, dtype):
    m, s, ma, sa = arrays
    with pytest.raises(TypeError, match="not a real number type"):
        reg(m.astype(dtype), s, ma, sa)
    with pytest.raises(TypeError, match="not a real number type"):
        omreg.syn_registration(m, s.astype(dtype), ma, sa, dim=2)


def test_wrong_ndim(arrays):
    m, s, ma, sa = arrays
    with pytest.raises(ValueError, match="2D or 3D array, got 1D"):
        reg(m.ravel(), s, ma, sa)
    with pytest.raises(ValueError, match="2D or 3D array, got 4D"):
        reg(m[..., None, None], s, ma, sa)
    with pytest.raises(ValueError, match="static is 2D but moving is 3D"):
        reg(np.stack([m] * 4, axis=2), s, np.eye(4), sa)
    with pytest.raises(ValueError, match="dim=3 but the images are 2D"):
        omreg.syn_registration(m, s, ma, sa)  # DIPY's default dim is 3


def test_nan_and_inf(arrays):
    m, s, ma, sa = arrays
    bad = m.copy()
    bad[3, 4] = np.nan
    with pytest.raises(ValueError, match="NaN|non-finite") as e:
        reg(bad, s, ma, sa)
    assert "OMREG_ENONFINITE" in str(e.value)
    bad[3, 4] = np.inf
    with pytest.raises(ValueError, match="OMREG_ENONFINITE"):
        omreg.syn_registration(bad, s, ma, sa, dim=2, level_iters=[2])


def test_mismatched_shapes_and_affines(arrays):
    m, s, ma, sa = arrays
    with pytest.raises(ValueError, match="static_mask: shape"):
        reg(m, s, ma, sa, static_mask=np.ones(m.shape))
    with pytest.raises(ValueError, match="moving_affine: expected a 3x3"):
        reg(m, s, np.eye(4), sa)
    with pytest.raises(ValueError, match="needs its affine"):
        reg(m, s, None, sa)
    singular = sa.copy()
    singular[0] = 0
    with pytest.raises(ValueError, match="OMREG_ESINGULAR"):
        reg(m, s, ma, singular)
    with pytest.raises(ValueError, match="empty axis"):
        reg(m[:0], s, ma, sa)


def test_bad_options(arrays):
    m, s, ma, sa = arrays
    with pytest.raises(ValueError, match="pipeline"):
        reg(m, s, ma, sa, pipeline=["rigid", "warp"])
    with pytest.raises(ValueError, match="one entry per level"):
        omreg.affine_registration(m, s, ma, sa, level_iters=[10, 10])
    with pytest.raises(TypeError, match="unexpected keyword"):
        reg(m, s, ma, sa, radius=3)
    with pytest.raises(ValueError, match="metric"):
        omreg.syn_registration(m, s, ma, sa, dim=2, metric="MI")
    with pytest.raises(ValueError, match="OMREG_EINVAL"):
        reg(m, s, ma, sa, nbins=1)
    with pytest.raises(ValueError, match="threads"):
        with omreg.config(threads=-1):
            pass
    with pytest.raises(ValueError, match="backend"):
        with omreg.config(backend="gpu"):
            pass


def test_layouts_give_the_same_bits(arrays):
    m, s, ma, sa = arrays
    want = reg(m, s, ma, sa)
    big = np.zeros((m.shape[0] * 2, m.shape[1] * 3))
    big[::2, ::3] = m
    strided = big[::2, ::3]
    assert not strided.flags.c_contiguous
    readonly = m.copy()
    readonly.flags.writeable = False
    fortran = np.asfortranarray(m)
    for moving in (strided, readonly, fortran, m.astype(np.float32).astype(np.float64)):
        got = reg(moving, s, ma, sa)
        assert got[0].tobytes() == want[0].tobytes() and got[1].tobytes() == want[1].tobytes()
    # an integer image is read as float64, as DIPY does
    reg(np.round(m).astype(np.int16), s, ma, sa)


def test_mapping_without_dipy(arrays, monkeypatch):
    m, s, ma, sa = arrays
    monkeypatch.setattr(omreg._api, "_dipy_map_class", lambda: None)
    warped, mapping = omreg.syn_registration(m, s, ma, sa, dim=2, metric="SSD", level_iters=[3])
    assert isinstance(mapping, omreg.DiffeomorphicMapArrays)
    assert mapping.forward.shape == s.shape + (2,) and mapping.forward.dtype == np.float32
    assert mapping.is_inverse and warped.shape == s.shape
