// The git commit the library was built from, written at build time by
// git_commit.cmake into the build tree's git_commit.cpp (so a rebuild after
// a commit reports the new one without a reconfigure).
#pragma once

namespace zkacc::bench::detail {

extern const char* const kGitCommit;  // 40 hex digits; nullptr: not built from a git checkout
extern const int kGitDirty;           // 1: tracked files differed from the commit, 0: not, -1: unknown

}  // namespace zkacc::bench::detail
