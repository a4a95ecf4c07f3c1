// janus/tensor/linear.hpp: linear(x, w, b) = x w^T + b, the dense layer as one BLAS call.
//
// The bias is copied into the output rows and the product added on top
// (gemm with beta = 1), so the layer costs one pass and one node.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/blas.hpp"

namespace janus {

namespace detail {

template <class T>
void check_linear(const tensor_impl<T>& x, const tensor_impl<T>& w, const tensor_impl<T>* b) {
  if (w.shape.size() != 2) throw_shape("linear", "weight must be (out, in), got " + to_string(w.shape));
  if (x.shape.size() != 1 && x.shape.size() != 2) {
    throw_shape("linear", "input must be (in) or (batch, in), got " + to_string(x.shape));
  }
  if (x.shape.back() != w.shape[1]) {
    throw_shape("linear", "input features differ from the weight's: x " + to_string(x.shape) + " and w " +
                              to_string(w.shape));
  }
  if (b != nullptr && (b->shape.size() != 1 || b->shape[0] != w.shape[0])) {
    throw_shape("linear", "bias must be (out): b " + to_string(b->shape) + " and w " + to_string(w.shape));
  }
  check_blas_sizes("linear", x.shape, w.shape);
}

template <class T>
void linear_backward(tensor_node<T>& node) {
  tensor_impl<T>& x = node.input(0);
  tensor_impl<T>& w = node.input(1);
  const std::size_t outputs = w.shape[0];
  const std::size_t inputs = w.shape[1];
  const std::size_t rows = x.shape.size() == 2 ? x.shape[0] : 1;
  const T* g = node.output->gradient;
  const bool single = x.shape.size() == 1;  // matrix-vector kernels, faster than gemm with one row
  if (node.wants(0)) {  // dx = G W
    const gradient_slot<T> slot = gradient_of(x);
    const T beta = slot.accumulate ? T(1) : T(0);
    if (single) gemv<T>(true, outputs, inputs, T(1), w.values, g, beta, slot.data);
    else gemm<T>(false, false, rows, inputs, outputs, T(1), g, w.values, beta, slot.data);
  }
  if (node.wants(1)) {  // dW = G^T x
    if (single) {
      ger<T>(outputs, inputs, T(1), g, x.values, zeroed_gradient_of(w));
    } else {
      const gradient_slot<T> slot = gradient_of(w);
      gemm<T>(true, false, outputs, inputs, rows, T(1), g, x.values, slot.accumulate ? T(1) : T(0), slot.data);
    }
  }
  if (node.input_count == 3 && node.wants(2)) {  // db = column sums of G
    const gradient_slot<T> slot = gradient_of(node.input(2));
    if (!slot.accumulate) std::fill_n(slot.data, outputs, T(0));
    for (std::size_t r = 0; r < rows; ++r) {
      const T* row = g + r * outputs;
      for (std::size_t j = 0; j < outputs; ++j) slot.data[j] += row[j];
    }
  }
}

template <class T>
basic_tensor<T> linear(const basic_tensor<T>& x, const basic_tensor<T>& w, const basic_tensor<T>* b) {
  const tensor_impl<T>& ix = x.impl();
  const tensor_impl<T>& iw = w.impl();
  const tensor_impl<T>* ib = b != nullptr ? &b->impl() : nullptr;
  check_linear(ix, iw, ib);
  const std::size_t outputs = iw.shape[0];
  const std::size_t inputs = iw.shape[1];
  const std::size_t rows = ix.shape.size() == 2 ? ix.shape[0] : 1;
  impl_ref<T> out = ix.shape.size() == 2 ? new_impl<T>("linear", {rows, outputs}) : new_impl<T>("linear", {outputs});
  for (std::size_t r = 0; r < rows; ++r) {
    if (ib != nullptr) {
      std::copy_n(ib->values, outputs, out->values + r * outputs);
    } else {
      std::fill_n(out->values + r * outputs, outputs, T(0));
    }
  }
  if (inputs != 0 && outputs != 0 && rows != 0) {
    if (ix.shape.size() == 1) gemv<T>(false, outputs, inputs, T(1), iw.values, ix.values, T(1), out->values);
    else gemm<T>(false, true, rows, outputs, inputs, T(1), ix.values, iw.values, T(1), out->values);
  }
  auto& tape = this_thread_tensor_tape<T>();
  const auto step = [](tensor_node<T>& node) { linear_backward(node); };
  if (b != nullptr && should_record<T>(x.handle(), w.handle(), b->handle())) {
    tape.record("linear", out, step, x.handle(), w.handle(), b->handle());
  } else if (b == nullptr && should_record<T>(x.handle(), w.handle())) {
    tape.record("linear", out, step, x.handle(), w.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace detail

/// x (batch, in) or (in), w (out, in), b (out): x w^T + b.
template <class T>
basic_tensor<T> linear(const basic_tensor<T>& x, const basic_tensor<T>& w, const basic_tensor<T>& b) {
  return detail::linear(x, w, &b);
}

/// x w^T without a bias.
template <class T>
basic_tensor<T> linear(const basic_tensor<T>& x, const basic_tensor<T>& w) {
  return detail::linear<T>(x, w, nullptr);
}

}  // namespace janus
