"""Progress reaches a Python callback; a true return value or an exception
in it cancels the registration (OMREG_ECANCELED underneath, nothing
returned); Ctrl-C during a registration raises KeyboardInterrupt promptly."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import nibabel as nib
import numpy as np
import pytest

import omreg


def test_progress_events(pair2d):
    static, moving = pair2d
    seen = []
    omreg.affine_registration(moving, static, level_iters=[20, 10, 5], progress=seen.append)
    events = [e["event"] for e in seen]
    assert events.count("level_start") == 9 and events.count("level_end") == 9  # 3 stages x 3
    assert "evaluation" in events and seen[-1]["stage"].lower() == "affine"
    s3 = []
    omreg.syn_registration(moving, static, dim=2, metric="SSD", level_iters=[3, 2],
                           progress=s3.append)
    assert [e["event"] for e in s3].count("iteration") == 5


def test_cancel_by_return_value(pair2d):
    static, moving = pair2d
    calls = []

    def stop_at_second(info):
        calls.append(info)
        return len(calls) == 2

    with pytest.raises(omreg.Cancelled, match="cancelled by the progress callback"):
        omreg.affine_registration(moving, static, level_iters=[20, 10, 5], progress=stop_at_second)
    assert len(calls) == 2  # nothing after the stop
    with pytest.raises(omreg.Cancelled, match="SyN: cancelled"):
        omreg.syn_registration(moving, static, dim=2, metric="SSD", level_iters=[3],
                               progress=lambda info: True)


def test_exception_in_callback_propagates(pair2d):
    static, moving = pair2d

    def boom(info):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        omreg.affine_registration(moving, static, level_iters=[20, 10, 5], progress=boom)
    # the library is usable afterwards
    omreg.affine_registration(moving, static, level_iters=[2, 2, 2])


CHILD = textwrap.dedent("""
    import sys, time
    import nibabel as nib
    import omreg
    static, moving = sys.argv[1], sys.argv[2]
    started = []
    def progress(info):
        if not started:
            started.append(1)
            print("started", flush=True)
    try:
        # DIPY's defaults on a 3D brain: far longer than the test waits
        omreg.syn_registration(moving, static, level_iters=[1000, 1000, 1000], progress=progress)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        omreg.affine_registration(moving, static, level_iters=[2, 2, 2])  # still usable
        print("usable", flush=True)
        sys.exit(0)
    print("finished", flush=True)
""")


def test_ctrl_c_cancels(ch2_pair):
    static, moving, known = ch2_pair
    child = subprocess.Popen([sys.executable, "-c", CHILD, static, moving],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "started"
        time.sleep(0.5)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        first = child.stdout.readline()
        waited = time.monotonic() - sent
        out, err = child.communicate(timeout=120)
        out = first + out
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert out.split() == ["interrupted", "usable"], (out, err)
    print(f"KeyboardInterrupt {waited:.2f} s after SIGINT")
    assert waited < 5
