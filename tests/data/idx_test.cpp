// The IDX reader on small files written here: good ones (raw and gzip) and
// every kind of damage, each refused with the file, the offset and the cause.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

#include "idx_files.hpp"
#include "janus/data/idx.hpp"

using janus::data::data_error;
using janus::data::read_idx;
using janus::data::testing::idx_bytes;
using janus::data::testing::scratch_dir;

namespace {

// Runs read_idx, expecting a refusal whose message holds every fragment.
void expect_refusal(const std::filesystem::path& file, std::optional<std::uint64_t> offset,
                    std::initializer_list<std::string> fragments) {
  try {
    read_idx(file);
    BOOST_FAIL("read_idx accepted " << file);
  } catch (const data_error& error) {
    const std::string message = error.what();
    BOOST_TEST_MESSAGE(message);
    BOOST_TEST(error.file() == file.string());
    BOOST_TEST(message.find(file.string()) != std::string::npos);
    BOOST_TEST((error.offset() == offset), "offset " << error.offset().value_or(-1) << " in: " << message);
    for (const std::string& fragment : fragments)
      BOOST_TEST(message.find(fragment) != std::string::npos, "'" << fragment << "' missing from: " << message);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_a_raw_file) {
  scratch_dir dir;
  const auto file = dir.write("images", idx_bytes({2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}));
  const auto array = read_idx(file);
  BOOST_TEST(array.shape == (std::vector<std::size_t>{2, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(array.values.size() == 12u);
  BOOST_TEST(array.values[5] == 5);
  BOOST_TEST(array.values[11] == 255);
}

BOOST_AUTO_TEST_CASE(reads_a_gzip_file_the_same) {
  scratch_dir dir;
  const std::vector<std::uint8_t> values = {9, 8, 7, 6, 5};
  const auto array = read_idx(dir.write_gzip("labels.gz", idx_bytes({5}, values)));
  BOOST_TEST(array.shape == (std::vector<std::size_t>{5}), boost::test_tools::per_element());
  BOOST_TEST(array.values == values, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reads_a_file_larger_than_one_read_chunk) {
  scratch_dir dir;
  std::vector<std::uint8_t> values(3u << 20);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::uint8_t>(i * 7 % 251);
  const auto array = read_idx(dir.write_gzip("big.gz", idx_bytes({3, 1024, 1024}, values)));
  BOOST_TEST(array.values.size() == values.size());
  BOOST_TEST((array.values == values));
}

BOOST_AUTO_TEST_CASE(refuses_a_missing_file) {
  scratch_dir dir;
  expect_refusal(dir.path() / "absent", std::nullopt, {"no such file"});
}

BOOST_AUTO_TEST_CASE(refuses_truncated_data) {
  scratch_dir dir;
  auto bytes = idx_bytes({4, 3}, std::vector<std::uint8_t>(12, 1));
  bytes.resize(bytes.size() - 5);  // 12 + 4 + 8 bytes, cut to 19
  expect_refusal(dir.write("short", bytes), 19, {"truncated", "promises 12 bytes", "holds 7"});
  expect_refusal(dir.write_gzip("short.gz", bytes), 19, {"truncated", "promises 12 bytes"});
}

BOOST_AUTO_TEST_CASE(refuses_a_truncated_header) {
  scratch_dir dir;
  auto bytes = idx_bytes({4, 3, 2}, std::vector<std::uint8_t>(24, 1));
  bytes.resize(10);
  expect_refusal(dir.write("header", bytes), 10, {"truncated in the header", "needs 16 bytes"});
  expect_refusal(dir.write("tiny", {0, 0}), 2, {"truncated", "magic"});
  expect_refusal(dir.write("empty", {}), 0, {"truncated"});
}

BOOST_AUTO_TEST_CASE(refuses_a_wrong_magic_number) {
  scratch_dir dir;
  auto bytes = idx_bytes({3}, {1, 2, 3});
  bytes[0] = 0x1F;
  expect_refusal(dir.write("magic", bytes), 0, {"wrong magic number", "0x1F"});
  bytes = idx_bytes({3}, {1, 2, 3});
  bytes[2] = 0x42;
  expect_refusal(dir.write("type", bytes), 2, {"wrong magic number", "0x42"});
  bytes[2] = 0x0D;
  expect_refusal(dir.write("float", bytes), 2, {"32-bit float", "not supported"});
  bytes[2] = 0x08;
  bytes[3] = 0;
  expect_refusal(dir.write("rank", bytes), 3, {"rank 0"});
}

BOOST_AUTO_TEST_CASE(refuses_trailing_bytes) {
  scratch_dir dir;
  auto bytes = idx_bytes({2}, {1, 2});
  bytes.push_back(3);
  expect_refusal(dir.write("long", bytes), 10, {"unexpected bytes after the 2 bytes of data"});
}

BOOST_AUTO_TEST_CASE(refuses_a_damaged_gzip_stream) {
  scratch_dir dir;
  std::vector<std::uint8_t> values(100000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::uint8_t>(i * 31 % 253);
  const auto good = dir.write_gzip("good.gz", idx_bytes({100000}, values));
  std::ifstream in(good, std::ios::binary);
  std::vector<std::uint8_t> compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Cut the stream in the middle: zlib reports an unexpected end of file.
  std::vector<std::uint8_t> cut(compressed.begin(), compressed.begin() + static_cast<long>(compressed.size() / 2));
  const auto cut_file = dir.write("cut.gz", cut);
  BOOST_CHECK_EXCEPTION(read_idx(cut_file), data_error, [&](const data_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.file() == cut_file.string() && std::string(e.what()).find("gzip") != std::string::npos;
  });
  // Flip bytes in the middle of the deflate data: a data error, or a CRC mismatch.
  std::vector<std::uint8_t> flipped = compressed;
  for (std::size_t i = 40; i < 60; ++i) flipped[i] ^= 0xA5;
  const auto flipped_file = dir.write("flipped.gz", flipped);
  BOOST_CHECK_EXCEPTION(read_idx(flipped_file), data_error, [&](const data_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.file() == flipped_file.string();
  });
}
