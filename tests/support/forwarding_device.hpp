// A Device that passes every call to another one: the base of the tests'
// counting devices, which override only the calls they count or alter.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "zkacc/drivers/device.hpp"

namespace zkacc::test {

class ForwardingDevice : public drivers::Device {
 public:
  explicit ForwardingDevice(std::unique_ptr<drivers::Device> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return inner_->name(); }
  const drivers::KernelSpec& kernel() const override { return inner_->kernel(); }
  drivers::BufferId allocate(std::uint64_t bytes, std::size_t arg) override { return inner_->allocate(bytes, arg); }
  void write(const drivers::BufferId& b, std::span<const std::byte> d, std::uint64_t o) override { inner_->write(b, d, o); }
  void read(const drivers::BufferId& b, std::span<std::byte> d, std::uint64_t o) override { inner_->read(b, d, o); }
  void set_arg(std::size_t a, std::uint32_t v) override { inner_->set_arg(a, v); }
  void set_arg(std::size_t a, const drivers::BufferId& b) override { inner_->set_arg(a, b); }
  void start() override { inner_->start(); }
  drivers::RunState wait(std::chrono::milliseconds t) override { return inner_->wait(t); }
  std::uint32_t read_status(std::size_t i) override { return inner_->read_status(i); }

 protected:
  drivers::Device& inner() { return *inner_; }
  const drivers::Device& inner() const { return *inner_; }

 private:
  std::unique_ptr<drivers::Device> inner_;
};

}  // namespace zkacc::test
