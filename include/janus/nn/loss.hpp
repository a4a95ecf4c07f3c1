// janus/nn/loss.hpp: the losses, each the mean over a batch: cross-entropy
// from logits, mean squared error, binary cross-entropy from logits, hinge.
#pragma once

#include <cstdint>
#include <span>

#include "janus/tensor.hpp"

namespace janus::nn {

/// Logits (batch, classes) and one class per row; the tensor engine's fused
/// log-softmax and negative log-likelihood, stable for any logits.
template <class T>
basic_tensor<T> cross_entropy(const basic_tensor<T>& logits, std::span<const std::int64_t> labels) {
  return janus::cross_entropy(logits, labels);
}

/// mean((prediction - target)^2) over every element.
template <class T>
basic_tensor<T> mse(const basic_tensor<T>& prediction, const basic_tensor<T>& target) {
  return janus::mse_loss(prediction, target);
}

/// Logits z and targets t in [0, 1] of the same shape:
/// mean(-t log sigmoid(z) - (1 - t) log(1 - sigmoid(z))) = mean(softplus(z) - t z),
/// written with softplus, which never takes exp of a large positive number.
template <class T>
basic_tensor<T> binary_cross_entropy_with_logits(const basic_tensor<T>& logits, const basic_tensor<T>& targets) {
  return janus::mean(janus::softplus(logits) - targets * logits);
}

/// Scores s and targets t in {-1, +1}: mean(max(0, 1 - t s)), the SVM loss.
template <class T>
basic_tensor<T> hinge(const basic_tensor<T>& scores, const basic_tensor<T>& targets) {
  return janus::mean(janus::relu(T(1) - targets * scores));
}

}  // namespace janus::nn
