// zkacc::runtime and zkacc::zkml from an installed zkacc: their link
// interfaces resolve (the drivers, and in a static build the archives and
// packages they carry: MPI, the Verilator models, ONNX, protobuf), and both
// compute.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/zkml/sha256.hpp"

using namespace zkacc;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) ++failures;
}

}  // namespace

int main() {
  ThreadPool pool(2);
  std::string names;
  for (const auto& name : runtime::available_backends()) names += name + " ";
  std::printf("backends: %s\n", names.c_str());

  // A forward and an inverse NTT on the cpu backend give the vector back.
  const auto cpu = runtime::make_backend("cpu", pool);
  std::vector<Fr> values(1024), original;
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = Fr::from_u64(i * i + 7);
  original = values;
  cpu->ntt(values, NttDirection::Forward);
  const bool changed = values != original;
  cpu->ntt(values, NttDirection::Inverse);
  check(changed && values == original, "cpu backend: inverse NTT undoes the forward NTT");

  const std::string_view abc = "abc";
  check(zkml::sha256_hex({reinterpret_cast<const unsigned char*>(abc.data()), abc.size()}) ==
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "zkml: SHA-256 of \"abc\" (FIPS 180-4's example)");
  return failures == 0 ? 0 : 1;
}
