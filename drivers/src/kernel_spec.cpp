#include "zkacc/drivers/kernel_spec.hpp"

#include "zkacc/common/error.hpp"

namespace zkacc::drivers {

std::size_t KernelSpec::arg_index(const std::string& arg_name) const {
  for (std::size_t i = 0; i < args.size(); ++i)
    if (args[i].name == arg_name) return i;
  throw Error("kernel " + name + " has no argument '" + arg_name + "'");
}

std::size_t KernelSpec::status_index(const std::string& status_name) const {
  for (std::size_t i = 0; i < status.size(); ++i)
    if (status[i].name == status_name) return i;
  throw Error("kernel " + name + " has no status register '" + status_name + "'");
}

const KernelSpec& copy_kernel_spec() {
  static const KernelSpec spec{
      "zkacc_copy_kernel",
      {{"beats", 0x10, ArgKind::u32}, {"src", 0x14, ArgKind::buffer}, {"dst", 0x1C, ArgKind::buffer}},
      {{"cycles_lo", 0x24}, {"cycles_hi", 0x28}, {"errors", 0x2C}}};
  return spec;
}

const KernelSpec& msm_kernel_spec() {
  static const KernelSpec spec{"zkacc_msm_kernel",
                               {{"num_points", 0x10, ArgKind::u32},
                                {"windows", 0x14, ArgKind::u32},
                                {"window_bucket_bits", 0x18, ArgKind::u32},
                                {"first_window", 0x1C, ArgKind::u32},
                                {"points", 0x20, ArgKind::buffer},
                                {"digits", 0x28, ArgKind::buffer},
                                {"buckets", 0x30, ArgKind::buffer},
                                {"points_y", 0x38, ArgKind::buffer},
                                {"buckets_1", 0x40, ArgKind::buffer},
                                {"buckets_2", 0x48, ArgKind::buffer}},
                               {{"cycles_lo", 0x50},
                                {"cycles_hi", 0x54},
                                {"additions_lo", 0x58},
                                {"additions_hi", 0x5C},
                                {"parked", 0x60},
                                {"input_stalls", 0x64},
                                {"config", 0x68},
                                {"lanes", 0x6C}}};
  return spec;
}

const KernelSpec& ntt_kernel_spec() {
  static const KernelSpec spec{"zkacc_ntt_kernel",
                               {{"log_n", 0x10, ArgKind::u32},
                                {"batch", 0x14, ArgKind::u32},
                                {"twiddles", 0x18, ArgKind::buffer},
                                {"input", 0x20, ArgKind::buffer},
                                {"output", 0x28, ArgKind::buffer}},
                               {{"cycles_lo", 0x30},
                                {"cycles_hi", 0x34},
                                {"butterflies_lo", 0x38},
                                {"butterflies_hi", 0x3C},
                                {"config", 0x40}}};
  return spec;
}

const KernelSpec& kernel_spec(const std::string& name) {
  for (const KernelSpec* s : {&copy_kernel_spec(), &msm_kernel_spec(), &ntt_kernel_spec()})
    if (s->name == name) return *s;
  throw Error("unknown kernel '" + name + "' (known: zkacc_copy_kernel, zkacc_msm_kernel, zkacc_ntt_kernel)");
}

}  // namespace zkacc::drivers
