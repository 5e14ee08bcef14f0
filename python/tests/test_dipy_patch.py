"""omreg.dipy.patch() / unpatch(): the replacements reach omreg, agree with
DIPY's kernels on small inputs, raise DIPY's exception types, and unpatch()
restores every name patch() replaced (also names imported elsewhere)."""
import numpy as np
import pytest

import dipy.align.imaffine as imaffine
import dipy.align.transforms as transforms
import dipy.align.vector_fields as vf
import dipy.core.interpolation as interp

import omreg.dipy


@pytest.fixture
def patched():
    originals = (vf.warp_2d, interp.interpolate_scalar_2d, imaffine.interpolate_scalar_2d,
                 transforms.regtransforms[("RIGID", 3)])
    omreg.dipy.patch(backend="reference")
    yield originals
    omreg.dipy.unpatch()
    assert (vf.warp_2d, interp.interpolate_scalar_2d, imaffine.interpolate_scalar_2d,
            transforms.regtransforms[("RIGID", 3)]) == originals


def test_names_imported_elsewhere_are_patched(patched):
    assert imaffine.interpolate_scalar_2d is interp.interpolate_scalar_2d
    assert imaffine.interpolate_scalar_2d is not patched[2]
    assert isinstance(transforms.regtransforms[("RIGID", 3)], type(patched[3]))


@pytest.mark.parametrize("backend", ["reference", "parallel"])
def test_kernels_agree_with_dipy_and_are_counted(patched, backend):
    omreg.dipy.patch(backend=backend)
    rng = np.random.default_rng(5)
    img = rng.random((9, 11))
    field = rng.standard_normal((9, 11, 2))
    aff = np.array([[1.0, 0.1, 0.5], [-0.1, 1.0, 0.2], [0, 0, 1]])
    before = sum(omreg.dipy.CALLS.values())
    np.testing.assert_array_equal(vf.warp_2d(img, field, aff, aff, None),
                                  patched[0](img, field, aff, aff, None))
    locs = rng.random((50, 2)) * 10 - 0.5
    out, inside = interp.interpolate_scalar_2d(img, locs)
    ref_out, ref_inside = patched[1](img, locs)
    np.testing.assert_array_equal(out, ref_out)
    np.testing.assert_array_equal(inside, ref_inside)
    theta = np.array([0.1, -0.2, 0.3, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(transforms.regtransforms[("RIGID", 3)].param_to_matrix(theta),
                                  patched[3].param_to_matrix(theta))
    assert sum(omreg.dipy.CALLS.values()) == before + 3


def test_exception_types(patched):
    img = np.zeros((4, 4))
    field = np.zeros((4, 4, 2))
    with pytest.raises(ValueError):     # DIPY: "Invalid affine transform matrix"
        vf.transform_2d_affine(img, np.array([4, 4], np.int32), np.full((3, 3), np.nan))
    with pytest.raises(TypeError):      # no fused signature for int64
        vf.warp_2d(np.zeros((4, 4), np.int64), field)
    with pytest.raises(ValueError):     # dtypes of one specialisation differ
        vf.warp_2d(img, field.astype(np.float32))
    with pytest.raises(ValueError):
        transforms.regtransforms[("RIGID", 3)].param_to_matrix(np.zeros(3))
