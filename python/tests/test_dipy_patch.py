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


@pytest.mark.parametrize("backend", ["reference", "parallel"])
def test_issue16_4b_4d_routes_equal_dipy(backend):
    """DIPY's Gauss-Seidel sweep, integer nearest-neighbour images, singular
    affines and NaN transform parameters reach omreg and give DIPY's bits."""
    import dipy.align.sumsqdiff as ssd
    orig = {n: getattr(vf, n) for n in ("transform_3d_affine_nn", "warp_2d_nn",
                                         "transform_2d_affine")}
    orig_ip = interp.interpolate_scalar_nn_3d
    orig_it = {d: getattr(ssd, f"iterate_residual_displacement_field_ssd_{d}d") for d in (2, 3)}
    orig_rigid = transforms.regtransforms[("RIGID", 3)]
    omreg.dipy.patch(backend=backend)
    try:
        rng = np.random.RandomState(16)
        before = dict(omreg.dipy.CALLS)
        for dim in (2, 3):
            sh = (12, 9, 7)[:dim]
            for dt in (np.float32, np.float64):
                delta = rng.uniform(-1, 1, sh).astype(dt)
                sig = rng.uniform(0.5, 2, sh).astype(dt)
                g = rng.uniform(-1, 1, sh + (dim,)).astype(dt)
                u1 = rng.uniform(-1, 1, sh + (dim,)).astype(dt)
                u2 = u1.copy()
                m1 = orig_it[dim](delta, sig, g, None, 1.5, u1)
                m2 = getattr(ssd, f"iterate_residual_displacement_field_ssd_{dim}d")(
                    delta, sig, g, None, 1.5, u2)
                np.testing.assert_array_equal(u2, u1)
                assert m2 == m1
        for it in (np.int32, np.int64):
            lab = rng.randint(-1, 1000, (9, 11, 7)).astype(it)
            A = np.eye(4)
            A[:3, :3] += rng.uniform(-0.3, 0.3, (3, 3))
            got = vf.transform_3d_affine_nn(lab, np.array([10, 12, 8], np.int32), A)
            want = orig["transform_3d_affine_nn"](lab, np.array([10, 12, 8], np.int32), A)
            assert got.dtype == want.dtype == it
            np.testing.assert_array_equal(got, want)
            lab2 = lab[0].copy()
            fld = rng.uniform(-2, 2, (11, 7, 2)).astype(np.float32 if it == np.int32
                                                         else np.float64)
            np.testing.assert_array_equal(vf.warp_2d_nn(lab2, fld),
                                          orig["warp_2d_nn"](lab2, fld))
            locs = rng.uniform(-1, 12, (30, 3))
            got, gin = interp.interpolate_scalar_nn_3d(lab, locs)
            want, win = orig_ip(lab, locs)
            np.testing.assert_array_equal(got, want)
            np.testing.assert_array_equal(gin, win)
        img = rng.random((9, 11))
        sing = np.array([[0.5, 1.0, -0.5], [1.0, 2.0, 1.0], [0, 0, 1]])
        np.testing.assert_array_equal(
            vf.transform_2d_affine(img, np.array([9, 11], np.int32), sing),
            orig["transform_2d_affine"](img, np.array([9, 11], np.int32), sing))
        theta = np.array([np.nan, -0.2, np.inf, 1.0, 2.0, 3.0])
        got = transforms.regtransforms[("RIGID", 3)].param_to_matrix(theta)
        want = orig_rigid.param_to_matrix(theta)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        np.testing.assert_array_equal(got[~np.isnan(got)], want[~np.isnan(want)])
        routed = {k: v - before.get(k, 0) for k, v in omreg.dipy.CALLS.items()}
        for name in ("dipy.align.sumsqdiff:iterate_residual_displacement_field_ssd_2d",
                     "dipy.align.sumsqdiff:iterate_residual_displacement_field_ssd_3d",
                     "dipy.align.vector_fields:transform_3d_affine_nn",
                     "dipy.align.vector_fields:warp_2d_nn",
                     "dipy.core.interpolation:interpolate_scalar_nn_3d",
                     "dipy.align.vector_fields:transform_2d_affine",
                     "dipy.align.transforms:RIGID3D.param_to_matrix"):
            assert routed.get(name, 0) > 0, name
    finally:
        omreg.dipy.unpatch()
