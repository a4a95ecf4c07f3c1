// janus/tensor/indexing.hpp: gather_rows (one entry per row, e.g. at labels), argmax and one_hot.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "janus/tensor/basic_tensor.hpp"

namespace janus {

namespace detail {

/// Checks one class index per row of an (n, c) tensor.
inline void check_row_indices(std::string_view op, const shape_type& shape, std::span<const std::int64_t> index) {
  if (shape.size() != 2) throw_shape(op, "expects (rows, classes), got shape " + to_string(shape));
  if (index.size() != shape[0]) {
    throw_shape(op, std::to_string(index.size()) + " indices given for shape " + to_string(shape) +
                        " (one per row expected)");
  }
  for (std::size_t row = 0; row < index.size(); ++row) {
    if (index[row] < 0 || static_cast<std::size_t>(index[row]) >= shape[1]) {
      throw_shape(op, "index " + std::to_string(index[row]) + " at row " + std::to_string(row) +
                          " out of range for shape " + to_string(shape));
    }
  }
}

}  // namespace detail

/// out[i] = x[i, index[i]] for x (n, c): picks one entry per row.
template <class T>
basic_tensor<T> gather_rows(const basic_tensor<T>& x, std::span<const std::int64_t> index) {
  const detail::tensor_impl<T>& in = x.impl();
  detail::check_row_indices("gather_rows", in.shape, index);
  const std::size_t rows = in.shape[0];
  const std::size_t columns = in.shape[1];
  detail::impl_ref<T> out = detail::new_impl<T>("gather_rows", {rows});
  for (std::size_t row = 0; row < rows; ++row) {
    out->values[row] = in.values[row * columns + static_cast<std::size_t>(index[row])];
  }
  if (detail::should_record<T>(x.handle())) {
    detail::pooled_block<std::int64_t> saved(rows);
    std::copy(index.begin(), index.end(), saved.data());
    detail::this_thread_tensor_tape<T>().record("gather_rows", out, [saved = std::move(saved), columns](
                                                                  detail::tensor_node<T>& node) {
      T* gx = detail::zeroed_gradient_of(node.input(0));
      const T* g = node.output->gradient;
      for (std::size_t row = 0; row < saved.size(); ++row) {
        gx[row * columns + static_cast<std::size_t>(saved.data()[row])] += g[row];
      }
    }, x.handle());
  }
  return basic_tensor<T>(std::move(out));
}

template <class T>
basic_tensor<T> gather_rows(const basic_tensor<T>& x, const std::vector<std::int64_t>& index) {
  return gather_rows(x, std::span<const std::int64_t>(index));
}

/// Index of the largest entry along `axis` (the first one on ties), for
/// every position of the other axes in row-major order. No gradient.
template <class T>
std::vector<std::int64_t> argmax(const basic_tensor<T>& x, int axis = -1) {
  const detail::tensor_impl<T>& in = x.impl();
  const std::size_t along = detail::normalize_axis("argmax", axis, in.shape);
  std::size_t outer = 1;
  std::size_t inner = 1;
  for (std::size_t k = 0; k < along; ++k) outer *= in.shape[k];
  for (std::size_t k = along + 1; k < in.shape.size(); ++k) inner *= in.shape[k];
  const std::size_t n = in.shape[along];
  if (n == 0) detail::throw_shape("argmax", "axis " + std::to_string(axis) + " of shape " + to_string(in.shape) + " is empty");
  std::vector<std::int64_t> result(outer * inner);
  for (std::size_t o = 0; o < outer; ++o) {
    for (std::size_t i = 0; i < inner; ++i) {
      const T* start = in.values + o * n * inner + i;
      std::size_t best = 0;
      for (std::size_t j = 1; j < n; ++j) {
        if (start[j * inner] > start[best * inner]) best = j;
      }
      result[o * inner + i] = static_cast<std::int64_t>(best);
    }
  }
  return result;
}

/// Rows of zeros with a one at each label: (labels.size(), classes).
template <class T = float>
basic_tensor<T> one_hot(std::span<const std::int64_t> labels, std::size_t classes) {
  detail::impl_ref<T> out = detail::new_impl<T>("one_hot", {labels.size(), classes});
  std::fill_n(out->values, out->count, T(0));
  for (std::size_t row = 0; row < labels.size(); ++row) {
    if (labels[row] < 0 || static_cast<std::size_t>(labels[row]) >= classes) {
      detail::throw_shape("one_hot", "label " + std::to_string(labels[row]) + " at position " + std::to_string(row) +
                                         " out of range for " + std::to_string(classes) + " classes");
    }
    out->values[row * classes + static_cast<std::size_t>(labels[row])] = T(1);
  }
  return basic_tensor<T>(std::move(out));
}

template <class T = float>
basic_tensor<T> one_hot(const std::vector<std::int64_t>& labels, std::size_t classes) {
  return one_hot<T>(std::span<const std::int64_t>(labels), classes);
}

}  // namespace janus
