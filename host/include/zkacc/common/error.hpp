// The one exception type zkacc throws at its boundaries. The message carries
// the context a user needs to fix the input ("proof.json: pi_a[0] is not a
// decimal integer"); the CLI turns it into a message and an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace zkacc {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace zkacc
