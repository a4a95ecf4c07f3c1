// janus/nn/sequential.hpp: sequential, modules applied one after another.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "janus/nn/module.hpp"

namespace janus::nn {

/// Owns its layers; layer i's parameters are named "i.weight", "i.bias"
/// (PyTorch's names for the same network).
template <class T = float>
class sequential : public module<T> {
 public:
  sequential() = default;

  /// Appends a layer built in place; returns it, to keep a typed handle.
  template <template <class> class Layer, class... Args>
  Layer<T>& add(Args&&... args) {
    auto layer = std::make_unique<Layer<T>>(std::forward<Args>(args)...);
    Layer<T>& handle = *layer;
    layers_.push_back(std::move(layer));
    return handle;
  }

  basic_tensor<T> forward(const basic_tensor<T>& input) override {
    basic_tensor<T> x = input;
    for (auto& layer : layers_) x = layer->forward(x);
    return x;
  }

  void collect_parameters(const std::string& prefix, std::vector<named_parameter<T>>& out) const override {
    for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->collect_parameters(prefix + std::to_string(i) + ".", out);
  }

  std::size_t size() const noexcept { return layers_.size(); }
  module<T>& operator[](std::size_t i) { return *layers_.at(i); }

 private:
  std::vector<std::unique_ptr<module<T>>> layers_;
};

}  // namespace janus::nn
