// Checkpoints: a saved model loads back exactly; a file of another model, a
// damaged, truncated or foreign file is refused, leaving the model untouched.
#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <iterator>
#include <string>

#include "janus/nn.hpp"

using janus::data::data_error;
namespace nn = janus::nn;

namespace {

// A checkpoint path in the system's temporary folder, removed afterwards.
struct temporary_file {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("janus-checkpoint-test-" + std::to_string(::getpid()) + "-" + std::to_string(next()++));
  ~temporary_file() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  static int& next() {
    static int n = 0;
    return n;
  }
};

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<float> all_values(const nn::module<float>& model) {
  std::vector<float> values;
  for (const auto& p : model.parameters()) {
    const auto v = p.to_vector();
    values.insert(values.end(), v.begin(), v.end());
  }
  return values;
}

// Expects load() to refuse the file with a message holding `fragment`, and
// the model's values to be those it had before.
void expect_refusal(nn::module<float>& model, const std::filesystem::path& file, const std::string& fragment) {
  const auto before = all_values(model);
  try {
    nn::load(model, file);
    BOOST_FAIL("load accepted a bad checkpoint");
  } catch (const data_error& error) {
    BOOST_TEST_MESSAGE(error.what());
    BOOST_TEST(error.file() == file.string());
    BOOST_TEST(std::string(error.what()).find(fragment) != std::string::npos,
               "'" << fragment << "' missing from: " << error.what());
  }
  BOOST_TEST(all_values(model) == before, boost::test_tools::per_element());
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trip_restores_every_value) {
  temporary_file file;
  nn::mlp<float> saved({6, 5, 3}, 11);
  nn::mlp<float> loaded({6, 5, 3}, 12);
  BOOST_TEST(all_values(saved) != all_values(loaded));
  nn::save(saved, file.path);
  // magic 8 + version, element size, count 12 + names and shapes + 53 values + crc 4
  const std::size_t header = 8 + 12 + (4 + 8 + 4 + 16) + (4 + 6 + 4 + 8) + (4 + 8 + 4 + 16) + (4 + 6 + 4 + 8);
  BOOST_TEST(std::filesystem::file_size(file.path) == header + (6 * 5 + 5 + 5 * 3 + 3) * 4 + 4);
  nn::load(loaded, file.path);
  BOOST_TEST(all_values(loaded) == all_values(saved), boost::test_tools::per_element());
  // Loaded parameters are still the ones the model computes with.
  const janus::Tensor x({1, 6}, {1, 2, 3, 4, 5, 6});
  BOOST_TEST(loaded(x).to_vector() == saved(x).to_vector(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_another_model) {
  temporary_file file;
  nn::save(nn::mlp<float>({6, 5, 3}, 1), file.path);
  nn::mlp<float> wider({6, 7, 3}, 1);
  expect_refusal(wider, file.path, "holds parameter '0.weight' of shape (5, 6) where the model has '0.weight' of shape (7, 6)");
  nn::mlp<float> deeper({6, 5, 5, 3}, 1);
  expect_refusal(deeper, file.path, "holds 4 parameters, the model has 6");
  nn::mlp<double> in_double({6, 5, 3}, 1);
  BOOST_CHECK_EXCEPTION(nn::load(in_double, file.path), data_error, [](const data_error& e) {
    return std::string(e.what()).find("4-byte values, the model has 8-byte") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(refuses_a_damaged_file) {
  temporary_file file;
  nn::mlp<float> model({6, 5, 3}, 1);
  nn::save(model, file.path);
  auto bytes = read_bytes(file.path);
  bytes[bytes.size() / 2] ^= 0x10;  // one bit in the values
  write_bytes(file.path, bytes);
  expect_refusal(model, file.path, "damaged: the checksum does not match");
}

BOOST_AUTO_TEST_CASE(refuses_another_version) {
  temporary_file file;
  nn::mlp<float> model({6, 5, 3}, 1);
  nn::save(model, file.path);
  auto bytes = read_bytes(file.path);
  bytes[8] = 2;  // the version, right after the magic; then a valid checksum
  const std::size_t body = bytes.size() - 4;
  const auto crc = crc32(0L, bytes.data(), static_cast<uInt>(body));
  for (std::size_t i = 0; i < 4; ++i) bytes[body + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  write_bytes(file.path, bytes);
  expect_refusal(model, file.path, "byte 8: version 2, this janus reads version 1");
}

BOOST_AUTO_TEST_CASE(refuses_a_truncated_file) {
  temporary_file file;
  nn::mlp<float> model({6, 5, 3}, 1);
  nn::save(model, file.path);
  auto bytes = read_bytes(file.path);
  bytes.resize(bytes.size() - 30);
  write_bytes(file.path, bytes);
  // The checksum is read from where the end now is, so the cut shows there.
  expect_refusal(model, file.path, "damaged");
  bytes.resize(10);
  write_bytes(file.path, bytes);
  expect_refusal(model, file.path, "truncated");
}

BOOST_AUTO_TEST_CASE(refuses_a_file_that_is_not_a_checkpoint) {
  temporary_file file;
  nn::mlp<float> model({6, 5, 3}, 1);
  write_bytes(file.path, {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3});
  expect_refusal(model, file.path, "not a janus checkpoint");
  const std::filesystem::path absent = file.path.string() + "-absent";
  BOOST_CHECK_EXCEPTION(nn::load(model, absent), data_error,
                        [](const data_error& e) { return std::string(e.what()).find("cannot be opened") != std::string::npos; });
}
