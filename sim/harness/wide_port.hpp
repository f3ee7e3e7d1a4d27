// Packing of 256-bit values (four little-endian 64-bit limbs, the layout of
// zkacc::BigInt<4> and MontgomeryField::montgomery_repr()) into Verilator's
// wide ports (VlWide<8>: eight 32-bit words, least significant first).
#pragma once

#include <verilated.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace zkacc::sim {

using Limbs256 = std::array<std::uint64_t, 4>;

inline void pack256(VlWide<8>& port, const Limbs256& v) {
  for (std::size_t i = 0; i < 4; ++i) {
    port[2 * i] = static_cast<EData>(v[i]);
    port[2 * i + 1] = static_cast<EData>(v[i] >> 32);
  }
}

inline Limbs256 unpack256(const VlWide<8>& port) {
  Limbs256 v{};
  for (std::size_t i = 0; i < 4; ++i)
    v[i] = static_cast<std::uint64_t>(port[2 * i]) | (static_cast<std::uint64_t>(port[2 * i + 1]) << 32);
  return v;
}

}  // namespace zkacc::sim
