// The exception boundary of the C ABI. Each exported function runs its body
// through call_guarded, which turns every exception into a return code and a
// message in the caller's buffer: an exception unwinding into a C caller (or
// a Go, Rust, Swift or Python runtime) would abort the process.
#pragma once

#include <algorithm>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "zkacc/common/error.hpp"

namespace zkacc::capi {

// Copies msg into error_msg with its terminating NUL, cut to fit maxsize
// bytes. Nothing when error_msg is NULL or maxsize is 0 (no room for a NUL).
inline void copy_message(char* error_msg, unsigned long long maxsize, std::string_view msg) noexcept {
  if (!error_msg || maxsize == 0) return;
  const std::size_t n = static_cast<std::size_t>(std::min<unsigned long long>(msg.size(), maxsize - 1));
  std::memcpy(error_msg, msg.data(), n);
  error_msg[n] = '\0';
}

// An error with a return code of its own rather than the function's generic
// one (PROVER_INVALID_WITNESS_LENGTH).
class CodedError : public Error {
 public:
  CodedError(int code, const std::string& what) : Error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// body() returns the function's result code; an exception becomes
// error_code (or a CodedError's code) and its message.
template <class Body>
int call_guarded(int error_code, char* error_msg, unsigned long long maxsize, Body&& body) noexcept {
  try {
    return body();
  } catch (const CodedError& e) {
    copy_message(error_msg, maxsize, e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    copy_message(error_msg, maxsize, "out of memory");
  } catch (const std::exception& e) {
    copy_message(error_msg, maxsize, e.what());
  } catch (...) {
    copy_message(error_msg, maxsize, "unknown error");
  }
  return error_code;
}

// Throws "<what> is NULL" for a null argument.
inline void require_non_null(const void* p, const char* what) {
  if (!p) throw Error(std::string(what) + " is NULL");
}

}  // namespace zkacc::capi
