#include "zkacc/prover/binfile.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <utility>

namespace zkacc::prover {

namespace {

std::uint32_t load_u32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
std::uint64_t load_u64(const std::uint8_t* p) { return std::uint64_t(load_u32(p)) | std::uint64_t(load_u32(p + 4)) << 32; }

std::string printable_magic(std::span<const std::uint8_t> m) {
  std::string s;
  for (std::uint8_t c : m) {
    if (c >= 0x20 && c < 0x7f) {
      s.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      s += "\\x";
      s.push_back(kHex[c >> 4]);
      s.push_back(kHex[c & 15]);
    }
  }
  return s;
}

// A name for the temporary file next to `path`, unique enough that two
// writers of the same target do not collide.
std::string temporary_path(const std::string& path) {
  std::random_device rd;
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd() & 0xffffff);
}

}  // namespace

std::string display_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// ---------------------------------------------------------------------------
// MappedFile

MappedFile::MappedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(display_name(path) + ": cannot open (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw Error(display_name(path) + ": cannot stat (" + std::strerror(e) + ")");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(display_name(path) + ": not a regular file");
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      throw Error(display_name(path) + ": cannot map (" + std::strerror(e) + ")");
    }
    data_ = static_cast<const std::uint8_t*>(p);
    // Sections are parsed front to back once; tell the kernel to read ahead.
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
  ::close(fd);
}

