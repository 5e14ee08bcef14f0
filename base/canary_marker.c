/* The canary marker: compiled into the library only in a canary build
 * (ci/canary.cmake defines OMREG_CANARY_BUILD), so `nm` tells a canary build
 * from a real one; test canary_absent requires it absent from every normal
 * build's library and command. */
#ifdef OMREG_CANARY_BUILD
const char omreg_canary_planted[] = "omreg canary build: " OMREG_CANARY_BUILD;
#else
typedef int omreg_canary_marker_absent; /* an empty unit is not ISO C */
#endif
