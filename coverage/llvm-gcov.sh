#!/bin/sh
# lcov --gcov-tool wrapper: read clang's --coverage data with LLVM's gcov.
exec "${OMREG_LLVM_COV:-llvm-cov-14}" gcov "$@"
