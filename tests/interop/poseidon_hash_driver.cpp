// zkacc's Poseidon for poseidon_circomlibjs.js: reads a JSON list of input
// lists (decimal strings) on stdin and prints the list of their hashes
// (decimal strings), or one line on stderr and exit code 1 for bad input.
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zkacc/prover/poseidon.hpp"

int main() {
  try {
    const nlohmann::json in = nlohmann::json::parse(std::cin);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& inputs : in) {
      std::vector<zkacc::Fr> x;
      for (const auto& v : inputs) x.push_back(zkacc::Fr::from_decimal(v.get<std::string>()));
      out.push_back(zkacc::prover::poseidon_hash(x).to_decimal());
    }
    std::cout << out << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "poseidon_hash_driver: " << e.what() << "\n";
    return 1;
  }
}
