// janus/nn/activation.hpp: relu, tanh and sigmoid as layers, for sequential.
#pragma once

#include "janus/nn/module.hpp"
#include "janus/tensor.hpp"

namespace janus::nn {

template <class T = float>
class relu : public module<T> {
 public:
  basic_tensor<T> forward(const basic_tensor<T>& input) override { return janus::relu(input); }
};

template <class T = float>
class tanh : public module<T> {
 public:
  basic_tensor<T> forward(const basic_tensor<T>& input) override { return janus::tanh(input); }
};

template <class T = float>
class sigmoid : public module<T> {
 public:
  basic_tensor<T> forward(const basic_tensor<T>& input) override { return janus::sigmoid(input); }
};

}  // namespace janus::nn
