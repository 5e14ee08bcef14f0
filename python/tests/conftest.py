"""Shared inputs of the package's tests: the `omreg` command to compare
with (OMREG_CLI, else the one on PATH) and the real pairs."""
import os
import shutil
import subprocess

import numpy as np
import pytest

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(SOURCE, "fixtures", "e2e_syn")
CH2 = "/usr/share/mricron/templates/ch2.nii.gz"


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("OMREG_CLI") or shutil.which("omreg")
    if not path:
        pytest.fail("the omreg command is needed: set OMREG_CLI or put it on PATH")
    return path


def run_cli(cli, *args):
    subprocess.run([cli, *map(str, args)], check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def pair2d():
    return (os.path.join(FIXTURES, "apply2d_static.nii.gz"),
            os.path.join(FIXTURES, "apply2d_moving.nii.gz"))


@pytest.fixture(scope="session")
def ch2_pair(tmp_path_factory, cli):
    """Colin27 at 3 mm (every third voxel of Debian's mricron-data ch2) and
    a copy moved by a known rigid transform (`omreg apply`)."""
    import nibabel as nib
    if not os.path.exists(CH2):
        pytest.fail(f"{CH2} is needed (Debian package mricron-data)")
    d = tmp_path_factory.mktemp("ch2")
    img = nib.load(CH2)
    affine = img.affine.copy()
    affine[:3, :3] *= 3
    data = np.asarray(img.dataobj)[::3, ::3, ::3].astype(np.float32)
    static = d / "ch2_3mm.nii.gz"
    nib.save(nib.Nifti1Image(data, affine), static)
    known = np.eye(4)
    c, s = np.cos(0.1), np.sin(0.1)
    known[:3, :3] = [[c, -s, 0], [s, c, 0], [0, 0, 1]]
    known[:3, 3] = [4, -3, 2]
    np.savetxt(d / "known.txt", known, fmt="%.17g")
    moving = d / "ch2_3mm_moved.nii.gz"
    run_cli(cli, "apply", static, "--reference", static, "--affine", d / "known.txt",
            "--out", moving)
    return str(static), str(moving), known
