// Checkpoints a hostile or careless user hands to load(): NaN or infinite
// values, a directory, a missing file. Each is a data_error naming the file
// and the problem, and the model keeps the values it had.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "janus/nn.hpp"

using janus::data::data_error;
namespace nn = janus::nn;

namespace {

// A scratch folder in the system's temporary folder, removed afterwards.
struct scratch_folder {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("janus-checkpoint-hardening-" + std::to_string(::getpid()) + "-" + std::to_string(next()++));
  scratch_folder() { std::filesystem::create_directories(path); }
  ~scratch_folder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  static int& next() {
    static int n = 0;
    return n;
  }
};

template <class T>
std::vector<T> all_values(const nn::module<T>& model) {
  std::vector<T> values;
  for (const auto& p : model.parameters()) {
    const auto v = p.to_vector();
    values.insert(values.end(), v.begin(), v.end());
  }
  return values;
}

// load() must refuse `file` with a data_error naming it, at `offset` when
// one is given, with every fragment in the message, and leave `model` as it was.
template <class T>
void expect_refusal(nn::module<T>& model, const std::filesystem::path& file, std::optional<std::uint64_t> offset,
                    std::initializer_list<std::string> fragments) {
  const auto before = all_values(model);
  BOOST_CHECK_EXCEPTION(nn::load(model, file), data_error, [&](const data_error& error) {
    BOOST_TEST_MESSAGE(error.what());
    bool all = error.file() == file.string() && std::string(error.what()).find(file.string()) == 0;
    if (offset) all = all && error.offset() == offset;
    for (const std::string& fragment : fragments)
      all = all && std::string(error.what()).find(fragment) != std::string::npos;
    return all;
  });
  BOOST_TEST(all_values(model) == before, boost::test_tools::per_element());
}

// The offset of value `index` of parameter "2.weight" in a checkpoint of an
// mlp({3, 4, 2}): header, then 0.weight (12 values), 0.bias (4), 2.weight.
template <class T>
std::uint64_t offset_of_second_weight(std::size_t index) {
  const std::uint64_t header = 8 + 12 + (4 + 8 + 4 + 16) + (4 + 6 + 4 + 8) + (4 + 8 + 4 + 16) + (4 + 6 + 4 + 8);
  return header + (12 + 4 + index) * sizeof(T);
}

template <class T>
void refuses_a_value(T bad, const std::string& fragment) {
  scratch_folder folder;
  const auto file = folder.path / "diverged.janus";
  nn::mlp<T> trained({3, 4, 2}, 1);
  auto weight = trained.named_parameters()[2].tensor;
  BOOST_TEST_REQUIRE(trained.named_parameters()[2].name == "2.weight");
  weight.data()[5] = bad;
  nn::save(trained, file);  // a valid file, checksum and all
  nn::mlp<T> model({3, 4, 2}, 2);
  expect_refusal(model, file, offset_of_second_weight<T>(5),
                 {"parameter '2.weight' holds " + fragment + " at index 5"});
}

}  // namespace

BOOST_AUTO_TEST_CASE(refuses_nan_and_infinite_values) {
  refuses_a_value<float>(std::numeric_limits<float>::quiet_NaN(), "NaN");
  refuses_a_value<float>(std::numeric_limits<float>::infinity(), "an infinite value");
  refuses_a_value<float>(-std::numeric_limits<float>::infinity(), "an infinite value");
  refuses_a_value<double>(std::numeric_limits<double>::quiet_NaN(), "NaN");
  refuses_a_value<double>(-std::numeric_limits<double>::infinity(), "an infinite value");
}

BOOST_AUTO_TEST_CASE(still_loads_the_extremes_of_the_finite_range) {
  scratch_folder folder;
  const auto file = folder.path / "extremes.janus";
  nn::mlp<float> saved({3, 4, 2}, 1);
  auto weight = saved.named_parameters()[0].tensor;
  weight.data()[0] = std::numeric_limits<float>::max();
  weight.data()[1] = -std::numeric_limits<float>::max();
  weight.data()[2] = std::numeric_limits<float>::denorm_min();
  nn::save(saved, file);
  nn::mlp<float> loaded({3, 4, 2}, 2);
  nn::load(loaded, file);
  BOOST_TEST(all_values(loaded) == all_values(saved), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_a_directory_by_name) {
  scratch_folder folder;
  nn::mlp<float> model({3, 4, 2}, 1);
  expect_refusal(model, folder.path, std::nullopt, {"a directory, not a checkpoint file"});
}

BOOST_AUTO_TEST_CASE(refuses_a_missing_file_by_name) {
  scratch_folder folder;
  nn::mlp<float> model({3, 4, 2}, 1);
  expect_refusal(model, folder.path / "absent.janus", std::nullopt, {"no such file"});
}
