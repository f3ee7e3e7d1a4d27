// The exit statuses of zkacc's programs: a zkacc::Error (bad input, a
// failed check) is status 1 with its message, anything else status 2 as an
// internal error. Shared by `zkacc` and `zkacc-prove`, so both say the same.
#pragma once

#include <exception>
#include <iostream>

#include "zkacc/common/error.hpp"

namespace zkacc::cli {

template <class Fn>
int exit_status_of(Fn&& fn) {
  try {
    return fn();
  } catch (const zkacc::Error& e) {
    std::cerr << "zkacc: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "zkacc: internal error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace zkacc::cli
