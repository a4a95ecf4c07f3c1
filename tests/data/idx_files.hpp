// Helpers of the data tests: small IDX files written raw or gzip in a
// scratch folder removed afterwards, and the check that MNIST is at hand.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "janus/data/mnist.hpp"

namespace janus::data::testing {

/// The bytes of an unsigned-byte IDX file with the given shape and values.
inline std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& shape,
                                           const std::vector<std::uint8_t>& values) {
  std::vector<std::uint8_t> bytes = {0, 0, 0x08, static_cast<std::uint8_t>(shape.size())};
  for (std::uint32_t size : shape)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(size >> shift));
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

/// `bytes` as one gzip member, in memory. Members written one after another
/// make one gzip file, which is how a test builds a file that inflates to
/// gigabytes from a few megabytes without deflating gigabytes.
inline std::vector<std::uint8_t> gzip_bytes(const std::vector<std::uint8_t>& bytes) {
  z_stream stream{};
  BOOST_REQUIRE(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::vector<std::uint8_t> out(deflateBound(&stream, static_cast<uLong>(bytes.size())));
  stream.next_in = const_cast<Bytef*>(bytes.data());
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  BOOST_REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

/// A fresh folder under the system's temporary directory, removed on scope exit.
class scratch_dir {
 public:
  scratch_dir() {
    path_ = std::filesystem::temp_directory_path() /
            ("janus-data-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::string& name, const std::vector<std::uint8_t>& bytes) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return file;
  }

  std::filesystem::path write_gzip(const std::string& name, const std::vector<std::uint8_t>& bytes) const {
    const std::filesystem::path file = path_ / name;
    gzFile out = gzopen(file.string().c_str(), "wb");
    gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(out);
    return file;
  }

 private:
  static int& counter() {
    static int next = 0;
    return next;
  }
  std::filesystem::path path_;
};

/// A test precondition: JANUS_MNIST names a folder holding the data set.
/// Boost.Test reports a test skipped with this message when it does not.
inline boost::test_tools::assertion_result mnist_available(boost::unit_test::test_unit_id) {
  const char* where = std::getenv("JANUS_MNIST");
  boost::test_tools::assertion_result result(where != nullptr && janus::data::has_mnist(where));
  if (!result) result.message() << "JANUS_MNIST does not name a folder holding MNIST; test skipped";
  return result;
}

}  // namespace janus::data::testing
