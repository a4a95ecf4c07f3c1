// Fuzz target: janus::nn::load on any file, into a small float MLP. Each
// input must be loaded or refused with a data_error naming the file; a
// refused file must leave every value of the model as it was, and a loaded
// one must hold finite values and save back to the very same bytes.
//
// Almost every mutation of a checkpoint breaks its CRC-32, which load()
// checks first; so each input is also loaded with its last four bytes
// replaced by the CRC of the rest, to reach the parser behind the check.
#include <zlib.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "janus/nn.hpp"
#include "memory_file.hpp"

namespace {

std::vector<float> values_of(const janus::nn::module<float>& model) {
  std::vector<float> values;
  for (const auto& p : model.parameters()) {
    const auto v = p.to_vector();
    values.insert(values.end(), v.begin(), v.end());
  }
  return values;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void load_one(const std::vector<std::uint8_t>& bytes) {
  static janus::fuzz::memory_file file, saved;
  // The shapes of the committed seeds: 0.weight (2, 3), 0.bias (2), 2.weight (2, 2), 2.bias (2).
  static janus::nn::mlp<float> model({3, 2, 2}, 1);
  const auto& path = file.hold(bytes.data(), bytes.size());
  const std::vector<float> before = values_of(model);
  try {
    janus::nn::load(model, path);
  } catch (const janus::data::data_error& error) {
    if (error.file() != path.string()) janus::fuzz::violated("a data_error that does not name the file");
    if (!same_bits(values_of(model), before)) janus::fuzz::violated("a refused file changed the model");
    return;
  }
  for (float v : values_of(model))
    if (!std::isfinite(v)) janus::fuzz::violated("a loaded file gave a non-finite value");
  const auto& saved_path = saved.hold(nullptr, 0);
  janus::nn::save(model, saved_path);
  std::ifstream in(saved_path, std::ios::binary);
  const std::vector<std::uint8_t> written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (written != bytes) janus::fuzz::violated("a loaded file does not save back to the same bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  load_one(bytes);
  if (size >= 4) {
    const std::size_t body = size - 4;
    const auto crc = crc32(0L, bytes.data(), static_cast<uInt>(body));
    for (std::size_t i = 0; i < 4; ++i) bytes[body + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    load_one(bytes);
  }
  return 0;
}
