// janus/nn/module.hpp: module, the base of the layers: a forward function
// and named parameters.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "janus/tensor.hpp"

namespace janus::nn {

/// A parameter and its dotted name ("0.weight" is the weight of a
/// Sequential's first layer), the name a checkpoint file stores.
template <class T>
struct named_parameter {
  std::string name;
  basic_tensor<T> tensor;
};

/// A layer or a network of layers. Parameters are tensor handles: the
/// tensors returned by parameters() share storage with the module, which is
/// what optimisers update.
template <class T = float>
class module {
 public:
  virtual ~module() = default;

  virtual basic_tensor<T> forward(const basic_tensor<T>& input) = 0;
  basic_tensor<T> operator()(const basic_tensor<T>& input) { return forward(input); }

  /// Every parameter with its name, in a fixed order.
  std::vector<named_parameter<T>> named_parameters() const {
    std::vector<named_parameter<T>> out;
    collect_parameters("", out);
    return out;
  }

  /// Every parameter, in the order of named_parameters() (for an optimiser).
  std::vector<basic_tensor<T>> parameters() const {
    std::vector<basic_tensor<T>> out;
    for (auto& named : named_parameters()) out.push_back(named.tensor);
    return out;
  }

  /// The number of trainable values.
  std::size_t parameter_count() const {
    std::size_t count = 0;
    for (const auto& named : named_parameters()) count += named.tensor.numel();
    return count;
  }

  void zero_grad() {
    for (auto& named : named_parameters()) named.tensor.zero_grad();
  }

  /// Appends this module's parameters, their names prefixed by `prefix`.
  /// A layer without parameters keeps this default.
  virtual void collect_parameters(const std::string& /*prefix*/, std::vector<named_parameter<T>>& /*out*/) const {}

 protected:
  module() = default;
  module(const module&) = default;
  module& operator=(const module&) = default;
};

}  // namespace janus::nn
