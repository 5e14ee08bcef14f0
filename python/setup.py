# Built by setuptools + python3-cffi (API mode) against an installed libomreg;
# see omreg/_build.py for how the library is found.
from setuptools import setup

setup(cffi_modules=["omreg/_build.py:ffibuilder"])
