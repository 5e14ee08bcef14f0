# The provenance record of `omreg affine|syn --out-json` and the effect of
# every command-line option (issue 19): base/sha256.c against sha256sum, and
# the option table of test_cli_option_effects.c, which runs the built omreg.
omreg_add_test(test_unit_sha256 SOURCES test_unit_sha256.c LABELS unit)
omreg_add_test(test_cli_option_effects SOURCES test_cli_option_effects.c support/json_read.c
  support/omp_display.c LABELS e2e TIMEOUT 900)
target_compile_definitions(test_cli_option_effects PRIVATE OMREG_CLI_PATH="$<TARGET_FILE:omreg_cli>")
add_dependencies(test_cli_option_effects omreg_cli)
