// zkacc-prove: `zkacc prove` on the CPU as a program of its own, linking
// libzkacc's prover and nothing else.
//
// Why a second program: `zkacc` links the ONNX importer (protobuf), OpenSSL,
// XRT and Open MPI for its other commands, and loading them leaves 11.7 MB
// resident before a proof starts, against 3.7 MB for rapidsnark's prover. At
// 2^14 constraints that start alone put zkacc's peak memory at 1.47x
// rapidsnark's. `zkacc prove` without a device backend or --mpi runs this
// program in its place (exec), as git runs git-<command>; it can also be run
// directly, with the same arguments as `zkacc prove`.
#include <malloc.h>

#include "error_exit.hpp"
#include "prove_files.hpp"

int main(int argc, char** argv) {
  // Buffers of 128 KiB and more come from mmap and go back to the system
  // when freed. Left to itself glibc raises that threshold to the size of
  // the largest block freed so far, after which the A, B, C vectors and the
  // MSMs' copies are recycled inside the heap instead of returned, and the
  // next phase's buffers add to them.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  CLI::App app{"zkacc-prove: a Groth16 proof from a snarkjs .zkey and a .wtns witness, on the CPU"};
  zkacc::cli::ProveFiles files;
  zkacc::cli::add_prove_file_options(app, files);
  CLI11_PARSE(app, argc, argv);
  return zkacc::cli::exit_status_of([&] { return zkacc::cli::prove_on_cpu(files); });
}
