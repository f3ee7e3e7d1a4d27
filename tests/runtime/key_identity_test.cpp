// The identity by which a device keeps a proving key's points resident: it
// must never name two keys whose points may differ.
#include <catch2/catch.hpp>

#include <set>
#include <utility>
#include <vector>

#include "zkacc/prover/key_identity.hpp"
#include "zkacc/prover/zkey.hpp"

using zkacc::prover::Groth16Zkey;
using zkacc::prover::KeyIdentity;

TEST_CASE("key identity: unique, new for a copy, carried by a move, renewed on demand", "[runtime]") {
  std::set<std::uint64_t> seen;
  std::vector<KeyIdentity> many(1000);
  for (const KeyIdentity& k : many) {
    CHECK(k.value() != 0);
    CHECK(seen.insert(k.value()).second);
  }
  KeyIdentity a;
  const std::uint64_t v = a.value();
  KeyIdentity copy = a;  // a copy's points are new memory that may change apart
  CHECK(copy.value() != v);
  CHECK(a.value() == v);
  KeyIdentity moved = std::move(a);  // the points moved with it
  CHECK(moved.value() == v);
  CHECK(a.value() != v);  // the moved-from key holds no points of the old one
  KeyIdentity assigned;
  assigned = copy;
  CHECK(assigned.value() != copy.value());
  const std::uint64_t before = moved.value();
  moved.renew();
  CHECK(moved.value() != before);
  // On a key: a copy of a Groth16Zkey is another key; a moved one keeps its name.
  Groth16Zkey key;
  const std::uint64_t id = key.identity.value();
  const Groth16Zkey copied = key;
  CHECK(copied.identity.value() != id);
  const Groth16Zkey taken = std::move(key);
  CHECK(taken.identity.value() == id);
}
