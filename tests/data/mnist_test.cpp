// MNIST loading: label/image files that disagree are refused, the search for
// the data folder, and (when JANUS_MNIST names the data set) the real files.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

#include "idx_files.hpp"
#include "janus/data/locate.hpp"
#include "janus/data/mnist.hpp"

using namespace janus::data;
using janus::data::testing::idx_bytes;
using janus::data::testing::scratch_dir;

namespace {

// A fake MNIST folder: `train` and `test` images of 2x2 pixels.
void write_fake_mnist(const scratch_dir& dir, std::uint32_t train, std::uint32_t test) {
  auto images = [](std::uint32_t n) {
    std::vector<std::uint8_t> pixels(n * 4);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 51 % 256);
    return idx_bytes({n, 2, 2}, pixels);
  };
  auto labels = [](std::uint32_t n) {
    std::vector<std::uint8_t> digits(n);
    for (std::size_t i = 0; i < n; ++i) digits[i] = static_cast<std::uint8_t>(i % 10);
    return idx_bytes({n}, digits);
  };
  dir.write("train-images-idx3-ubyte", images(train));
  dir.write_gzip("train-labels-idx1-ubyte.gz", labels(train));
  dir.write("t10k-images-idx3-ubyte", images(test));
  dir.write("t10k-labels-idx1-ubyte", labels(test));
}

// Sets an environment variable for one scope, then restores it.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~scoped_env() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(loads_a_small_set_scaled_to_unit_range) {
  scratch_dir dir;
  write_fake_mnist(dir, 6, 3);
  const mnist data = load_mnist(dir.path());
  BOOST_TEST(data.train.size() == 6u);
  BOOST_TEST(data.test.size() == 3u);
  BOOST_TEST(data.train.feature_count == 4u);
  BOOST_TEST(data.train.sample_shape == (std::vector<std::size_t>{2, 2}), boost::test_tools::per_element());
  BOOST_TEST(data.train.labels[3] == 3);
  BOOST_TEST(data.train.features[1] == 51.0f / 255.0f);
  BOOST_TEST(data.train.features[5] == 255.0f / 255.0f);
  BOOST_TEST(data.train.features[6] == 50.0f / 255.0f);  // 6 * 51 = 306 wraps to 50
}

