# canary_absent (tests/scripts/canary_absent.cmake): ci/canaries.tsv matches
# the #ifdef OMREG_CANARY_* blocks of the tree, and nm sees the canary marker
# in libomreg_base exactly when this is a canary build (ci/canary.cmake).
add_test(NAME canary_absent COMMAND ${CMAKE_COMMAND} -DSOURCE=${PROJECT_SOURCE_DIR}
  -DLIBRARY=$<TARGET_FILE:omreg_base> -DCANARY=${OMREG_CANARY}
  -P ${PROJECT_SOURCE_DIR}/tests/scripts/canary_absent.cmake)
set_tests_properties(canary_absent PROPERTIES LABELS unit TIMEOUT 60)
