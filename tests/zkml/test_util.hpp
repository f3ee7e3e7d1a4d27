// Helpers of the zkml tests: scratch directories and the committed models.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace zkacc::test {

inline std::string model_path(const std::string& file) { return std::string(ZKACC_MODELS_DIR) + "/" + file; }
inline std::string zkml_data_path(const std::string& file) { return std::string(ZKACC_TEST_DATA_DIR) + "/" + file; }

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("zkacc-zkml-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace zkacc::test
