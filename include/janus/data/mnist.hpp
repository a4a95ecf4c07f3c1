// janus/data/mnist.hpp: load_mnist, the MNIST digits as pixels in [0,1] and
// integer labels, from the four IDX files (raw or gzip).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "janus/data/error.hpp"
#include "janus/data/idx.hpp"

namespace janus::data {

/// Rows of features with one class label each; row i is
/// features[i * feature_count, (i + 1) * feature_count).
struct labelled_set {
  std::vector<float> features;
  std::vector<std::int64_t> labels;
  std::size_t feature_count = 0;
  /// The shape of one sample before flattening (rows, columns for an image).
  std::vector<std::size_t> sample_shape;

  std::size_t size() const noexcept { return labels.size(); }
};

/// The training and test sets, and the shift and scale applied to the
/// pixels after dividing by 255 (0 and 1 unless standardised).
struct mnist {
  labelled_set train;
  labelled_set test;
  float mean = 0.0f;
  float stddev = 1.0f;
};

struct mnist_options {
  /// Shift and scale both sets by the mean and standard deviation of every
  /// pixel of the training file (whatever train_limit keeps), so the inputs
  /// are centred; the test set never informs them.
  bool standardise = false;
  /// Keep only the first so many images of each set; 0 keeps all.
  std::size_t train_limit = 0;
  std::size_t test_limit = 0;
};

/// The names of the four files, without the ".gz" they may carry.
inline constexpr const char* mnist_file_names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                                    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/// The path of one MNIST file in `dir`, raw or gzip; empty when neither exists.
inline std::filesystem::path find_mnist_file(const std::filesystem::path& dir, const std::string& name) {
  std::error_code ec;
  for (const std::string& candidate : {name, name + ".gz"})
    if (std::filesystem::is_regular_file(dir / candidate, ec)) return dir / candidate;
  return {};
}

/// True when `dir` holds all four files.
inline bool has_mnist(const std::filesystem::path& dir) {
  for (const char* name : mnist_file_names)
    if (find_mnist_file(dir, name).empty()) return false;
  return true;
}

/// The most pixels load_mnist accepts per image: each image becomes a row of
/// floats for a model's first layer, and at a million pixels a first layer of
/// 256 units already holds a gigabyte.
inline constexpr std::size_t max_image_pixels = std::size_t{1} << 20;

/// One set from an image file and its label file, which must agree. Both
/// headers are checked before any data is read.
inline labelled_set load_mnist_set(const std::filesystem::path& images_file, const std::filesystem::path& labels_file,
                                   std::size_t limit = 0) {
  idx_reader images(images_file);
  idx_reader labels(labels_file);
  const std::vector<std::size_t>& shape = images.shape();
  if (shape.size() != 3)
    throw data_error(images.name(), "rank " + std::to_string(shape.size()) +
                                        ": an image file has rank 3 (count, rows, columns)", 3);
  if (labels.shape().size() != 1)
    throw data_error(labels.name(), "rank " + std::to_string(labels.shape().size()) +
                                        ": a label file has rank 1 (count)", 3);
  if (shape[0] == 0) throw data_error(images.name(), "holds no images", 4);
  const std::string image_size = std::to_string(shape[1]) + "x" + std::to_string(shape[2]);
  if (shape[1] == 0 || shape[2] == 0)
    throw data_error(images.name(), "images of " + image_size + " pixels: an image needs at least one", 8);
  if (shape[1] > max_image_pixels / shape[2])
    throw data_error(images.name(), "images of " + image_size + " pixels, more than the " +
                                        std::to_string(max_image_pixels) + " pixels per image load_mnist accepts", 8);
  if (shape[0] != labels.shape()[0])
    throw data_error(labels.name(), "holds " + std::to_string(labels.shape()[0]) + " labels but " + images.name() +
                                        " holds " + std::to_string(shape[0]) + " images", 4);
  const std::vector<std::uint8_t> pixels = images.read_values();
  const std::vector<std::uint8_t> digits = labels.read_values();
  const std::size_t count = limit == 0 ? shape[0] : std::min(limit, shape[0]);
  labelled_set set;
  set.feature_count = shape[1] * shape[2];
  set.sample_shape = {shape[1], shape[2]};
  set.labels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t label = digits[i];
    if (label > 9) throw data_error(labels.name(), "label " + std::to_string(label) + " is not a digit 0-9", 8 + i);
    set.labels.push_back(label);
  }
  set.features.resize(count * set.feature_count);
  for (std::size_t i = 0; i < set.features.size(); ++i) set.features[i] = static_cast<float>(pixels[i]) / 255.0f;
  return set;
}

/// MNIST from a folder holding the four files.
inline mnist load_mnist(const std::filesystem::path& dir, const mnist_options& options = {}) {
  std::filesystem::path files[4];
  for (int i = 0; i < 4; ++i) {
    files[i] = find_mnist_file(dir, mnist_file_names[i]);
    if (files[i].empty())
      throw data_error((dir / mnist_file_names[i]).string(), "no such file (raw or .gz); scripts/fetch-mnist.sh fetches MNIST");
  }
  mnist data;
  data.train = load_mnist_set(files[0], files[1]);
  data.test = load_mnist_set(files[2], files[3], options.test_limit);
  if (data.test.sample_shape != data.train.sample_shape)
    throw data_error(files[2].string(), "images of another size than those of " + files[0].string(), 8);
  if (options.standardise && !data.train.features.empty()) {
    double sum = 0.0, sum_squares = 0.0;
    for (float p : data.train.features) {
      sum += p;
      sum_squares += double{p} * p;
    }
    const double n = static_cast<double>(data.train.features.size());
    const double mean = sum / n;
    const double variance = sum_squares / n - mean * mean;
    data.mean = static_cast<float>(mean);
    // Images of one constant colour have no spread to divide by.
    data.stddev = variance > 0 ? static_cast<float>(std::sqrt(variance)) : 1.0f;
    for (labelled_set* set : {&data.train, &data.test})
      for (float& p : set->features) p = (p - data.mean) / data.stddev;
  }
  // Cut after the statistics, so that they never depend on the limit.
  if (options.train_limit != 0 && options.train_limit < data.train.size()) {
    data.train.labels.resize(options.train_limit);
    data.train.features.resize(options.train_limit * data.train.feature_count);
  }
  return data;
}

}  // namespace janus::data
