// janus/data/idx.hpp: read_idx and idx_reader, the reader of IDX files (the
// format of MNIST), raw or gzip-compressed.
//
// An IDX file is a 4-byte magic number (two zero bytes, an element-type code,
// the rank), one big-endian 32-bit size per dimension, then the elements in
// row-major order. janus reads unsigned-byte files (type 0x08), the only type
// MNIST uses. The reader streams: it reads the header, then the bytes the
// header promises and one more to detect trailing data, so a short, long or
// foreign file is a data_error, never a crash, and a gzip file is inflated
// no further than its declared size and one of zlib's buffers (a small file
// that would inflate to gigabytes is refused after a few kilobytes). Memory
// grows with the data actually read, not with what a header claims.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "janus/data/error.hpp"

namespace janus::data {

/// The dimensions and the elements of one IDX file.
struct idx_array {
  std::vector<std::size_t> shape;
  std::vector<std::uint8_t> values;
};

namespace detail {

inline std::string hex_byte(unsigned value) {
  constexpr char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[(value >> 4) & 0xF] + digits[value & 0xF];
}

inline const char* idx_type_name(unsigned code) {
  switch (code) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "16-bit integer";
    case 0x0C: return "32-bit integer";
    case 0x0D: return "32-bit float";
    case 0x0E: return "64-bit float";
    default: return nullptr;
  }
}

inline std::uint32_t big_endian_u32(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

struct gz_closer {
  void operator()(gzFile stream) const noexcept { gzclose(stream); }
};

}  // namespace detail

/// An open IDX file whose header has been read and checked: its shape is
/// known before any of its data is read, so a caller can refuse a shape
/// (too large, wrong rank) without reading what the header promises.
class idx_reader {
 public:
  /// Opens `file` (raw or gzip, recognised by content, not by name; zlib's
  /// gz functions read an uncompressed file as it is) and reads its header.
  explicit idx_reader(const std::filesystem::path& file) : name_(file.string()) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) throw data_error(name_, "no such file");
    if (!std::filesystem::is_regular_file(file, ec)) throw data_error(name_, "not a regular file");
    stream_.reset(gzopen(name_.c_str(), "rb"));
    if (stream_ == nullptr) throw data_error(name_, "cannot be opened");
    read_header();
  }

  const std::string& name() const noexcept { return name_; }
  const std::vector<std::size_t>& shape() const noexcept { return shape_; }

  /// Reads the elements, checking that the file holds exactly as many as
  /// the header promises. Call it once.
  std::vector<std::uint8_t> read_values() {
    std::vector<std::uint8_t> values;
    // Grown chunk by chunk, so a header promising more than the file holds
    // costs no more memory than the file.
    constexpr std::size_t chunk = 1u << 20;
    while (values.size() < value_count_) {
      const std::size_t old_size = values.size();
      const std::size_t wanted = std::min(chunk, value_count_ - old_size);
      values.resize(old_size + wanted);
      const std::size_t got = read(values.data() + old_size, wanted);
      if (got < wanted)
        throw data_error(name_, "truncated: the header promises " + std::to_string(value_count_) +
                                    " bytes of data, the file holds " + std::to_string(old_size + got),
                         position_);
    }
    std::uint8_t extra = 0;
    if (read(&extra, 1) != 0)
      throw data_error(name_, "unexpected bytes after the " + std::to_string(value_count_) +
                                  " bytes of data the header promises", position_ - 1);
    return values;
  }

 private:
  void read_header() {
    std::uint8_t magic[4];
    const std::size_t got = read(magic, 4);
    if (got < 4)
      throw data_error(name_, "truncated: " + std::to_string(got) + " bytes, fewer than the 4 of an IDX magic number",
                       got);
    if (magic[0] != 0 || magic[1] != 0)
      throw data_error(name_, "wrong magic number: an IDX file starts with two zero bytes, this one with " +
                                  detail::hex_byte(magic[0]) + " " + detail::hex_byte(magic[1]), 0);
    const unsigned type = magic[2];
    const char* type_name = detail::idx_type_name(type);
    if (type_name == nullptr)
      throw data_error(name_, "wrong magic number: element type " + detail::hex_byte(type) + " is not an IDX type", 2);
    if (type != 0x08)
      throw data_error(name_, std::string("element type ") + type_name + " (" + detail::hex_byte(type) +
                                  ") is not supported; janus reads unsigned bytes (0x08)", 2);
    const std::size_t rank = magic[3];
    if (rank == 0) throw data_error(name_, "rank 0: an IDX file has at least one dimension", 3);

    std::vector<std::uint8_t> sizes(4 * rank);
    if (read(sizes.data(), sizes.size()) < sizes.size())
      throw data_error(name_, "truncated in the header: rank " + std::to_string(rank) + " needs " +
                                  std::to_string(4 + sizes.size()) + " bytes, the file holds " +
                                  std::to_string(position_), position_);
    value_count_ = 1;
    for (std::size_t d = 0; d < rank; ++d) {
      const std::size_t size = detail::big_endian_u32(sizes.data() + 4 * d);
      if (size != 0 && value_count_ > std::numeric_limits<std::size_t>::max() / size)
        throw data_error(name_, "the dimensions multiply past the address space", 4 + 4 * d);
      value_count_ *= size;
      shape_.push_back(size);
    }
  }

  /// Reads up to `count` bytes (fewer only at the end of the content); a
  /// damaged gzip stream is a data_error at the offset where it went wrong.
  std::size_t read(std::uint8_t* into, std::size_t count) {
    std::size_t total = 0;
    while (total < count) {
      const auto wanted = static_cast<unsigned>(std::min<std::size_t>(count - total, 1u << 30));
      const int got = gzread(stream_.get(), into + total, wanted);
      if (got > 0) {
        total += static_cast<std::size_t>(got);
        position_ += static_cast<std::size_t>(got);
      }
      // A gzip stream cut short reads as a short file plus an error flag.
      int code = Z_OK;
      gzerror(stream_.get(), &code);
      if (got < 0 || (code != Z_OK && code != Z_STREAM_END))
        throw data_error(name_, "damaged gzip stream (" + zlib_problem() + ")", position_);
      if (static_cast<unsigned>(got) < wanted) break;
    }
    return total;
  }

  /// zlib's description of the stream's error, without the file name it prefixes.
  std::string zlib_problem() const {
    int code = Z_OK;
    std::string why = gzerror(stream_.get(), &code);
    if (why.starts_with(name_ + ": ")) why.erase(0, name_.size() + 2);
    return why;
  }

  std::string name_;
  std::unique_ptr<gzFile_s, detail::gz_closer> stream_;
  std::vector<std::size_t> shape_;
  std::size_t value_count_ = 0;  // the product of the shape: the bytes of data the header promises
  std::size_t position_ = 0;  // bytes of content read so far (decompressed, for gzip)
};

/// Reads a whole IDX file, raw or gzip.
inline idx_array read_idx(const std::filesystem::path& file) {
  idx_reader reader(file);
  std::vector<std::uint8_t> values = reader.read_values();
  return {reader.shape(), std::move(values)};
}

}  // namespace janus::data
