// janus/data/batches.hpp: batches, a labelled set cut into mini-batches in a
// seeded random order, the last short batch included.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "janus/data/mnist.hpp"
#include "janus/tensor.hpp"

namespace janus::data {

/// One mini-batch: features (rows, feature_count), no gradient, and labels.
template <class T = float>
struct batch {
  basic_tensor<T> features;
  std::vector<std::int64_t> labels;
};

/// Visits a set in batches. shuffle() draws a new order from the generator
/// seeded at construction, so the same seed gives the same batches in the
/// same order, epoch after epoch, on every platform (the shuffle is written
/// out here rather than left to std::shuffle, whose algorithm is unspecified).
template <class T = float>
class batches {
 public:
  batches(const labelled_set& set, std::size_t batch_size, std::uint64_t seed)
      : set_(&set), batch_size_(batch_size), generator_(seed), order_(set.size()) {
    if (batch_size == 0) throw std::invalid_argument("janus::data::batches: the batch size must be positive");
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  }

  /// A new random order for the next epoch (Fisher-Yates).
  void shuffle() {
    for (std::size_t i = order_.size(); i > 1; --i) {
      // 64 random bits modulo at most a few million: the bias is below 1e-12.
      const std::size_t j = static_cast<std::size_t>(generator_() % i);
      std::swap(order_[i - 1], order_[j]);
    }
  }

  /// The number of batches, the last one possibly short. (Rounding up by
  /// adding batch_size - 1 first would overflow for the largest sizes.)
  std::size_t size() const noexcept { return order_.size() / batch_size_ + (order_.size() % batch_size_ != 0); }
  std::size_t batch_size() const noexcept { return batch_size_; }

  /// Batch `index` of the current order.
  batch<T> operator[](std::size_t index) const {
    if (index >= size()) throw std::out_of_range("janus::data::batches: batch index out of range");
    const std::size_t first = index * batch_size_;
    const std::size_t rows = std::min(batch_size_, order_.size() - first);
    const std::size_t width = set_->feature_count;
    batch<T> out{basic_tensor<T>::zeros({rows, width}), std::vector<std::int64_t>(rows)};
    T* values = out.features.data();
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t sample = order_[first + r];
      const float* source = set_->features.data() + sample * width;
      std::copy(source, source + width, values + r * width);
      out.labels[r] = set_->labels[sample];
    }
    return out;
  }

  /// The current order of the samples (indices into the set).
  const std::vector<std::size_t>& order() const noexcept { return order_; }

 private:
  const labelled_set* set_;
  std::size_t batch_size_;
  std::mt19937_64 generator_;
  std::vector<std::size_t> order_;
};

}  // namespace janus::data
