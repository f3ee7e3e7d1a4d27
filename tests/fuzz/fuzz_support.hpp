// Shared by the libFuzzer targets of tests/fuzz.
//
// The contract every parser is fuzzed against: for any bytes it returns a
// value or throws zkacc::Error with a message. Anything else — another
// exception type, a crash, a sanitizer report, an allocation beyond
// libFuzzer's -malloc_limit_mb (a header size believed before it was
// checked), a hang — is a bug, and libFuzzer stops with the input that
// caused it.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "zkacc/common/error.hpp"

namespace zkacc::fuzz {

// The bytes as a file the path-based readers can open: an anonymous
// in-memory file (memfd), reached through /proc/self/fd, so a run touches no
// disk and leaves nothing behind.
class MemoryFile {
 public:
  explicit MemoryFile(std::span<const std::uint8_t> bytes) {
    fd_ = ::memfd_create("zkacc-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) std::abort();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `parse`; a zkacc::Error is the expected answer to bad bytes and must
// carry a message. Other exceptions propagate and libFuzzer reports them.
template <class F>
void expect_value_or_error(F&& parse) {
  try {
    parse();
  } catch (const zkacc::Error& e) {
    if (std::string_view(e.what()).empty()) {
      std::fputs("zkacc::Error without a message\n", stderr);
      std::abort();
    }
  }
}

// A property of a successful parse that must hold.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace zkacc::fuzz
