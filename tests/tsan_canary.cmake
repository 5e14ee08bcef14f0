# The deliberately racy TSan canary (tsan/canary.cmake): built and registered
# only in the tsan preset (OMREG_TSAN_CANARY=ON); nothing otherwise.
if(OMREG_TSAN_CANARY)
  include(${PROJECT_SOURCE_DIR}/tsan/canary.cmake)
endif()
