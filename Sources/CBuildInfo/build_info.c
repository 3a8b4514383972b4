#include "build_info.h"

// A C macro can carry a value from the command line into the binary, which a
// Swift compilation condition cannot; only `make dist` sets it, in its own
// build folder, so everyday builds are not rebuilt on every commit.
#ifndef PREFLIGHT_COMMIT
#define PREFLIGHT_COMMIT ""
#endif

const char *preflight_build_commit(void) {
    return PREFLIGHT_COMMIT;
}
