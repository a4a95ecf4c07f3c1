// janus/nn/checkpoint.hpp: save and load, a module's parameters in a small
// binary file that says which model it belongs to and detects damage.
//
// Layout, all integers little-endian:
//   "JANUSNN\0"                    8 bytes, the magic
//   version (u32) = 1, element size in bytes (u32: 4 float, 8 double),
//   parameter count (u32)
//   per parameter: name length (u32), name, rank (u32), sizes (u64 each)
//   the values of every parameter in that order, IEEE little-endian
//   CRC-32 (zlib's) of every byte before it (u32)
// load() refuses a file whose checksum, names or shapes do not match the
// module, or that holds a NaN or infinite value, before it changes a single
// value of the module.
#pragma once

#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "janus/data/error.hpp"
#include "janus/nn/module.hpp"

namespace janus::nn {

namespace detail {

inline constexpr char checkpoint_magic[8] = {'J', 'A', 'N', 'U', 'S', 'N', 'N', '\0'};
inline constexpr std::uint32_t checkpoint_version = 1;

inline void put_le(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

/// Reads a checkpoint's bytes front to back; every read checks the length,
/// so a short file is an error naming the offset, never a read past the end.
class checkpoint_reader {
 public:
  checkpoint_reader(const std::vector<std::uint8_t>& bytes, std::size_t end, std::string file)
      : bytes_(bytes), end_(end), file_(std::move(file)) {}

  std::uint64_t le(int count, const char* what) {
    need(static_cast<std::size_t>(count), what);
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i) value |= std::uint64_t{bytes_[offset_ + static_cast<std::size_t>(i)]} << (8 * i);
    offset_ += static_cast<std::size_t>(count);
    return value;
  }

  std::string text(std::size_t count, const char* what) {
    need(count, what);
    std::string value(reinterpret_cast<const char*>(bytes_.data() + offset_), count);
    offset_ += count;
    return value;
  }

  void need(std::size_t count, const char* what) const {
    if (end_ - offset_ < count)
      throw janus::data::data_error(file_, std::string("truncated: the file ends inside ") + what, offset_);
  }

  [[noreturn]] void fail(const std::string& what, std::size_t at) const { throw janus::data::data_error(file_, what, at); }

  std::size_t offset() const noexcept { return offset_; }

 private:
  const std::vector<std::uint8_t>& bytes_;
  std::size_t end_;
  std::string file_;
  std::size_t offset_ = 0;
};

/// The whole file. A path that is not a regular file (a directory, say) is
/// refused by name here; the stream would otherwise throw a failure that
/// names neither the file nor the problem.
inline std::vector<std::uint8_t> read_checkpoint_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw janus::data::data_error(name, "cannot be opened: no such file");
  if (std::filesystem::is_directory(file, ec))
    throw janus::data::data_error(name, "cannot be opened: a directory, not a checkpoint file");
  if (!std::filesystem::is_regular_file(file, ec))
    throw janus::data::data_error(name, "cannot be opened: not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw janus::data::data_error(name, "cannot be opened");
  try {
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  } catch (const std::ios_base::failure& error) {
    throw janus::data::data_error(name, std::string("cannot be read (") + error.what() + ")");
  }
}

/// Refuses a value that is NaN or infinite: the parameters of a training
/// run that diverged would otherwise load as if trained, and turn every
/// later result into NaN. `at` is the offset of the first value in `bytes`.
template <class T>
void check_finite(const std::vector<named_parameter<T>>& parameters, const std::vector<std::uint8_t>& bytes,
                  std::size_t at, const std::string& file) {
  for (const auto& named : parameters)
    for (std::size_t i = 0; i < named.tensor.numel(); ++i, at += sizeof(T)) {
      T value;
      std::memcpy(&value, bytes.data() + at, sizeof(T));
      if (!std::isfinite(value))
        throw janus::data::data_error(file, "parameter '" + named.name + "' holds " +
                                                (std::isnan(value) ? "NaN" : "an infinite value") + " at index " +
                                                std::to_string(i), at);
    }
}

}  // namespace detail

/// Writes every parameter of `model` to `file` (replacing it).
template <class T>
void save(const module<T>& model, const std::filesystem::path& file) {
  static_assert(std::endian::native == std::endian::little, "janus checkpoints are written on little-endian machines");
  const auto parameters = model.named_parameters();
  std::vector<std::uint8_t> bytes(std::begin(detail::checkpoint_magic), std::end(detail::checkpoint_magic));
  detail::put_le(bytes, detail::checkpoint_version, 4);
  detail::put_le(bytes, sizeof(T), 4);
  detail::put_le(bytes, parameters.size(), 4);
  for (const auto& [name, tensor] : parameters) {
    detail::put_le(bytes, name.size(), 4);
    bytes.insert(bytes.end(), name.begin(), name.end());
    detail::put_le(bytes, tensor.shape().size(), 4);
    for (std::size_t size : tensor.shape()) detail::put_le(bytes, size, 8);
  }
  for (const auto& named : parameters) {
    const auto* values = reinterpret_cast<const std::uint8_t*>(named.tensor.data());
    bytes.insert(bytes.end(), values, values + named.tensor.numel() * sizeof(T));
  }
  detail::put_le(bytes, crc32(0L, bytes.data(), static_cast<uInt>(bytes.size())), 4);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw janus::data::data_error(file.string(), "cannot be written");
}

/// Reads parameters saved by save() into `model`, which must have the same
/// parameter names, shapes and element type.
template <class T>
void load(module<T>& model, const std::filesystem::path& file) {
  const std::string name = file.string();
  const std::vector<std::uint8_t> bytes = detail::read_checkpoint_file(file);
  if (bytes.size() < sizeof detail::checkpoint_magic ||
      std::memcmp(bytes.data(), detail::checkpoint_magic, sizeof detail::checkpoint_magic) != 0)
    throw janus::data::data_error(name, "not a janus checkpoint (wrong magic number)", 0);
  if (bytes.size() < sizeof detail::checkpoint_magic + 4)
    throw janus::data::data_error(name, "truncated: too short for a checkpoint", bytes.size());
  const std::size_t body = bytes.size() - 4;
  std::uint32_t stored_crc = 0;
  for (int i = 0; i < 4; ++i) stored_crc |= std::uint32_t{bytes[body + static_cast<std::size_t>(i)]} << (8 * i);
  if (crc32(0L, bytes.data(), static_cast<uInt>(body)) != stored_crc)
    throw janus::data::data_error(name, "damaged: the checksum does not match the content", body);

  detail::checkpoint_reader reader(bytes, body, name);
  reader.text(sizeof detail::checkpoint_magic, "the magic number");
  const auto version = reader.le(4, "the version");
  if (version != detail::checkpoint_version)
    reader.fail("version " + std::to_string(version) + ", this janus reads version " +
                    std::to_string(detail::checkpoint_version), reader.offset() - 4);
  const auto element = reader.le(4, "the element size");
  if (element != sizeof(T))
    reader.fail("holds " + std::to_string(element) + "-byte values, the model has " + std::to_string(sizeof(T)) +
                    "-byte values", reader.offset() - 4);

  auto parameters = model.named_parameters();
  const auto count = reader.le(4, "the parameter count");
  if (count != parameters.size())
    reader.fail("holds " + std::to_string(count) + " parameters, the model has " + std::to_string(parameters.size()),
                reader.offset() - 4);
  for (const auto& [expected_name, tensor] : parameters) {
    const std::size_t at = reader.offset();
    const auto length = reader.le(4, "a parameter name");
    const std::string stored_name = reader.text(length, "a parameter name");
    const auto rank = reader.le(4, "a parameter rank");
    shape_type shape;
    for (std::uint64_t axis = 0; axis < rank; ++axis) shape.push_back(reader.le(8, "a parameter shape"));
    if (stored_name != expected_name || shape != tensor.shape())
      reader.fail("holds parameter '" + stored_name + "' of shape " + to_string(shape) + " where the model has '" +
                      expected_name + "' of shape " + to_string(tensor.shape()) + ": a checkpoint of another model",
                  at);
  }
  std::size_t values_bytes = 0;
  for (const auto& named : parameters) values_bytes += named.tensor.numel() * sizeof(T);
  reader.need(values_bytes, "the parameter values");
  if (body - reader.offset() != values_bytes)
    reader.fail(std::to_string(body - reader.offset() - values_bytes) + " unexpected bytes after the values",
                reader.offset() + values_bytes);
  detail::check_finite<T>(parameters, bytes, reader.offset(), name);
  std::size_t at = reader.offset();
  for (auto& named : parameters) {
    const std::size_t size = named.tensor.numel() * sizeof(T);
    std::memcpy(named.tensor.data(), bytes.data() + at, size);
    at += size;
  }
}

}  // namespace janus::nn
