#ifndef PREFLIGHT_BUILD_INFO_H
#define PREFLIGHT_BUILD_INFO_H

/// The commit the binary was built from, as `make dist` passes it
/// (`-Xcc -DPREFLIGHT_COMMIT=...`); "" for a plain `swift build`.
const char *preflight_build_commit(void);

#endif
