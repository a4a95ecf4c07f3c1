// janus/nn/mlp.hpp: mlp, a multi-layer perceptron from a list of sizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "janus/nn/activation.hpp"
#include "janus/nn/linear.hpp"
#include "janus/nn/sequential.hpp"

namespace janus::nn {

enum class activation { relu, tanh, sigmoid };

/// {784, 256, 256, 10}: linear layers 784->256->256->10 with the activation
/// between them and none after the last, which gives logits. Parameters are
/// named like the sequential's: "0.weight", "0.bias", "2.weight", ...
template <class T = float>
class mlp : public sequential<T> {
 public:
  mlp(const std::vector<std::size_t>& sizes, std::uint64_t seed, activation between = activation::relu)
      : sizes_(sizes) {
    if (sizes.size() < 2) throw std::invalid_argument("janus::nn::mlp: needs at least an input and an output size");
    std::mt19937_64 generator(seed);
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
      this->template add<linear>(sizes[i], sizes[i + 1], generator);
      if (i + 2 == sizes.size()) break;
      switch (between) {
        case activation::relu: this->template add<relu>(); break;
        case activation::tanh: this->template add<tanh>(); break;
        case activation::sigmoid: this->template add<sigmoid>(); break;
      }
    }
  }

  const std::vector<std::size_t>& sizes() const noexcept { return sizes_; }

 private:
  std::vector<std::size_t> sizes_;
};

}  // namespace janus::nn
