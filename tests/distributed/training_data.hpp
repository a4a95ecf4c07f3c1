// tests/distributed/training_data.hpp: what the distributed tests train on
// and compare: a random labelled set, and a model's parameter values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "janus/data.hpp"
#include "janus/nn.hpp"

namespace janus::testing {

/// `count` samples of `features` values, standard normal, with labels 0-9.
inline janus::data::labelled_set random_set(std::size_t count, std::size_t features, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  janus::data::labelled_set set;
  set.feature_count = features;
  set.sample_shape = {features};
  for (std::size_t i = 0; i < count * features; ++i) set.features.push_back(normal(generator));
  for (std::size_t i = 0; i < count; ++i) set.labels.push_back(static_cast<std::int64_t>(generator() % 10));
  return set;
}

/// Every parameter value of `model`, in the order of parameters().
template <class T>
std::vector<T> values(const janus::nn::module<T>& model) {
  std::vector<T> all;
  for (const auto& parameter : model.parameters()) {
    const auto v = parameter.to_vector();
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

}  // namespace janus::testing
