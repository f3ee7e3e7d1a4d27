// SHA-256 through OpenSSL's libcrypto (EVP): a maintained, tested
// implementation rather than one of our own.
#include "zkacc/zkml/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include "zkacc/common/error.hpp"

namespace zkacc::zkml {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx sha256_context() {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw Error("sha256: OpenSSL could not start a SHA-256 digest");
  return ctx;
}

void update(EVP_MD_CTX* ctx, const unsigned char* data, std::size_t n) {
  if (EVP_DigestUpdate(ctx, data, n) != 1) throw Error("sha256: OpenSSL's digest update failed");
}

std::string finish_hex(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, md.data(), &len) != 1 || len != 32) throw Error("sha256: OpenSSL's digest failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::span<const unsigned char> data) {
  const MdCtx ctx = sha256_context();
  update(ctx.get(), data.data(), data.size());
  return finish_hex(ctx.get());
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(path + ": cannot open the file");
  // In chunks: a model or circuit file need not fit in memory twice.
  const MdCtx ctx = sha256_context();
  std::vector<char> chunk(std::size_t(1) << 20);
  while (f) {
    f.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    update(ctx.get(), reinterpret_cast<const unsigned char*>(chunk.data()), static_cast<std::size_t>(f.gcount()));
  }
  if (f.bad()) throw Error(path + ": read error");
  return finish_hex(ctx.get());
}

}  // namespace zkacc::zkml
