# The run context reaches every parallel region: omreg affine and omreg syn
# run under the omp_claims shim (support/omp_claims.c) with
# OMP_NUM_THREADS=2, and every region must ask for --threads N (its
# num_threads clause), none for OpenMP's ambient count
# (scripts/check_region_threads.cmake). The command sets OpenMP's count to
# --threads, which hides a call that takes the backend's default count
# instead of the run's: region_threads_lib runs the registrations from C
# (region_runs.c) with options.threads = N and OpenMP's ambient count set to
# the other of 1 and 2. The shim wraps libgomp's GOMP_parallel: gcc builds
# only (the clang builds use LLVM's libomp).
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_library(omreg_omp_claims MODULE support/omp_claims.c)
  target_compile_options(omreg_omp_claims PRIVATE ${OMREG_WARNINGS})
  target_link_libraries(omreg_omp_claims PRIVATE ${CMAKE_DL_LIBS})
  # what the tests run, as one target named like them (ci/canaries.sh builds
  # a test's program by the name before its first '/')
  add_custom_target(region_threads)
  add_dependencies(region_threads omreg_cli omreg_omp_claims)
  set(in "${PROJECT_SOURCE_DIR}/fixtures/e2e_syn")
  set(region_runs
    "affine2d affine ${in}/apply2d_static.nii.gz ${in}/apply2d_moving.nii.gz --level-iters 8,4 --sigmas 1,0 --factors 2,1 --out-affine @out/a.txt --out-warped @out/w.nii.gz --out-qc @out/q.png"
    "affine3d_sparse affine ${in}/apply3d_static.nii.gz ${in}/apply3d_moving.nii.gz --sampling-proportion 0.5 --level-iters 6,3 --sigmas 1,0 --factors 2,1 --out-affine @out/a.txt"
    "affine3d_fast affine ${in}/apply3d_static.nii.gz ${in}/apply3d_moving.nii.gz --mode fast --fast-iterations 5 --fast-samples 600 --sigmas 1,0 --factors 2,1 --level-iters 1,1 --out-affine @out/a.txt"
    "syn2d_cc syn ${in}/apply2d_static.nii.gz ${in}/apply2d_moving.nii.gz --level-iters 3,2 --cc-radius 2 --out-field @out/f.nii.gz --out-warped @out/w.nii --out-inverse-warped @out/iw.nii --out-qc @out/q.png"
    "syn3d_cc syn ${in}/apply3d_static.nii.gz ${in}/apply3d_moving.nii.gz --level-iters 2,2 --cc-radius 2 --out-field @out/f.nii --out-itk-warp @out/k.nii"
    "syn2d_ssd syn ${in}/apply2d_static.nii.gz ${in}/apply2d_moving.nii.gz --metric ssd --level-iters 3,2 --step-type gauss_newton --out-field @out/f.nii"
    "syn3d_ssd syn ${in}/apply3d_static.nii.gz ${in}/apply3d_moving.nii.gz --metric ssd --level-iters 2,2 --out-field @out/f.nii"
    "syn2d_em syn ${in}/apply2d_static.nii.gz ${in}/apply2d_moving.nii.gz --metric em --level-iters 3,2 --em-q-levels 16 --out-field @out/f.nii"
    "syn3d_em syn ${in}/apply3d_static.nii.gz ${in}/apply3d_moving.nii.gz --metric em --level-iters 2,2 --step-type demons --em-q-levels 16 --out-field @out/f.nii")
  foreach(run ${region_runs})
    string(REPLACE " " ";" args "${run}")
    list(POP_FRONT args tag)
    string(REPLACE ";" " " args "${args}")
    foreach(threads 1 2)
      set(name "region_threads/${tag}/t${threads}")
      add_test(NAME ${name} COMMAND ${CMAKE_COMMAND}
        -DCLI=$<TARGET_FILE:omreg_cli> -DSHIM=$<TARGET_FILE:omreg_omp_claims>
        -DTHREADS=${threads} -DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}/region_threads/${tag}/t${threads}
        "-DARGS=${args}" -P ${PROJECT_SOURCE_DIR}/tests/scripts/check_region_threads.cmake)
      set_tests_properties(${name} PROPERTIES LABELS "unit;e2e" TIMEOUT 300 PROCESSORS 2)
    endforeach()
  endforeach()

  # the library's registrations, options.threads = N under OMP_NUM_THREADS = 3 - N
  add_executable(omreg_region_runs region_runs.c)
  target_link_libraries(omreg_region_runs PRIVATE omreg_test_support)
  target_compile_options(omreg_region_runs PRIVATE ${OMREG_WARNINGS})
  add_custom_target(region_threads_lib)
  add_dependencies(region_threads_lib omreg_region_runs omreg_omp_claims)
  foreach(tag affine2d affine3d affine3d_fast syn2d_cc syn3d_cc syn2d_ssd syn3d_ssd syn2d_em syn3d_em)
    foreach(threads 1 2)
      math(EXPR ambient "3 - ${threads}")
      set(name "region_threads_lib/${tag}/t${threads}")
      add_test(NAME ${name} COMMAND ${CMAKE_COMMAND}
        -DCLI=$<TARGET_FILE:omreg_region_runs> -DSHIM=$<TARGET_FILE:omreg_omp_claims>
        -DTHREADS=${threads} -DAMBIENT=${ambient}
        -DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}/region_threads_lib/${tag}/t${threads}
        -DARGS=${tag} -P ${PROJECT_SOURCE_DIR}/tests/scripts/check_region_threads.cmake)
      set_tests_properties(${name} PROPERTIES LABELS "unit" TIMEOUT 300 PROCESSORS 2)
    endforeach()
  endforeach()
endif()
