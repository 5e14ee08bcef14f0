# Workspaces (issue 13, item 4): no allocation inside a SyN level after its
# first iteration, nor inside an affine level after its first evaluation,
# counted through base/alloc.h's test hook.
omreg_add_test(test_unit_workspaces SOURCES test_unit_workspaces.c LABELS unit)
