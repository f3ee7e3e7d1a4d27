# Writes OUTPUT (a C++ file defining zkacc::bench::detail::kGitCommit and
# kGitDirty) from the git checkout at SOURCE_DIR, at build time. The file is
# rewritten only when its content changes, so an unchanged commit rebuilds
# nothing. Without git or outside a checkout the commit is unknown (nullptr).
set(commit "nullptr")
set(dirty -1)
find_program(GIT_PROGRAM git)
if(GIT_PROGRAM)
  execute_process(COMMAND ${GIT_PROGRAM} -C ${SOURCE_DIR} rev-parse --verify HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE head_rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(head_rc EQUAL 0 AND head MATCHES "^[0-9a-f]+$")
    set(commit "\"${head}\"")
    execute_process(COMMAND ${GIT_PROGRAM} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE status_rc ERROR_QUIET)
    if(status_rc EQUAL 0)
      if(changes STREQUAL "")
        set(dirty 0)
      else()
        set(dirty 1)
      endif()
    endif()
  endif()
endif()
set(content "// Generated at build time by host/src/bench/git_commit.cmake.
#include \"git_commit.hpp\"

namespace zkacc::bench::detail {

const char* const kGitCommit = ${commit};
const int kGitDirty = ${dirty};

}  // namespace zkacc::bench::detail
")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
else()
  set(old "")
endif()
if(NOT old STREQUAL content)
  file(WRITE ${OUTPUT} "${content}")
endif()
