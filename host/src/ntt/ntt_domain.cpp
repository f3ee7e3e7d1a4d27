// The NTT engine over BN254 Fr, compiled once for every user of the library.
#include "zkacc/ntt/ntt_domain.hpp"

namespace zkacc {
template class BasicNttDomain<Fr>;
}  // namespace zkacc
