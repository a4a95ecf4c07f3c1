// Fuzz target: read_idx on any file, raw or (when it starts with gzip's
// magic bytes) gzip. Each input must be read or refused with a data_error
// naming the file, nothing else: no crash, no other exception, no read out
// of bounds. A raw file that is accepted must be exactly its header and its
// values, and the values as many as the shape promises.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "janus/data/idx.hpp"
#include "memory_file.hpp"

namespace {

std::vector<std::uint8_t> idx_bytes(const janus::data::idx_array& array) {
  std::vector<std::uint8_t> bytes = {0, 0, 0x08, static_cast<std::uint8_t>(array.shape.size())};
  for (std::size_t size : array.shape)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(size >> shift));
  bytes.insert(bytes.end(), array.values.begin(), array.values.end());
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static janus::fuzz::memory_file file;
  const auto& path = file.hold(data, size);
  try {
    const janus::data::idx_array array = janus::data::read_idx(path);
    std::size_t count = 1;
    for (std::size_t d : array.shape) count *= d;
    if (count != array.values.size()) janus::fuzz::violated("the values are not as many as the shape promises");
    const bool gzip = size >= 2 && data[0] == 0x1F && data[1] == 0x8B;
    if (!gzip && idx_bytes(array) != std::vector<std::uint8_t>(data, data + size))
      janus::fuzz::violated("an accepted raw file is not its header and values");
  } catch (const janus::data::data_error& error) {
    if (error.file() != path.string()) janus::fuzz::violated("a data_error that does not name the file");
  }
  return 0;
}