void MappedFile::release(std::size_t offset, std::size_t size) const {
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t begin = (offset + page - 1) / page * page, end = (offset + size) / page * page;
  if (data_ && end > begin) ::madvise(const_cast<std::uint8_t*>(data_) + begin, end - begin, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

// ---------------------------------------------------------------------------
// BinFile

BinFile::BinFile(const std::string& path, std::string_view magic, std::uint32_t max_version)
    : name_(display_name(path)), file_(std::in_place, path) {
  bytes_ = file_->bytes();
  index(magic, max_version);
}

BinFile::BinFile(std::span<const std::uint8_t> bytes, std::string name, std::string_view magic,
                 std::uint32_t max_version)
    : name_(std::move(name)), bytes_(bytes) {
  index(magic, max_version);
}

void BinFile::index(std::string_view magic, std::uint32_t max_version) {
  const auto b = bytes_;
  constexpr std::size_t kFileHeader = 12;  // magic, version, section count
  if (b.size() < kFileHeader)
    throw error("file is " + std::to_string(b.size()) + " bytes, too short for a " + std::string(magic) +
                " header (12 bytes)");
  if (std::memcmp(b.data(), magic.data(), 4) != 0)
    throw error("not a ." + std::string(magic) + " file (magic \"" + printable_magic(b.first(4)) + "\", expected \"" +
                std::string(magic) + "\")");
  version_ = load_u32(b.data() + 4);
  if (version_ == 0 || version_ > max_version)
    throw error("version " + std::to_string(version_) + " is not supported (expected 1 to " +
                std::to_string(max_version) + ")");
  const std::uint32_t n_sections = load_u32(b.data() + 8);
  std::uint64_t pos = kFileHeader;
  for (std::uint32_t i = 0; i < n_sections; ++i) {
    if (b.size() - pos < 12)
      throw error("truncated: the header of section " + std::to_string(i + 1) + " of " +
                  std::to_string(n_sections) + " ends past the end of the file (" + std::to_string(b.size()) +
                  " bytes)");
    const std::uint32_t id = load_u32(b.data() + pos);
    const std::uint64_t size = load_u64(b.data() + pos + 4);
    pos += 12;
    if (size > b.size() - pos)
      throw error("truncated: section " + std::to_string(id) + " declares " + std::to_string(size) +
                  " bytes but only " + std::to_string(b.size() - pos) + " remain in the file");
    sections_.push_back({id, pos, size});
    pos += size;
  }
  if (pos != b.size())
    throw error(std::to_string(b.size() - pos) + " bytes after the last of its " + std::to_string(n_sections) +
                " sections");
}

bool BinFile::has_section(std::uint32_t id) const {
  for (const auto& s : sections_)
    if (s.id == id) return true;
  return false;
}

std::span<const std::uint8_t> BinFile::section(std::uint32_t id) const {
  const SectionEntry* found = nullptr;
  for (const auto& s : sections_) {
    if (s.id != id) continue;
    if (found) throw error("section " + std::to_string(id) + " appears more than once");
    found = &s;
  }
  if (!found) throw error("section " + std::to_string(id) + " is missing");
  return bytes_.subspan(found->offset, found->size);
}

void BinFile::release(std::uint32_t id) const {
  if (!file_) return;
  const auto s = section(id);
  file_->release(static_cast<std::size_t>(s.data() - bytes_.data()), s.size());
}

SectionReader BinFile::reader(std::uint32_t id) const {
  return SectionReader(section(id), name_ + ": section " + std::to_string(id));
}

void BinFile::expect_section_size(std::uint32_t id, std::uint64_t expected, std::string_view what) const {
  const std::uint64_t size = section(id).size();
  if (size != expected)
    throw error("section " + std::to_string(id) + " (" + std::string(what) + ") is " + std::to_string(size) +
                " bytes, expected " + std::to_string(expected));
}

// ---------------------------------------------------------------------------
// SectionReader

void SectionReader::need(std::size_t n) const {
  if (n > remaining())
    throw error("is " + std::to_string(data_.size()) + " bytes, too short: reading " + std::to_string(n) +
                " bytes at offset " + std::to_string(pos_));
}

std::uint32_t SectionReader::u32() {
  need(4);
  const std::uint32_t v = load_u32(data_.data() + pos_);
  pos_ += 4;
  return v;
}

std::uint64_t SectionReader::u64() {
  need(8);
  const std::uint64_t v = load_u64(data_.data() + pos_);
  pos_ += 8;
  return v;
}

std::span<const std::uint8_t> SectionReader::bytes(std::size_t n) {
  need(n);
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

BigInt<4> SectionReader::bigint(std::size_t n8) {
  auto b = bytes(n8);
  BigInt<4> v{};
  for (std::size_t i = 0; i < n8; ++i) {
    if (i >= 32) {
      if (b[i] != 0) throw error("integer of " + std::to_string(n8) + " bytes does not fit 256 bits");
      continue;
    }
    v[i / 8] |= std::uint64_t(b[i]) << (8 * (i % 8));
  }
  return v;
}

void SectionReader::expect_end() const {
  if (remaining() != 0)
    throw error("is " + std::to_string(data_.size()) + " bytes, expected " + std::to_string(pos_) + " (" +
                std::to_string(remaining()) + " bytes left over)");
}

// ---------------------------------------------------------------------------
// BinFileWriter

BinFileWriter::BinFileWriter(const std::string& path, std::string_view magic, std::uint32_t version,
                             std::uint32_t n_sections)
    : path_(path), tmp_path_(temporary_path(path)), name_(display_name(path)), sections_expected_(n_sections) {
  f_ = std::fopen(tmp_path_.c_str(), "wb");
  if (!f_) throw Error(name_ + ": cannot create (" + std::strerror(errno) + ")");
  if (magic.size() != 4) throw Error(name_ + ": magic must be 4 bytes");
  bytes({reinterpret_cast<const std::uint8_t*>(magic.data()), 4});
  u32(version);
  u32(n_sections);
}

BinFileWriter::~BinFileWriter() {
  if (f_) std::fclose(f_);
  if (!committed_) std::remove(tmp_path_.c_str());
}

void BinFileWriter::begin_section(std::uint32_t id) {
  if (section_size_pos_ >= 0) throw Error(name_ + ": section started inside another section");
  u32(id);
  section_size_pos_ = std::ftell(f_);
  u64(0);  // patched by end_section()
}

void BinFileWriter::end_section() {
  if (section_size_pos_ < 0) throw Error(name_ + ": end_section without begin_section");
  const long end = std::ftell(f_);
  const std::uint64_t size = static_cast<std::uint64_t>(end - section_size_pos_ - 8);
  if (std::fseek(f_, section_size_pos_, SEEK_SET) != 0) throw Error(name_ + ": seek failed");
  u64(size);
  if (std::fseek(f_, end, SEEK_SET) != 0) throw Error(name_ + ": seek failed");
  section_size_pos_ = -1;
  ++sections_written_;
}

void BinFileWriter::u32(std::uint32_t v) {
  const std::uint8_t b[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
  bytes(b);
}

void BinFileWriter::u64(std::uint64_t v) {
  u32(static_cast<std::uint32_t>(v));
  u32(static_cast<std::uint32_t>(v >> 32));
}

void BinFileWriter::bytes(std::span<const std::uint8_t> b) {
  if (!b.empty() && std::fwrite(b.data(), 1, b.size(), f_) != b.size())
    throw Error(name_ + ": write failed (" + std::strerror(errno) + ")");
}

void BinFileWriter::bigint(const BigInt<4>& v, std::size_t n8) {
  std::uint8_t b[32];
  for (std::size_t i = 0; i < 32; ++i) b[i] = static_cast<std::uint8_t>(v[i / 8] >> (8 * (i % 8)));
  bytes(std::span<const std::uint8_t>(b, std::min<std::size_t>(n8, 32)));
  static constexpr std::uint8_t kZero[1] = {0};
  for (std::size_t i = 32; i < n8; ++i) bytes(kZero);
}

void BinFileWriter::commit() {
  if (section_size_pos_ >= 0) throw Error(name_ + ": commit inside a section");
  if (sections_written_ != sections_expected_)
    throw Error(name_ + ": wrote " + std::to_string(sections_written_) + " sections, header says " +
                std::to_string(sections_expected_));
  const bool ok = std::fflush(f_) == 0;
  const int e = errno;
  std::fclose(f_);
  f_ = nullptr;
  if (!ok) throw Error(name_ + ": write failed (" + std::strerror(e) + ")");
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0)
    throw Error(name_ + ": cannot rename into place (" + std::strerror(errno) + ")");
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  const std::string tmp = temporary_path(path);
  const std::string name = display_name(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(name + ": cannot create (" + std::strerror(errno) + ")");
  const bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size() && std::fflush(f) == 0;
  const int e = errno;
  std::fclose(f);
  if (!ok) {
    std::remove(tmp.c_str());
    throw Error(name + ": write failed (" + std::strerror(e) + ")");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e2 = errno;
    std::remove(tmp.c_str());
    throw Error(name + ": cannot rename into place (" + std::strerror(e2) + ")");
  }
}

}  // namespace zkacc::prover
