// janus/data/batches.hpp: batches, a labelled set cut into mini-batches in a
// seeded random order, the last short batch included; a batch's share for
// one of several processes, and the shuffle position a checkpoint keeps.
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

/// Where a sequence of shuffles stands: the seed and how many orders have
/// been drawn from it. Each order permutes the one before, so this pair, not
/// the last order alone, is what a resumed run needs.
struct shuffle_position {
  std::uint64_t seed = 0;
  std::uint64_t shuffles = 0;
};

/// Visits a set in batches. shuffle() draws a new order from the generator
/// seeded at construction, so the same seed gives the same batches in the
/// same order, epoch after epoch, on every platform (the shuffle is written
/// out here rather than left to std::shuffle, whose algorithm is unspecified).
template <class T = float>
class batches {
 public:
  batches(const labelled_set& set, std::size_t batch_size, std::uint64_t seed)
      : set_(&set), batch_size_(batch_size), order_(set.size()) {
    if (batch_size == 0) throw std::invalid_argument("janus::data::batches: the batch size must be positive");
    restore({seed, 0});
  }

  /// A new random order for the next epoch (Fisher-Yates).
  void shuffle() {
    for (std::size_t i = order_.size(); i > 1; --i) {
      // 64 random bits modulo at most a few million: the bias is below 1e-12.
      const std::size_t j = static_cast<std::size_t>(generator_() % i);
      std::swap(order_[i - 1], order_[j]);
    }
    ++position_.shuffles;
  }

  /// The seed and the number of shuffles so far.
  const shuffle_position& position() const noexcept { return position_; }

  /// Returns to `position` by drawing its shuffles again from the seed: the
  /// same order and the same generator state as the run that reached it.
  void restore(const shuffle_position& position) {
    generator_.seed(position.seed);
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    position_ = {position.seed, 0};
    while (position_.shuffles < position.shuffles) shuffle();
  }

  /// The number of batches, the last one possibly short. (Rounding up by
  /// adding batch_size - 1 first would overflow for the largest sizes.)
  std::size_t size() const noexcept { return order_.size() / batch_size_ + (order_.size() % batch_size_ != 0); }
  std::size_t batch_size() const noexcept { return batch_size_; }

  /// Batch `index` of the current order.
  batch<T> operator[](std::size_t index) const { return shard(index, 0, 1); }

  /// Part `part` of `parts` of batch `index`, for data-parallel training:
  /// the batch's rows cut into `parts` consecutive runs whose sizes differ
  /// by at most one, so that the parts of every process, each drawing the
  /// same order from the same seed, make up the whole batch. A part may be
  /// empty when the batch has fewer rows than parts.
  batch<T> shard(std::size_t index, std::size_t part, std::size_t parts) const {
    if (index >= size()) throw std::out_of_range("janus::data::batches: batch index out of range");
    if (part >= parts) throw std::out_of_range("janus::data::batches: part out of range");
    const std::size_t start = index * batch_size_;
    const std::size_t batch_rows = std::min(batch_size_, order_.size() - start);
    const std::size_t first = start + part_begin(batch_rows, part, parts);
    const std::size_t rows = part_begin(batch_rows, part + 1, parts) - part_begin(batch_rows, part, parts);
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
  // The first row of part `part` of `rows`: rows * part / parts, computed
  // without the product, which could overflow for the largest sizes.
  static std::size_t part_begin(std::size_t rows, std::size_t part, std::size_t parts) {
    return rows / parts * part + rows % parts * part / parts;
  }

  const labelled_set* set_;
  std::size_t batch_size_;
  std::mt19937_64 generator_;
  std::vector<std::size_t> order_;
  shuffle_position position_;
};

}  // namespace janus::data
