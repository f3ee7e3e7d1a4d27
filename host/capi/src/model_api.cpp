// The model pipeline of zkacc's C interface (zkacc.h, zkacc_model_*): the
// zkml library's steps (zkml/pipeline.hpp) behind a handle, as the zkacc
// command's compile, witness and prove-model run them. A handle is only
// read after zkacc_model_compile, so concurrent calls may share it.
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "boundary.hpp"
#include "proof_outputs.hpp"
#include "zkacc/capi/zkacc.h"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/ptau_generate.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/setup.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkacc/zkml/settings.hpp"
#include "zkacc_api.hpp"

struct zkacc_model {
  zkacc::zkml::CompiledModel compiled;
};

namespace zkacc::capi {
namespace {

// The input's name in messages, where the zkacc command names its file.
constexpr const char* kInputName = "input_json";

// One inference of the caller's input JSON text.
zkml::Inference infer_json(const zkacc_model& model, const char* input_json) {
  const zkml::CompiledModel& m = model.compiled;
  return zkml::infer(*m.circuit, zkml::input_from_json(input_json, kInputName, m.input_shape()), kInputName);
}

// Throws unless `key` was made for the model's circuit (its wire and public
// signal counts: a key for another circuit has others, or proves nothing).
void require_model_key(const zkacc_model& model, const prover::Groth16Zkey& key) {
  const zkml::CircuitSummary& c = model.compiled.settings.circuit;
  const std::uint64_t n_public = c.public_outputs + c.public_inputs;
  if (key.n_vars != c.wires || key.n_public != n_public)
    throw Error("key: was made for another circuit (nVars = " + std::to_string(key.n_vars) + ", nPublic = " +
                std::to_string(key.n_public) + "); the model's circuit has " + std::to_string(c.wires) +
                " wires and " + std::to_string(n_public) + " public signals");
}

OutputBuffer output_json_buffer(char* buffer, unsigned long long* size) {
  return {"output", "the output JSON", buffer, size};
}

}  // namespace
}  // namespace zkacc::capi

using namespace zkacc;
using namespace zkacc::capi;

int zkacc_model_compile(const char* onnx_path, const char* settings_path, const char* calibration_path,
                        zkacc_model** model, char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    *model = nullptr;
    require_non_null(onnx_path, "onnx_path");
    if (settings_path && calibration_path)
      throw Error("settings_path and calibration_path are both given: the settings come from one of them");
    if (!settings_path && !calibration_path)
      throw Error("settings_path and calibration_path are both NULL: give a settings.json made for this model, or "
                  "inputs to calibrate its fixed-point scales on");
    zkml::SettingsRequest request;
    if (settings_path) request.settings = settings_path;
    else request.calibration = calibration_path;
    if (request.settings.empty() && request.calibration.empty())
      throw Error(std::string(settings_path ? "settings_path" : "calibration_path") + " is empty");
    *model = new zkacc_model{zkml::compile_model(onnx_path, request)};
    return ZKACC_OK;
  });
}

void zkacc_model_free(zkacc_model* model) { delete model; }

int zkacc_model_settings(const zkacc_model* model, char* settings_buffer, unsigned long long* settings_size,
                         char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    const OutputBuffer out{"settings", "the settings JSON", settings_buffer, settings_size};
    require_non_null({out});
    return write_outputs({out}, {zkml::settings_to_json(model->compiled.settings)}, error_msg, error_msg_maxsize);
  });
}

int zkacc_model_write_r1cs(const zkacc_model* model, const char* r1cs_path, char* error_msg,
                           unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    require_non_null(r1cs_path, "r1cs_path");
    prover::write_r1cs(r1cs_path, model->compiled.circuit->r1cs());
    return ZKACC_OK;
  });
}

int zkacc_model_witness(const zkacc_model* model, const char* input_json, void* wtns_buffer,
                        unsigned long long* wtns_size, char* output_buffer, unsigned long long* output_size,
                        char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    require_non_null(input_json, "input_json");
    const OutputBuffer wtns{"wtns", "the witness", wtns_buffer, wtns_size, false};
    const OutputBuffer output = output_json_buffer(output_buffer, output_size);
    require_non_null({wtns, output});
    const zkml::Inference inf = infer_json(*model, input_json);
    const std::vector<std::uint8_t> bytes = prover::wtns_bytes(inf.witness);
    return write_outputs({wtns, output},
                         {std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                          zkml::inference_to_json(*model->compiled.circuit, inf)},
                         error_msg, error_msg_maxsize);
  });
}

int zkacc_model_setup(const zkacc_model* model, const char* ptau_path, const char* zkey_path, char* error_msg,
                      unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    require_non_null(zkey_path, "zkey_path");
    const prover::R1cs r1cs = model->compiled.circuit->r1cs();
    ThreadPool pool;
    // No file given: a generated one, cached per size (NOT a ceremony).
    const std::uint32_t log_domain = static_cast<std::uint32_t>(std::countr_zero(prover::setup_domain_size(r1cs)));
    const std::string ptau =
        ptau_path ? std::string(ptau_path)
                  : prover::cached_generated_ptau(prover::default_ptau_cache_dir(), log_domain, pool);
    prover::write_zkey(zkey_path, prover::groth16_setup(r1cs, prover::Ptau(ptau), prover::random_delta(), pool));
    return ZKACC_OK;
  });
}

int zkacc_model_verification_key(const zkacc_model* model, const zkacc_proving_key* key, char* vkey_buffer,
                                 unsigned long long* vkey_size, char* error_msg,
                                 unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    require_non_null(key, "key");
    const OutputBuffer out{"vkey", "the verification key", vkey_buffer, vkey_size};
    require_non_null({out});
    require_model_key(*model, key->zkey);
    const std::string vkey = zkml::verification_key_json(prover::VerificationKey::from_zkey(key->zkey),
                                                         model->compiled.settings.exposure);
    return write_outputs({out}, {vkey}, error_msg, error_msg_maxsize);
  });
}

int zkacc_model_prove(const zkacc_model* model, const zkacc_proving_key* key, const char* input_json,
                      const char* backends, const char* xclbin, char* proof_buffer, unsigned long long* proof_size,
                      char* public_buffer, unsigned long long* public_size, char* output_buffer,
                      unsigned long long* output_size, char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(model, "model");
    require_non_null(key, "key");
    require_non_null(input_json, "input_json");
    const Outputs proof{proof_buffer, proof_size, public_buffer, public_size};
    const OutputBuffer output = output_json_buffer(output_buffer, output_size);
    require_non_null({proof.proof(), proof.public_signals(), output});
    require_model_key(*model, key->zkey);
    BackendProver prover(backends, xclbin);
    const zkml::Inference inf = infer_json(*model, input_json);
    const ProofTexts texts = prover.prove(key->zkey, inf.witness);
    return write_outputs({proof.proof(), proof.public_signals(), output},
                         {texts.proof, texts.public_signals, zkml::inference_to_json(*model->compiled.circuit, inf)},
                         error_msg, error_msg_maxsize);
  });
}
