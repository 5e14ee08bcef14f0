# Issue 14 item 4: the OpenMP wait policy the omreg command chooses
# (cli/cli_wait_policy.c): passive by default through one re-exec, the
# --wait-policy option, the user's OMP_WAIT_POLICY / GOMP_SPINCOUNT winning,
# no exec loop. Runs the built `omreg` under OMP_DISPLAY_ENV=verbose.
omreg_add_test(test_wait_policy_cli SOURCES test_wait_policy_cli.c support/json_read.c
  support/omp_display.c LABELS e2e TIMEOUT 300)
target_link_libraries(test_wait_policy_cli PRIVATE omreg_test_cli)
target_compile_definitions(test_wait_policy_cli PRIVATE OMREG_CLI_PATH="$<TARGET_FILE:omreg_cli>")
