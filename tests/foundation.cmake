# Foundation: backend tables, first kernels (equality + determinism matrix).
omreg_add_test(test_backend_table SOURCES test_backend_table.c LABELS unit)
# the ISA dispatcher: OMREG_ISA, omreg_isa_select, the errors, the CLI's exit 2
omreg_add_test(test_unit_isa SOURCES test_unit_isa.c LABELS unit)
target_compile_definitions(test_unit_isa PRIVATE OMREG_CLI_PATH="$<TARGET_FILE:omreg_cli>")
add_dependencies(test_unit_isa omreg_cli)
# Every slot of the kernel list needs an equality case: test_backend_table
# reads the equality tests preprocessed (their slot calls are mostly built by
# token pasting, ref->gradient_##D##d_##T) and looks for every slot there.
file(GLOB OMREG_EQUALITY_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_equality_*.c)
set(OMREG_EQUALITY_PP ${CMAKE_CURRENT_BINARY_DIR}/equality_preprocessed.i)
set(pp_includes ${CMAKE_CURRENT_SOURCE_DIR}/support ${OMREG_ALL_ROOM_DIRS}
  ${PROJECT_SOURCE_DIR}/include ${CMOCKA_INCLUDE_DIR})
list(TRANSFORM pp_includes PREPEND -I)
separate_arguments(pp_openmp NATIVE_COMMAND "${OpenMP_C_FLAGS}")
set(pp_outputs)
foreach(src IN LISTS OMREG_EQUALITY_SOURCES)
  get_filename_component(stem ${src} NAME_WE)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/equality_pp/${stem}.i)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/equality_pp
    COMMAND ${CMAKE_C_COMPILER} ${pp_openmp} ${pp_includes} -E -P ${src} -o ${out}
    DEPENDS ${src} ${PROJECT_SOURCE_DIR}/kernels/kernel_list.h VERBATIM)
  list(APPEND pp_outputs ${out})
endforeach()
add_custom_command(OUTPUT ${OMREG_EQUALITY_PP}
  COMMAND ${CMAKE_COMMAND} -E cat ${pp_outputs} > ${OMREG_EQUALITY_PP}
  DEPENDS ${pp_outputs})
add_custom_target(equality_preprocessed DEPENDS ${OMREG_EQUALITY_PP})
add_dependencies(test_backend_table equality_preprocessed)
target_compile_definitions(test_backend_table PRIVATE OMREG_EQUALITY_PP="${OMREG_EQUALITY_PP}")
omreg_add_test(test_equality_foundation SOURCES test_equality_foundation.c LABELS equality MATRIX)
omreg_add_test(test_equality_pointwise SOURCES test_equality_pointwise.c LABELS equality MATRIX)
# The reference and core targets never see OpenMP flags (a stray pragma must
# break their build, and core must not need the runtime).
add_test(NAME build_reference_has_no_openmp
  COMMAND ${CMAKE_COMMAND} -DCC_JSON=${CMAKE_BINARY_DIR}/compile_commands.json
          -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_reference_flags.cmake)
set_tests_properties(build_reference_has_no_openmp PROPERTIES LABELS unit)
# The rooms include only what ARCHITECTURE.md allows them (ci/include_rules.py).
find_program(OMREG_SYSTEM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME layout_include_rules
  COMMAND ${OMREG_SYSTEM_PYTHON} ${PROJECT_SOURCE_DIR}/ci/include_rules.py ${PROJECT_SOURCE_DIR})
set_tests_properties(layout_include_rules PROPERTIES LABELS unit)
# No fused multiply-add anywhere in the library, SIMD variants included.
add_test(NAME library_has_no_fma
  COMMAND ${CMAKE_COMMAND} -DLIBRARY=$<TARGET_FILE:omreg> -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_no_fma.cmake)
set_tests_properties(library_has_no_fma PROPERTIES LABELS unit)
# io/ is its own target: the numerics archives need neither zlib, libpng,
# nifticlib nor any io/ symbol. The second run feeds it io's own archive as
# numerics, which it must reject (the check can fail).
set(_numerics_archives)
foreach(t IN LISTS OMREG_NUMERICS_TARGETS)
  list(APPEND _numerics_archives $<TARGET_FILE:${t}>)
endforeach()
set(_io_archives $<TARGET_FILE:omreg_io> $<TARGET_FILE:omreg_io_parallel>)
add_test(NAME numerics_has_no_io_symbols
  COMMAND ${CMAKE_COMMAND} "-DNUMERICS=$<JOIN:${_numerics_archives},|>"
          "-DIO=$<JOIN:${_io_archives},|>"
          -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_numerics_no_io.cmake)
add_test(NAME numerics_has_no_io_symbols_rejects_io
  COMMAND ${CMAKE_COMMAND} "-DNUMERICS=$<JOIN:${_numerics_archives},|>|$<TARGET_FILE:omreg_io_parallel>"
          "-DIO=$<TARGET_FILE:omreg_io>"
          -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_numerics_no_io.cmake)
set_tests_properties(numerics_has_no_io_symbols PROPERTIES LABELS unit)
set_tests_properties(numerics_has_no_io_symbols_rejects_io PROPERTIES LABELS unit
  PASS_REGULAR_EXPRESSION "the numerics need io's libraries:.*io_parallel.*deflate")
