"""--omreg-kernels for bench/dipy_affine.py and bench/dipy_syn.py: the same
DIPY script with dipy.align's compiled kernels routed to omreg by
omreg.dipy.patch() (run it with a python that has the omreg package: see
bench/README.md, "DIPY with omreg's kernels"). DIPY's Python drivers stay
DIPY's; the calls omreg's C API cannot serve fall back to DIPY's kernels
(omreg.dipy.GAPS), and the counts of both go into the timing JSON."""
import time


def add_argument(ap):
    ap.add_argument('--omreg-kernels', action='store_true',
                    help="route dipy.align's kernels to omreg (omreg.dipy.patch())")


def patch(args):
    """omreg.dipy.patch() when asked; returns the seconds it took (0 when not)."""
    if not args.omreg_kernels:
        return 0.0
    t0 = time.perf_counter()
    import omreg.dipy
    omreg.dipy.patch()
    return time.perf_counter() - t0


def counts(args):
    """{'omreg_calls', 'dipy_fallbacks'} (totals and per function) for the timing JSON."""
    if not args.omreg_kernels:
        return {}
    import omreg.dipy
    return {'omreg_calls': sum(omreg.dipy.CALLS.values()),
            'dipy_fallbacks': sum(omreg.dipy.FALLBACKS.values()),
            'omreg_calls_by_function': dict(omreg.dipy.CALLS),
            'dipy_fallbacks_by_function': dict(omreg.dipy.FALLBACKS)}
