# cmake -DCC_JSON=<build>/compile_commands.json -P check_reference_flags.cmake
# Fails when a library source outside parallel/ and io/parallel/ is compiled
# with OpenMP enabled (io/parallel/x.c does not match the pattern below): then a stray `#pragma omp` in reference/ would build silently (the
# reference must stay serial, DESIGN.md) and the other rooms would need the
# OpenMP runtime.
file(READ "${CC_JSON}" json)
string(JSON n LENGTH "${json}")
math(EXPR last "${n} - 1")
set(checked 0)
foreach(i RANGE ${last})
  string(JSON file GET "${json}" ${i} file)
  if(file MATCHES "/(base|kernels|reference|backend|api|registration/affine|registration/syn|qc|io)/[^/]+\\.c$")
    string(JSON cmd GET "${json}" ${i} command)
    if(cmd MATCHES "-fopenmp")
      message(FATAL_ERROR "${file} is compiled with OpenMP: ${cmd}")
    endif()
    math(EXPR checked "${checked} + 1")
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no library source outside parallel/ found in ${CC_JSON}")
endif()
message(STATUS "${checked} library sources outside parallel/ compiled without OpenMP")