BOOST_AUTO_TEST_CASE(limits_and_standardises) {
  scratch_dir dir;
  write_fake_mnist(dir, 10, 4);
  const mnist whole = load_mnist(dir.path(), {.standardise = true});
  double sum = 0, squares = 0;
  for (float p : whole.train.features) sum += p, squares += double{p} * p;
  const double n = static_cast<double>(whole.train.features.size());
  BOOST_TEST(sum / n == 0.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(squares / n == 1.0, boost::test_tools::tolerance(1e-5));
  const mnist data = load_mnist(dir.path(), {.standardise = true, .train_limit = 5, .test_limit = 2});
  BOOST_TEST(data.train.size() == 5u);
  BOOST_TEST(data.train.features.size() == 5u * 4);
  BOOST_TEST(data.test.size() == 2u);
  // The statistics are the whole training file's, whatever the limit.
  BOOST_TEST(data.mean == whole.mean);
  BOOST_TEST(data.stddev == whole.stddev);
  BOOST_TEST(data.train.features[7] == whole.train.features[7]);
  // The test set is shifted by the training statistics, not its own.
  BOOST_TEST(data.test.features[0] == (0.0f - data.mean) / data.stddev);
}

BOOST_AUTO_TEST_CASE(refuses_labels_that_disagree_with_images) {
  scratch_dir dir;
  write_fake_mnist(dir, 6, 3);
  dir.write("t10k-labels-idx1-ubyte", idx_bytes({4}, {1, 2, 3, 4}));
  try {
    load_mnist(dir.path());
    BOOST_FAIL("mismatched counts accepted");
  } catch (const data_error& error) {
    BOOST_TEST_MESSAGE(error.what());
    BOOST_TEST(error.file() == (dir.path() / "t10k-labels-idx1-ubyte").string());
    BOOST_TEST(std::string(error.what()).find("holds 4 labels but") != std::string::npos);
    BOOST_TEST(std::string(error.what()).find("holds 3 images") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(refuses_a_label_that_is_not_a_digit_and_a_wrong_rank) {
  scratch_dir dir;
  write_fake_mnist(dir, 3, 3);
  dir.write("t10k-labels-idx1-ubyte", idx_bytes({3}, {1, 12, 3}));
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, [](const data_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.offset() == 9u && std::string(e.what()).find("label 12") != std::string::npos;
  });
  dir.write("t10k-labels-idx1-ubyte", idx_bytes({3, 1}, {1, 2, 3}));
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, [](const data_error& e) {
    return std::string(e.what()).find("rank 2") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(names_the_missing_file) {
  scratch_dir dir;
  write_fake_mnist(dir, 3, 3);
  std::filesystem::remove(dir.path() / "t10k-images-idx3-ubyte");
  BOOST_TEST(!has_mnist(dir.path()));
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, [&](const data_error& e) {
    return e.file() == (dir.path() / "t10k-images-idx3-ubyte").string() &&
           std::string(e.what()).find("fetch-mnist.sh") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(looks_in_the_flag_then_the_environment_then_the_default) {
  scratch_dir flag, env, fallback, empty;
  write_fake_mnist(flag, 1, 1);
  write_fake_mnist(env, 1, 1);
  write_fake_mnist(fallback, 1, 1);
  {
    scoped_env set("JANUS_MNIST", env.path().c_str());
    BOOST_TEST(mnist_location(flag.path(), fallback.path()) == flag.path());
    BOOST_TEST(mnist_location(std::nullopt, fallback.path()) == env.path());
  }
  {
    scoped_env unset("JANUS_MNIST", nullptr);
    BOOST_TEST(mnist_location(std::nullopt, fallback.path()) == fallback.path());
    // A named folder without the data is an error, not a fall back to another.
    BOOST_CHECK_EXCEPTION(mnist_location(empty.path(), fallback.path()), data_error, [](const data_error& e) {
      BOOST_TEST_MESSAGE(e.what());
      return std::string(e.what()).find("--data") != std::string::npos &&
             std::string(e.what()).find("scripts/fetch-mnist.sh") != std::string::npos;
    });
  }
}

BOOST_AUTO_TEST_CASE(reads_the_real_data_set, *boost::unit_test::precondition(janus::data::testing::mnist_available)) {
  const mnist data = load_mnist(std::getenv("JANUS_MNIST"));
  BOOST_TEST(data.train.size() == 60000u);
  BOOST_TEST(data.test.size() == 10000u);
  BOOST_TEST(data.train.feature_count == 784u);
  const std::vector<std::int64_t> first_train(data.train.labels.begin(), data.train.labels.begin() + 6);
  const std::vector<std::int64_t> first_test(data.test.labels.begin(), data.test.labels.begin() + 6);
  BOOST_TEST(first_train == (std::vector<std::int64_t>{5, 0, 4, 1, 9, 2}), boost::test_tools::per_element());
  BOOST_TEST(first_test == (std::vector<std::int64_t>{7, 2, 1, 0, 4, 1}), boost::test_tools::per_element());
  std::array<int, 10> per_class{};
  for (std::int64_t label : data.train.labels) ++per_class[static_cast<std::size_t>(label)];
  const std::array<int, 10> expected = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
  BOOST_TEST(per_class == expected, boost::test_tools::per_element());
  float low = 1, high = 0;
  for (float p : data.train.features) low = std::min(low, p), high = std::max(high, p);
  BOOST_TEST(low == 0.0f);
  BOOST_TEST(high == 1.0f);
}
