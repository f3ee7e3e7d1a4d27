// Which proving key a span of points belongs to. A key's points do not
// change while it lives, so an engine on a card may keep them in the card's
// memory from one MSM and one proof to the next (runtime::DeviceMsm) and
// upload them once. The engine keys what it keeps by this identity and the
// span's address and length: an identity is never handed out twice in a
// process, a copied key gets a new one (its points are new memory that may
// change apart from the original), a moved key takes the original's along
// with its points, and the moved-from key gets a new one. A caller that
// changes a key's points in place calls renew().
#pragma once

#include <cstdint>

namespace zkacc::prover {

class KeyIdentity {
 public:
  KeyIdentity() : value_(next()) {}
  KeyIdentity(const KeyIdentity&) : value_(next()) {}
  KeyIdentity& operator=(const KeyIdentity&) {
    value_ = next();
    return *this;
  }
  KeyIdentity(KeyIdentity&& other) noexcept : value_(other.value_) { other.value_ = next(); }
  KeyIdentity& operator=(KeyIdentity&& other) noexcept {
    value_ = other.value_;
    other.value_ = next();
    return *this;
  }

  // Never 0 (0 stands for "no key" in the engines' interfaces).
  std::uint64_t value() const { return value_; }
  void renew() { value_ = next(); }

 private:
  // The process's next identity, from a counter that only counts up.
  static std::uint64_t next();
  std::uint64_t value_;
};

}  // namespace zkacc::prover
