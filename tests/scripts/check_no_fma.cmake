# cmake -DLIBRARY=<libomreg.a> -P check_no_fma.cmake
# Fails when the library holds a fused multiply-add instruction: every kernel,
# the SIMD variants included, must round a*b+c twice as the reference does
# (-ffp-contract=off, no FMA intrinsics; DESIGN.md, ISA variants).
execute_process(COMMAND objdump -d --no-show-raw-insn ${LIBRARY}
  OUTPUT_VARIABLE asm RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objdump -d ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "\tv?fn?m(add|sub)[0-9a-z]*" fma "${asm}")
list(LENGTH fma n)
string(REGEX MATCHALL "\n[ ]*[0-9a-f]+:\t" insns "${asm}")
list(LENGTH insns total)
if(total LESS 1000)
  message(FATAL_ERROR "only ${total} instructions disassembled from ${LIBRARY}")
endif()
if(n GREATER 0)
  list(REMOVE_DUPLICATES fma)
  message(FATAL_ERROR "${n} FMA instructions in ${LIBRARY}: ${fma}")
endif()
message(STATUS "${total} instructions, no FMA")
