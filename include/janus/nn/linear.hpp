// janus/nn/linear.hpp: linear, the fully connected layer y = x W^T + b.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "janus/nn/init.hpp"
#include "janus/nn/module.hpp"
#include "janus/tensor.hpp"

namespace janus::nn {

/// Weight (out, in) and bias (out), both drawn uniformly from
/// [-1/sqrt(in), 1/sqrt(in)] (PyTorch's default), so a layer's outputs keep
/// the scale of its inputs whatever its width. The input is (batch, in).
template <class T = float>
class linear : public module<T> {
 public:
  /// `generator` is advanced: layers built from one generator in turn get
  /// different values, and the same seed gives the same network.
  linear(std::size_t in_features, std::size_t out_features, std::mt19937_64& generator) {
    if (in_features == 0 || out_features == 0)
      throw std::invalid_argument("janus::nn::linear: in_features and out_features must be positive");
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    weight_ = uniform_parameter<T>({out_features, in_features}, bound, generator);
    bias_ = uniform_parameter<T>({out_features}, bound, generator);
  }

  /// The given weight (out, in) and bias (out); they must require gradients.
  linear(basic_tensor<T> weight, basic_tensor<T> bias) : weight_(std::move(weight)), bias_(std::move(bias)) {}

  basic_tensor<T> forward(const basic_tensor<T>& input) override { return janus::linear(input, weight_, bias_); }

  void collect_parameters(const std::string& prefix, std::vector<named_parameter<T>>& out) const override {
    out.push_back({prefix + "weight", weight_});
    out.push_back({prefix + "bias", bias_});
  }

  const basic_tensor<T>& weight() const noexcept { return weight_; }
  const basic_tensor<T>& bias() const noexcept { return bias_; }
  std::size_t in_features() const { return weight_.shape()[1]; }
  std::size_t out_features() const { return weight_.shape()[0]; }

 private:
  basic_tensor<T> weight_;
  basic_tensor<T> bias_;
};

}  // namespace janus::nn
