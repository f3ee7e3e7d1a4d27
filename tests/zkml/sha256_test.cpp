// SHA-256 (zkml/sha256.hpp, OpenSSL's libcrypto) on the examples of NIST's
// FIPS 180-4 ("SHA-256 examples", NIST CSRC cryptographic standards and
// guidelines: the one-block "abc" and the two-block 448-bit message), the
// empty message and the long message of a million 'a' (FIPS 180-2,
// Appendix B.3); a file's digest equals its bytes' and spans chunks; a
// missing file is an error naming it.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "test_util.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/sha256.hpp"

using zkacc::zkml::sha256_file_hex;
using zkacc::zkml::sha256_hex;

namespace {

std::string digest(const std::string& s) {
  return sha256_hex({reinterpret_cast<const unsigned char*>(s.data()), s.size()});
}

}  // namespace

TEST_CASE("sha256: the FIPS 180-4 examples", "[zkml][sha256]") {
  CHECK(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(digest(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: a file's digest is its bytes' (read in chunks), and a missing file is named", "[zkml][sha256]") {
  zkacc::test::TempDir dir;
  // 2.5 MiB: three chunks of the reader, the last one partial.
  std::string bytes;
  for (std::size_t i = 0; i < (std::size_t(5) << 19); ++i) bytes += static_cast<char>((i * 131 + 7) & 0xff);
  const std::string path = dir.file("data.bin");
  std::ofstream(path, std::ios::binary) << bytes;
  CHECK(sha256_file_hex(path) == digest(bytes));
  CHECK_THROWS_WITH(sha256_file_hex(dir.file("missing.bin")), Catch::Contains("missing.bin: cannot open the file"));
}
