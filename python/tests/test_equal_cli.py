"""omreg.affine_registration / syn_registration give, bit for bit, what the
`omreg affine` / `omreg syn` commands give on the same files; thread count
and backend change nothing."""
import numpy as np
import nibabel as nib
import pytest

import omreg
from conftest import run_cli

AFFINE_ITERS = [50, 20, 10]
PIPELINE = ["center_of_mass", "translation", "rigid"]
SYN_ITERS = [5, 5, 3]


def affine_cli(cli, tmp_path, static, moving, iters, pipeline):
    run_cli(cli, "affine", "--quiet", static, moving, "--level-iters", ",".join(map(str, iters)),
            "--pipeline", pipeline, "--out-affine", tmp_path / "A.txt",
            "--out-warped", tmp_path / "w.nii")
    return np.loadtxt(tmp_path / "A.txt"), np.asanyarray(nib.load(tmp_path / "w.nii").dataobj)


def test_affine_2d_equals_cli(cli, tmp_path, pair2d):
    static, moving = pair2d
    A, w = affine_cli(cli, tmp_path, static, moving, [100, 50, 20], "com,translation,rigid,affine")
    resampled, affine = omreg.affine_registration(moving, static, level_iters=[100, 50, 20])
    assert affine.tobytes() == A.tobytes()
    assert resampled.dtype == w.dtype and resampled.tobytes() == w.tobytes()


def test_affine_ch2_equals_cli(cli, tmp_path, ch2_pair):
    static, moving, known = ch2_pair
    A, w = affine_cli(cli, tmp_path, static, moving, AFFINE_ITERS, "com,translation,rigid")
    s, m = nib.load(static), nib.load(moving)
    # arrays and affines, as a DIPY script passes them
    resampled, affine = omreg.affine_registration(m.get_fdata(), s.get_fdata(), m.affine,
                                                  s.affine, pipeline=PIPELINE,
                                                  level_iters=AFFINE_ITERS)
    assert affine.tobytes() == A.tobytes()
    assert resampled.tobytes() == w.tobytes()
    # and it found the known transform (within a tenth of a voxel's rotation)
    assert np.abs(affine[:3, :3] - np.linalg.inv(known)[:3, :3]).max() < 0.01


def syn_cli(cli, tmp_path, static, moving, iters, extra=()):
    run_cli(cli, "syn", "--quiet", static, moving, "--level-iters", ",".join(map(str, iters)),
            "--out-warped", tmp_path / "sw.nii", "--out-field", tmp_path / "map.nii", *extra)
    field = np.asanyarray(nib.load(tmp_path / "map.nii").dataobj)
    return np.asanyarray(nib.load(tmp_path / "sw.nii").dataobj), field


def test_syn_ch2_equals_cli(cli, tmp_path, ch2_pair):
    static, moving, known = ch2_pair
    prealign = np.linalg.inv(known)
    np.savetxt(tmp_path / "pre.txt", prealign, fmt="%.17g")
    w, field = syn_cli(cli, tmp_path, static, moving, SYN_ITERS, ("--prealign", tmp_path / "pre.txt"))
    warped, mapping = omreg.syn_registration(moving, static, level_iters=SYN_ITERS,
                                             prealign=prealign)
    assert warped.dtype == np.float32 and warped.tobytes() == w.astype(np.float32).tobytes()
    assert mapping.forward.tobytes() == np.ascontiguousarray(field[..., 0]).tobytes()
    assert mapping.backward.tobytes() == np.ascontiguousarray(field[..., 1]).tobytes()
    dipy_imwarp = pytest.importorskip("dipy.align.imwarp")
    assert isinstance(mapping, dipy_imwarp.DiffeomorphicMap) and mapping.is_inverse
    # DIPY's own transform with omreg's fields: the same image up to rounding
    m = nib.load(moving).get_fdata()
    assert np.abs(mapping.transform(m) - warped).max() < 1e-3 * np.abs(m).max()


def test_threads_and_backend_change_nothing(pair2d, ch2_pair):
    static, moving = pair2d
    s3, m3, known = ch2_pair
    runs = {}
    for threads, backend in [(0, "parallel"), (1, "parallel"), (2, "parallel"), (3, "parallel"),
                             (0, "reference")]:
        with omreg.config(threads=threads, backend=backend):
            r, a = omreg.affine_registration(moving, static, level_iters=[100, 50, 20])
            w, mp = omreg.syn_registration(m3, s3, level_iters=[3, 2],
                                           prealign=np.linalg.inv(known))
        runs[threads, backend] = (r.tobytes(), a.tobytes(), w.tobytes(), mp.forward.tobytes(),
                                  mp.backward.tobytes())
    first = runs[0, "parallel"]
    for key, value in runs.items():
        assert value == first, key


def test_config_nests_and_restores():
    assert omreg._api._settings.get() == (0, "parallel")
    with omreg.config(threads=2):
        with omreg.config(backend="reference"):
            assert omreg._api._settings.get() == (2, "reference")
        assert omreg._api._settings.get() == (2, "parallel")
    assert omreg._api._settings.get() == (0, "parallel")


def test_affine_fast_mode_equals_cli(cli, tmp_path, pair2d):
    """mode='fast' and seed reach the library as --mode fast --seed do."""
    static, moving = pair2d
    run_cli(cli, "affine", "--quiet", static, moving, "--mode", "fast", "--seed", "5",
            "--fast-iterations", "30", "--out-affine", tmp_path / "A.txt")
    A = np.loadtxt(tmp_path / "A.txt")
    _, affine = omreg.affine_registration(moving, static, mode='fast', seed=5,
                                          fast_iterations=30)
    assert affine.tobytes() == A.tobytes()
    _, other = omreg.affine_registration(moving, static, mode='fast', seed=6,
                                         fast_iterations=30)
    assert other.tobytes() != A.tobytes()


def test_syn_fast_mode_equals_cli(cli, tmp_path, pair2d):
    """mode='fast' reaches the library as --mode fast does, and changes the
    result (box-sum CC windows instead of DIPY's sliding ones)."""
    static, moving = pair2d
    # 2 levels, radius 2: the 2D pair is 16x18 (its coarse level 8x9)
    w, field = syn_cli(cli, tmp_path, static, moving, [5, 5],
                       ("--mode", "fast", "--cc-radius", "2"))
    warped, mapping = omreg.syn_registration(moving, static, dim=2, level_iters=[5, 5],
                                             mode='fast', radius=2)
    assert warped.tobytes() == w.astype(np.float32).tobytes()
    assert mapping.forward.tobytes() == np.ascontiguousarray(field[..., 0]).tobytes()
    _, dipy_mapping = omreg.syn_registration(moving, static, dim=2, level_iters=[5, 5],
                                             radius=2)
    assert dipy_mapping.forward.tobytes() != mapping.forward.tobytes()
    with pytest.raises(ValueError):
        omreg.syn_registration(moving, static, dim=2, mode='quick')
