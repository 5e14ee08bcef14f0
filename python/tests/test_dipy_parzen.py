"""omreg.dipy's routing of dipy.align.parzenhist (ParzenJointHistogram's
methods, compute_parzen_mi, cubic_spline(_derivative), sample_domain_regular)
and vector_fields.gradient / sparse_gradient: DIPY's bits on small inputs
(fewer samples than omreg's histogram block, so the sums run in DIPY's
order), calls counted as routed, DIPY's exception types."""
import numpy as np
import pytest

import dipy.align.parzenhist as ph
import dipy.align.vector_fields as vf
from dipy.align.transforms import regtransforms

import omreg.dipy


def pair(shape, rng):
    base = rng.standard_normal(shape).cumsum(axis=-1) * 10.0
    return base + 300.0, 0.5 * base + rng.standard_normal(shape) * 5.0 + 80.0


def histogram_run(shape, dim, tname, theta, sparse, rng):
    """Everything a ParzenJointHistogram computes for one case, with the
    module's names at call time (DIPY's or omreg's)."""
    static, moving = pair(shape, rng)
    smask = (rng.random(shape) < 0.8).astype(np.int32)
    mmask = (rng.random(shape) < 0.9).astype(np.int32)
    transform = regtransforms[(tname, dim)]
    theta = np.asarray(theta, dtype=np.float64)
    P = ph.ParzenJointHistogram(32)
    out = {}
    if sparse:
        sval, mval = static.ravel(), moving.ravel()
        P.setup(sval, mval)
        P.update_pdfs_sparse(sval, mval)
        pts = rng.uniform(-20, 20, size=(sval.size, dim))
        grad = rng.standard_normal((sval.size, dim)).astype(np.float32)
        P.update_gradient_sparse(theta, transform, sval, mval, pts, grad)
    else:
        P.setup(static, moving, smask, mmask)
        P.update_pdfs_dense(static, moving, smask, mmask)
        g2w = np.eye(dim + 1)
        g2w[:dim, :dim] += rng.standard_normal((dim, dim)) * 0.1
        grad = rng.standard_normal(shape + (dim,)) * 20.0
        P.update_gradient_dense(theta, transform, static, moving, g2w, grad, smask, mmask)
    for k in ("smin", "sdelta", "mmin", "mdelta", "joint", "smarginal", "mmarginal",
              "joint_grad"):
        out[k] = np.copy(getattr(P, k))
    mi_grad = np.full(len(theta) + 2, 7.0)       # longer than n: DIPY zeroes it whole
    out["mi"] = ph.compute_parzen_mi(P.joint, P.joint_grad, P.smarginal, P.mmarginal, mi_grad)
    out["mi_grad"] = mi_grad
    out["mi_alone"] = ph.compute_parzen_mi(P.joint, None, P.smarginal, P.mmarginal, None)
    out["bins"] = [P.bin_index(P.bin_normalize_static(x)) for x in np.linspace(250, 350, 41)]
    return out


CASES = [((13, 17), 2, "RIGID", [0.1, 2.0, -1.0], False),
         ((6, 7, 8), 3, "AFFINE", [1.02, 0.03, -0.01, 2.0, -0.02, 0.97, 0.04, -1.0, 0.01, 0.02,
                                1.05, 0.5], False),
         ((300,), 2, "RIGIDSCALING", [0.2, 1.0, -2.0, 1.1, 0.9], True),
         ((400,), 3, "TRANSLATION", [1.0, 2.0, 3.0], True)]


