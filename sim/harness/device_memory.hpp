// DeviceMemory: the flat memory of a simulated card, shared by the AXI slave
// models of a kernel's m_axi ports (axi_memory.hpp) and by the host side that
// fills and reads its buffers. Addresses are card addresses: [base, base +
// size). Any access outside that range throws std::out_of_range naming the
// address, so a wrong buffer address in a test or driver fails where it
// happens instead of reading whatever lies there.
//
// The storage is calloc'ed: a large memory (gigabytes, like a card's HBM)
// costs only the pages that are touched.
//
// Write tracking (off unless asked for): the AXI slaves report the words a
// kernel writes through note_write(), and the ranges are kept until the next
// track_writes(). SimDevice's test-only fault injection uses it to corrupt a
// word the kernel really wrote in the last run. Host accesses (span(),
// write()) are not recorded.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace zkacc::sim {

class DeviceMemory {
 public:
  DeviceMemory(std::uint64_t base, std::uint64_t size) : base_(base), size_(size) {
    if (size == 0) throw std::invalid_argument("DeviceMemory: size must be > 0");
    if (base + size < base) throw std::invalid_argument("DeviceMemory: base + size overflows 64 bits");
    data_.reset(static_cast<std::uint8_t*>(std::calloc(size, 1)));
    if (!data_) throw std::bad_alloc();
  }
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;

  std::uint64_t base() const { return base_; }
  std::uint64_t size() const { return size_; }

  // True when [addr, addr + bytes) lies inside the memory.
  bool contains(std::uint64_t addr, std::uint64_t bytes) const {
    return addr >= base_ && bytes <= size_ && addr - base_ <= size_ - bytes;
  }

  // Host pointer to [addr, addr + bytes); throws std::out_of_range otherwise.
  std::uint8_t* span(std::uint64_t addr, std::uint64_t bytes) {
    check(addr, bytes);
    return data_.get() + (addr - base_);
  }
  const std::uint8_t* span(std::uint64_t addr, std::uint64_t bytes) const {
    check(addr, bytes);
    return data_.get() + (addr - base_);
  }

  void write(std::uint64_t addr, const void* src, std::uint64_t bytes) {
    if (bytes != 0) std::memcpy(span(addr, bytes), src, bytes);
  }
  void read(std::uint64_t addr, void* dst, std::uint64_t bytes) const {
    if (bytes != 0) std::memcpy(dst, span(addr, bytes), bytes);
  }
  void fill(std::uint64_t addr, std::uint64_t bytes, std::uint8_t value) {
    if (bytes != 0) std::memset(span(addr, bytes), value, bytes);
  }

  struct Range {
    std::uint64_t addr;
    std::uint64_t bytes;
  };
  // Starts (or stops) recording and forgets what was recorded.
  void track_writes(bool on) {
    tracking_ = on;
    written_.clear();
  }
  // [addr, addr + bytes) was written by a kernel. Consecutive writes merge
  // into one range, a write inside the last range is not repeated.
  void note_write(std::uint64_t addr, std::uint64_t bytes) {
    if (!tracking_ || bytes == 0) return;
    if (!written_.empty()) {
      Range& last = written_.back();
      if (addr == last.addr + last.bytes) {
        last.bytes += bytes;
        return;
      }
      if (addr >= last.addr && addr + bytes <= last.addr + last.bytes) return;
    }
    written_.push_back({addr, bytes});
  }
  const std::vector<Range>& written() const { return written_; }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };

  void check(std::uint64_t addr, std::uint64_t bytes) const {
    if (contains(addr, bytes)) return;
    std::ostringstream msg;
    msg << std::hex << "device memory: access to 0x" << addr << " (" << std::dec << bytes << " bytes) outside [0x"
        << std::hex << base_ << ", 0x" << base_ + size_ << ")";
    throw std::out_of_range(msg.str());
  }

  std::uint64_t base_;
  std::uint64_t size_;
  std::unique_ptr<std::uint8_t, Free> data_;
  bool tracking_ = false;
  std::vector<Range> written_;
};

}  // namespace zkacc::sim
