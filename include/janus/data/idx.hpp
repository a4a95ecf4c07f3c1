// janus/data/idx.hpp: read_idx, the reader of IDX files (the format of MNIST),
// raw or gzip-compressed.
//
// An IDX file is a 4-byte magic number (two zero bytes, an element-type code,
// the rank), one big-endian 32-bit size per dimension, then the elements in
// row-major order. janus reads unsigned-byte files (type 0x08), the only type
// MNIST uses, and checks the header against the content's length before
// trusting it: a short, long or foreign file is a data_error, never a crash.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
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

/// zlib's description of a stream's error, without the file name it prefixes.
inline std::string gzip_problem(gzFile stream, const std::string& name) {
  int code = Z_OK;
  std::string why = gzerror(stream, &code);
  if (why.starts_with(name + ": ")) why.erase(0, name.size() + 2);
  return why;
}

/// The whole content of a file, decompressed when it is gzip. zlib's gz
/// functions read an uncompressed file as it is, so one path serves both.
inline std::vector<std::uint8_t> read_maybe_gzip(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw data_error(name, "no such file");
  gzFile stream = gzopen(name.c_str(), "rb");
  if (stream == nullptr) throw data_error(name, "cannot be opened");
  gzbuffer(stream, 1u << 18);
  std::vector<std::uint8_t> content;
  constexpr std::size_t chunk = 1u << 20;
  for (;;) {
    const std::size_t old_size = content.size();
    content.resize(old_size + chunk);
    const int got = gzread(stream, content.data() + old_size, static_cast<unsigned>(chunk));
    if (got < 0) {
      const std::string why = gzip_problem(stream, name);
      gzclose(stream);
      throw data_error(name, "damaged gzip stream (" + why + ")", old_size);
    }
    content.resize(old_size + static_cast<std::size_t>(got));
    if (static_cast<std::size_t>(got) < chunk) break;
  }
  // A gzip stream cut short reads as a short file plus an error flag.
  int code = Z_OK;
  gzerror(stream, &code);
  if (code != Z_OK && code != Z_STREAM_END) {
    const std::string why = gzip_problem(stream, name);
    gzclose(stream);
    throw data_error(name, "damaged gzip stream (" + why + ")", content.size());
  }
  gzclose(stream);
  return content;
}

inline std::uint32_t big_endian_u32(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

}  // namespace detail

/// Parses IDX content already in memory; `name` is what errors call it.
inline idx_array parse_idx(std::vector<std::uint8_t> bytes, const std::string& name) {
  if (bytes.size() < 4)
    throw data_error(name, "truncated: " + std::to_string(bytes.size()) +
                               " bytes, fewer than the 4 of an IDX magic number", bytes.size());
  if (bytes[0] != 0 || bytes[1] != 0)
    throw data_error(name, "wrong magic number: an IDX file starts with two zero bytes, this one with " +
                               detail::hex_byte(bytes[0]) + " " + detail::hex_byte(bytes[1]), 0);
  const unsigned type = bytes[2];
  const char* type_name = detail::idx_type_name(type);
  if (type_name == nullptr)
    throw data_error(name, "wrong magic number: element type " + detail::hex_byte(type) + " is not an IDX type", 2);
  if (type != 0x08)
    throw data_error(name, std::string("element type ") + type_name + " (" + detail::hex_byte(type) +
                               ") is not supported; janus reads unsigned bytes (0x08)", 2);
  const std::size_t rank = bytes[3];
  if (rank == 0) throw data_error(name, "rank 0: an IDX file has at least one dimension", 3);
  const std::size_t header = 4 + 4 * rank;
  if (bytes.size() < header)
    throw data_error(name, "truncated in the header: rank " + std::to_string(rank) + " needs " +
                               std::to_string(header) + " bytes, the file holds " + std::to_string(bytes.size()),
                     bytes.size());

  idx_array array;
  std::size_t count = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::size_t size = detail::big_endian_u32(bytes.data() + 4 + 4 * d);
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size)
      throw data_error(name, "the dimensions multiply past the address space", 4 + 4 * d);
    count *= size;
    array.shape.push_back(size);
  }
  const std::size_t data_bytes = bytes.size() - header;
  if (data_bytes < count)
    throw data_error(name, "truncated: the header promises " + std::to_string(count) + " bytes of data, the file holds " +
                               std::to_string(data_bytes), bytes.size());
  if (data_bytes > count)
    throw data_error(name, std::to_string(data_bytes - count) + " unexpected bytes after the " +
                               std::to_string(count) + " bytes of data the header promises", header + count);
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header));
  array.values = std::move(bytes);
  return array;
}

/// Reads an IDX file, raw or gzip (recognised by content, not by name).
inline idx_array read_idx(const std::filesystem::path& file) {
  return parse_idx(detail::read_maybe_gzip(file), file.string());
}

}  // namespace janus::data
