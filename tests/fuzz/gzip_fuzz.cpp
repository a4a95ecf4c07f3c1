// Fuzz target: the gzip path of read_idx against its raw path. The input is
// two control bytes and an IDX content; the content is written raw and
// gzip-compressed (at the level and in the number of gzip members the
// control bytes choose), and both files must give the same result: the same
// shape and values, or a data_error with the same problem at the same
// offset (offsets count decompressed bytes).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "janus/data/idx.hpp"
#include "memory_file.hpp"

namespace {

// `bytes` as one gzip member at compression `level`.
void append_gzip_member(std::vector<std::uint8_t>& out, const std::uint8_t* bytes, std::size_t size, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::vector<std::uint8_t> member(deflateBound(&stream, static_cast<uLong>(size)));
  stream.next_in = const_cast<Bytef*>(bytes);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = member.data();
  stream.avail_out = static_cast<uInt>(member.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) std::abort();
  out.insert(out.end(), member.begin(), member.begin() + static_cast<std::ptrdiff_t>(stream.total_out));
  deflateEnd(&stream);
}

// What read_idx made of a file: the array, or the problem and its offset.
struct outcome {
  std::optional<janus::data::idx_array> array;
  std::string problem;
  std::optional<std::uint64_t> offset;
};

outcome read(const std::filesystem::path& path) {
  try {
    return {janus::data::read_idx(path), {}, {}};
  } catch (const janus::data::data_error& error) {
    if (error.file() != path.string()) janus::fuzz::violated("a data_error that does not name the file");
    return {std::nullopt, error.problem(), error.offset()};
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static janus::fuzz::memory_file raw_file, gzip_file;
  const std::size_t members = 1 + data[0] % 3;
  const int level = data[1] % 10;
  const std::uint8_t* content = data + 2;
  const std::size_t length = size - 2;
  // A content of gzip's own magic would be read as gzip in the raw file.
  if (length >= 2 && content[0] == 0x1F && content[1] == 0x8B) return 0;

  std::vector<std::uint8_t> compressed;
  for (std::size_t m = 0; m < members; ++m) {
    const std::size_t begin = length * m / members, end = length * (m + 1) / members;
    append_gzip_member(compressed, content + begin, end - begin, level);
  }
  const outcome raw = read(raw_file.hold(content, length));
  const outcome gzip = read(gzip_file.hold(compressed.data(), compressed.size()));
  if (raw.array.has_value() != gzip.array.has_value()) janus::fuzz::violated("one file read, the other refused");
  if (raw.array && (raw.array->shape != gzip.array->shape || raw.array->values != gzip.array->values))
    janus::fuzz::violated("the gzip file read differently from the raw one");
  if (!raw.array && (raw.problem != gzip.problem || raw.offset != gzip.offset))
    janus::fuzz::violated("the gzip file refused differently from the raw one");
  return 0;
}
