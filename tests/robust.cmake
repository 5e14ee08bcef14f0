# Issue 7, bad input and safe outputs (helper "robust").
# The omreg command on bad options, damaged files and interrupts: runs the
# built `omreg` with posix_spawn (exit code, one stderr line, no output file,
# pre-existing outputs untouched, SIGINT/SIGTERM leave nothing).
omreg_add_test(test_robustness_cli SOURCES test_robustness_cli.c LABELS robustness TIMEOUT 120)
target_compile_definitions(test_robustness_cli PRIVATE OMREG_CLI_PATH="$<TARGET_FILE:omreg_cli>")
add_dependencies(test_robustness_cli omreg_cli)
# Library entry points on bad intensities, masks and options (affine).
omreg_add_test(test_robustness_inputs SOURCES test_robustness_inputs.c LABELS robustness)
