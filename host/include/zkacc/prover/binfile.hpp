// The section-based binary container shared by circom's .r1cs and snarkjs's
// .wtns, .zkey and .ptau files (iden3 "binfileutils"):
//
//   magic     4 bytes, "r1cs" / "wtns" / "zkey" / "ptau"
//   version   u32 little-endian
//   sections  u32 count, then per section: id u32, size u64, size bytes
//
// Every integer is little-endian. Section ids may come in any order; the
// formats zkacc reads need each id at most once.
//
// BinFile maps the file read-only (or reads a caller's buffer in place) and
// indexes its sections; it checks the magic, the version and that every
// section lies inside the file before a caller sees any of it.
// SectionReader walks one section with every read bounds-checked, so a
// parser states what it expects and a short or long section becomes
// "circuit.zkey: section 3 is 412 bytes, expected 448".
// BinFileWriter writes to a temporary file next to the target and renames it
// on commit(), so a failed run leaves no partial output behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/field/bigint.hpp"

namespace zkacc::prover {

// A read-only memory mapping of a whole file (RAII).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  // madvise(MADV_DONTNEED) on the whole pages inside [offset, offset + size).
  void release(std::size_t offset, std::size_t size) const;

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// The name used in messages: the path's last component ("circuit.zkey").
std::string display_name(const std::string& path);

class SectionReader;

class BinFile {
 public:
  struct SectionEntry {
    std::uint32_t id;
    std::uint64_t offset;  // of the section's first byte in the file
    std::uint64_t size;
  };

  // Opens `path` and checks the 4-byte magic and 1 ≤ version ≤ max_version.
  BinFile(const std::string& path, std::string_view magic, std::uint32_t max_version);
  // The same checks on a file already in memory (a caller's buffer, as the C
  // ABI receives keys and witnesses); `name` stands for the file name in
  // messages. The bytes are not copied: they must outlive the BinFile.
  BinFile(std::span<const std::uint8_t> bytes, std::string name, std::string_view magic, std::uint32_t max_version);

  const std::string& name() const { return name_; }
  std::uint32_t version() const { return version_; }
  const std::vector<SectionEntry>& sections() const { return sections_; }

  bool has_section(std::uint32_t id) const;
  // The bytes of the one section with this id; throws if it is missing or
  // appears twice.
  std::span<const std::uint8_t> section(std::uint32_t id) const;
  SectionReader reader(std::uint32_t id) const;
  // Drops the pages of a parsed section from memory (the mapping stays
  // valid and would fault them back in): a reader that copies sections out
  // then holds about one copy of the file at a time instead of two. Does
  // nothing for a caller's buffer, whose pages are not the BinFile's to drop.
  void release(std::uint32_t id) const;

  // "circuit.zkey: <msg>"
  Error error(const std::string& msg) const { return Error(name_ + ": " + msg); }
  // Throws unless section `id` has exactly `expected` bytes.
  void expect_section_size(std::uint32_t id, std::uint64_t expected, std::string_view what) const;

 private:
  void index(std::string_view magic, std::uint32_t max_version);

  std::string name_;
  std::optional<MappedFile> file_;       // empty for a caller's buffer
  std::span<const std::uint8_t> bytes_;  // the mapping, or the caller's buffer
  std::uint32_t version_ = 0;
  std::vector<SectionEntry> sections_;
};

// Sequential, bounds-checked reads within one section.
class SectionReader {
 public:
  SectionReader(std::span<const std::uint8_t> data, std::string context)
      : data_(data), context_(std::move(context)) {}

  std::uint32_t u32();
  std::uint64_t u64();
  std::span<const std::uint8_t> bytes(std::size_t n);
  template <std::size_t N>
  std::span<const std::uint8_t, N> fixed() {
    return bytes(N).template first<N>();
  }
  // An n8-byte little-endian integer that must fit 256 bits.
  BigInt<4> bigint(std::size_t n8);

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  // Throws if bytes are left over ("section 2 has 12 bytes after its end").
  void expect_end() const;
  Error error(const std::string& msg) const { return Error(context_ + ": " + msg); }

 private:
  void need(std::size_t n) const;

  std::span<const std::uint8_t> data_;
  std::string context_;
  std::size_t pos_ = 0;
};

// Writes a binfile section by section; nothing appears at `path` until
// commit() succeeds.
class BinFileWriter {
 public:
  BinFileWriter(const std::string& path, std::string_view magic, std::uint32_t version, std::uint32_t n_sections);
  ~BinFileWriter();  // removes the temporary file unless committed
  BinFileWriter(const BinFileWriter&) = delete;
  BinFileWriter& operator=(const BinFileWriter&) = delete;

  void begin_section(std::uint32_t id);
  void end_section();
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void bytes(std::span<const std::uint8_t> b);
  void bigint(const BigInt<4>& v, std::size_t n8);
  // Flushes, checks the section count, closes and renames into place.
  void commit();

 private:
  std::string path_, tmp_path_, name_;
  std::FILE* f_ = nullptr;
  std::uint32_t sections_expected_, sections_written_ = 0;
  long section_size_pos_ = -1;
  bool committed_ = false;
};

// Writes `contents` to path through a temporary file and a rename, so
// readers never see a half-written file and a failure leaves none.
void write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace zkacc::prover
