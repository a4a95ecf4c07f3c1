// janus/tensor/softmax.hpp: softmax, log_softmax and cross_entropy, fused and numerically stable.
//
// Each subtracts the largest logit before exponentiating, so logits of 1000
// give finite results, and each is one node with its own backward step
// rather than a chain of exp, sum and log.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/indexing.hpp"

namespace janus {

namespace detail {

/// An axis seen as (outer, n, inner): element (o, j, i) is at (o * n + j) * inner + i.
struct axis_view {
  std::size_t outer = 1, n = 1, inner = 1;
};

inline axis_view view_along(std::string_view op, const shape_type& shape, int axis) {
  const std::size_t along = normalize_axis(op, axis, shape);
  axis_view v;
  for (std::size_t k = 0; k < along; ++k) v.outer *= shape[k];
  for (std::size_t k = along + 1; k < shape.size(); ++k) v.inner *= shape[k];
  v.n = shape[along];
  return v;
}

/// One line of n elements `stride` apart: y_j = x_j - m - log(sum_k exp(x_k - m)), m the largest x_k.
template <class T>
void log_softmax_line(const T* x, T* y, std::size_t n, std::size_t stride) {
  T largest = x[0];
  for (std::size_t j = 1; j < n; ++j) largest = std::max(largest, x[j * stride]);
  T total = 0;
  for (std::size_t j = 0; j < n; ++j) total += std::exp(x[j * stride] - largest);
  // (x - m) is exact for the largest logits; adding m to the log first would round it away.
  const T log_total = std::log(total);
  for (std::size_t j = 0; j < n; ++j) y[j * stride] = (x[j * stride] - largest) - log_total;
}

template <class T>
basic_tensor<T> softmax_family(std::string_view op, bool logarithmic, const basic_tensor<T>& x, int axis) {
  const tensor_impl<T>& in = x.impl();
  const axis_view v = view_along(op, in.shape, axis);
  impl_ref<T> out = new_impl<T>(op, in.shape);
  if (v.n > 0) {
    for (std::size_t o = 0; o < v.outer; ++o) {
      for (std::size_t i = 0; i < v.inner; ++i) {
        const std::size_t start = o * v.n * v.inner + i;
        log_softmax_line(in.values + start, out->values + start, v.n, v.inner);
      }
    }
  }
  if (!logarithmic) {
    for (std::size_t k = 0; k < out->count; ++k) out->values[k] = std::exp(out->values[k]);
  }
  if (should_record<T>(x.handle())) {
    this_thread_tensor_tape<T>().record(op, out, [v, logarithmic](tensor_node<T>& node) {
      tensor_impl<T>& input = node.input(0);
      const gradient_slot<T> slot = gradient_of(input);
      const T* y = node.output->values;
      const T* g = node.output->gradient;
      for (std::size_t o = 0; o < v.outer; ++o) {
        for (std::size_t i = 0; i < v.inner; ++i) {
          const std::size_t start = o * v.n * v.inner + i;
          T weighted = 0;  // softmax: sum g*y; log_softmax: sum g
          for (std::size_t j = 0; j < v.n; ++j) {
            const std::size_t k = start + j * v.inner;
            weighted += logarithmic ? g[k] : g[k] * y[k];
          }
          for (std::size_t j = 0; j < v.n; ++j) {
            const std::size_t k = start + j * v.inner;
            const T contribution = logarithmic ? g[k] - std::exp(y[k]) * weighted : y[k] * (g[k] - weighted);
            slot.data[k] = slot.accumulate ? slot.data[k] + contribution : contribution;
          }
        }
      }
    }, x.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace detail

/// exp(x) / sum(exp(x)) along `axis`, computed stably.
template <class T>
basic_tensor<T> softmax(const basic_tensor<T>& x, int axis = -1) {
  return detail::softmax_family("softmax", false, x, axis);
}

/// x - log(sum(exp(x))) along `axis`, computed stably.
template <class T>
basic_tensor<T> log_softmax(const basic_tensor<T>& x, int axis = -1) {
  return detail::softmax_family("log_softmax", true, x, axis);
}

/// Mean over rows of -log_softmax(logits)[row, labels[row]], for logits (n, c):
/// one fused, stable node whose backward is (softmax - one_hot) / n.
template <class T>
basic_tensor<T> cross_entropy(const basic_tensor<T>& logits, std::span<const std::int64_t> labels) {
  const detail::tensor_impl<T>& in = logits.impl();
  detail::check_row_indices("cross_entropy", in.shape, labels);
  const std::size_t rows = in.shape[0];
  const std::size_t classes = in.shape[1];
  if (rows == 0 || classes == 0) {
    detail::throw_shape("cross_entropy", "needs at least one row and one class, got shape " + to_string(in.shape));
  }
  const bool record = detail::should_record<T>(logits.handle());
  // The log-probabilities, kept for the backward step when recording.
  detail::pooled_block<T> log_probabilities(in.count);
  T total = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    T* line = log_probabilities.data() + row * classes;
    detail::log_softmax_line(in.values + row * classes, line, classes, 1);
    total -= line[static_cast<std::size_t>(labels[row])];
  }
  detail::impl_ref<T> out = detail::new_impl<T>("cross_entropy", {});
  out->values[0] = total / static_cast<T>(rows);
  if (record) {
    detail::pooled_block<std::int64_t> saved(rows);
    std::copy(labels.begin(), labels.end(), saved.data());
    detail::this_thread_tensor_tape<T>().record(
        "cross_entropy", out,
        [saved = std::move(saved), log_probabilities = std::move(log_probabilities), rows,
         classes](detail::tensor_node<T>& node) {
          const detail::gradient_slot<T> slot = detail::gradient_of(node.input(0));
          const T scale = node.output->gradient[0] / static_cast<T>(rows);
          const T* lp = log_probabilities.data();
          for (std::size_t row = 0; row < rows; ++row) {
            const std::size_t label = static_cast<std::size_t>(saved.data()[row]);
            for (std::size_t j = 0; j < classes; ++j) {
              const std::size_t k = row * classes + j;
              const T contribution = scale * (std::exp(lp[k]) - (j == label ? T(1) : T(0)));
              slot.data[k] = slot.accumulate ? slot.data[k] + contribution : contribution;
            }
          }
        },
        logits.handle());
  }
  return basic_tensor<T>(std::move(out));
}

template <class T>
basic_tensor<T> cross_entropy(const basic_tensor<T>& logits, const std::vector<std::int64_t>& labels) {
  return cross_entropy(logits, std::span<const std::int64_t>(labels));
}

}  // namespace janus