@pytest.mark.parametrize("backend", ["reference", "parallel"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_parzen_histogram_is_dipys(backend, case):
    shape, dim, tname, theta, sparse = CASES[case]
    want = histogram_run(shape, dim, tname, theta, sparse, np.random.default_rng(case))
    omreg.dipy.patch(backend=backend)
    try:
        before, fb = omreg.dipy.CALLS.copy(), omreg.dipy.FALLBACKS.copy()
        got = histogram_run(shape, dim, tname, theta, sparse, np.random.default_rng(case))
        routed = omreg.dipy.CALLS - before
        assert omreg.dipy.FALLBACKS == fb       # nothing handed back to DIPY
    finally:
        omreg.dipy.unpatch()
    for k in want:
        np.testing.assert_array_equal(got[k], want[k], err_msg=k)
    kind = "sparse" if sparse else "dense"
    for name in (f"update_pdfs_{kind}", f"update_gradient_{kind}", "setup", "bin_index"):
        assert routed[f"dipy.align.parzenhist:ParzenJointHistogram.{name}"] >= 1, name
    assert routed["dipy.align.parzenhist:compute_parzen_mi"] == 2


def gradients(rng, dtype):
    img = rng.standard_normal((11, 12, 13)).astype(dtype).cumsum(axis=0)
    w2g = np.linalg.inv(np.diag([1.2, 0.9, 1.1, 1.0]))
    w2g[:3, :] += rng.standard_normal((3, 4)) * 1e-3     # given, not an exact inverse
    spacing = np.array([1.2, 0.9, 1.1])
    g2w = np.diag([0.8, 1.1, 1.0, 1.0])
    g2w[:3, 3] = [1.0, -0.5, 0.25]
    dense = vf.gradient(img, w2g, spacing, np.array([10, 11, 12], np.int32), g2w)
    pts = rng.uniform(-2, 15, size=(60, 4))       # homogeneous column: DIPY reads 3
    sparse = vf.sparse_gradient(img, w2g, spacing, pts)
    img2 = img[0].astype(dtype)
    dense2 = vf.gradient(img2, w2g[1:, 1:], spacing[1:], np.array([9, 10], np.int32),
                         g2w[1:, 1:])
    return dense + sparse + dense2


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_with_given_world2grid_is_dipys(dtype):
    want = gradients(np.random.default_rng(3), dtype)
    omreg.dipy.patch(backend="parallel")
    try:
        before = omreg.dipy.CALLS.copy()
        got = gradients(np.random.default_rng(3), dtype)
        routed = omreg.dipy.CALLS - before
    finally:
        omreg.dipy.unpatch()
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)
    assert routed["dipy.align.vector_fields:gradient"] == 2
    assert routed["dipy.align.vector_fields:sparse_gradient"] == 1


def test_splines_and_sampling_are_dipys():
    x = np.linspace(-2.5, 2.5, 201)
    shape, g2w = np.array([7, 9, 5], np.int32), np.diag([1.5, 0.5, 2.0, 1.0])
    want = (ph.cubic_spline(x), ph.cubic_spline_derivative(x),
            ph.sample_domain_regular(3, shape, g2w, 0.0), np.random.random(4))
    ph.sample_domain_regular(4, shape, g2w)          # jittered: only the stream state
    want_state = np.random.random(4)
    omreg.dipy.patch()
    try:
        got = (ph.cubic_spline(x), ph.cubic_spline_derivative(x),
               ph.sample_domain_regular(3, shape, g2w, 0.0), np.random.random(4))
        jittered = ph.sample_domain_regular(4, shape, g2w)
        got_state = np.random.random(4)
    finally:
        omreg.dipy.unpatch()
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    # numpy's global stream is left where DIPY's call leaves it
    np.testing.assert_array_equal(got_state, want_state)
    assert jittered.shape == (7 * 9 * 5 // 4, 3)
    assert 0 < np.abs(jittered - ph.sample_domain_regular(4, shape, g2w, 0.0)).max() < 2.0


def test_exception_types():
    omreg.dipy.patch()
    try:
        H = ph.ParzenJointHistogram(32)
        with pytest.raises(ValueError):
            H.update_pdfs_dense(np.zeros((3, 3)), np.zeros((3, 4)))
        with pytest.raises(ValueError):
            H.update_pdfs_dense(np.zeros((2, 2, 2, 2)), np.zeros((2, 2, 2, 2)))
        with pytest.raises(ValueError):     # DIPY's Cython: float64 images only
            H.update_pdfs_dense(np.arange(9.0).reshape(3, 3).astype(np.float32),
                                np.arange(9.0).reshape(3, 3).astype(np.float32))
        with pytest.raises(ValueError):
            ph.cubic_spline(np.zeros(3, np.float32))
        with pytest.raises(ValueError):
            ph.sample_domain_regular(2, np.array([4, 4], np.int32), np.eye(2))
        with pytest.raises(ValueError):
            vf.gradient(np.zeros((4, 4)), np.full((3, 3), np.nan), np.ones(2),
                        np.array([4, 4], np.int32), np.eye(3))
        with pytest.raises(ValueError):
            vf.sparse_gradient(np.zeros((4, 4)), np.eye(3), np.ones(1), np.zeros((2, 2)))
        with pytest.raises(TypeError):
            vf.gradient(np.zeros((4, 4), np.int32), np.eye(3), np.ones(2),
                        np.array([4, 4], np.int32), np.eye(3))
        # DIPY accepts a singular matrix (finite is enough)
        out, inside = vf.gradient(np.ones((4, 4)), np.zeros((3, 3)), np.ones(2),
                                  np.array([3, 3], np.int32), np.zeros((3, 3)))
        assert out.shape == (3, 3, 2) and inside.dtype == np.int32
    finally:
        omreg.dipy.unpatch()
