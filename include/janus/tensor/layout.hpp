// janus/tensor/layout.hpp: reshape, flatten, permute, transpose and slice_rows.
//
// reshape, flatten and slice_rows are views: they share the values of their
// input (no copy); permute copies into the new order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/broadcast.hpp"

namespace janus {

namespace detail {

/// Backward of a view with the same element order: the gradient passes through.
template <class T>
void pass_gradient(tensor_node<T>& node) {
  tensor_impl<T>& input = node.input(0);
  const gradient_slot<T> slot = gradient_of(input);
  const T* g = node.output->gradient;
  for (std::size_t i = 0; i < input.count; ++i) slot.data[i] = slot.accumulate ? slot.data[i] + g[i] : g[i];
}

template <class T>
basic_tensor<T> same_order_view(std::string_view op, const basic_tensor<T>& x, impl_ref<T> view) {
  if (should_record<T>(x.handle())) {
    this_thread_tensor_tape<T>().record(op, view, [](tensor_node<T>& node) { pass_gradient(node); }, x.handle());
  }
  return basic_tensor<T>(std::move(view));
}

}  // namespace detail

/// The same values seen with another shape of as many elements.
template <class T>
basic_tensor<T> reshape(const basic_tensor<T>& x, const shape_type& shape) {
  const detail::tensor_impl<T>& in = x.impl();
  if (detail::checked_numel<T>("reshape", shape) != in.count) {
    detail::throw_shape("reshape", "shape " + to_string(in.shape) + " holds " + std::to_string(in.count) +
                                       " elements, cannot become " + to_string(shape));
  }
  detail::impl_ref<T> view = detail::new_view(x.handle(), in.values, in.count);
  view->shape.assign(shape.begin(), shape.end());
  return detail::same_order_view("reshape", x, std::move(view));
}

/// Merges the axes from `start_axis` on into one: flatten(x) is 1-D,
/// flatten(x, 1) keeps the batch axis.
template <class T>
basic_tensor<T> flatten(const basic_tensor<T>& x, std::size_t start_axis = 0) {
  const detail::tensor_impl<T>& in = x.impl();
  if (start_axis > in.shape.size() || (start_axis == in.shape.size() && start_axis != 0)) {
    detail::throw_shape("flatten", "start axis " + std::to_string(start_axis) + " out of range for shape " +
                                       to_string(in.shape));
  }
  detail::impl_ref<T> view = detail::new_view(x.handle(), in.values, in.count);
  std::size_t merged = 1;
  for (std::size_t axis = 0; axis < in.shape.size(); ++axis) {
    if (axis < start_axis) view->shape.push_back(in.shape[axis]);
    else merged *= in.shape[axis];
  }
  view->shape.push_back(merged);
  return detail::same_order_view("flatten", x, std::move(view));
}

namespace detail {

template <class T>
basic_tensor<T> permute(const basic_tensor<T>& x, std::span<const int> axes) {
  const detail::tensor_impl<T>& in = x.impl();
  detail::check_rank("permute", in.shape);
  if (axes.size() != in.shape.size()) {
    detail::throw_shape("permute", std::to_string(axes.size()) + " axes given for shape " + to_string(in.shape));
  }
  const detail::strides_type in_strides = detail::contiguous_strides(in.shape);
  detail::strides_type read{};
  std::uint32_t seen = 0;
  detail::impl_ref<T> out = detail::new_unshaped_impl<T>();
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const std::size_t axis = detail::normalize_axis("permute", axes[k], in.shape);
    if ((seen >> axis) & 1u) {
      detail::throw_shape("permute", "axis " + std::to_string(axes[k]) + " given twice for shape " +
                                         to_string(in.shape));
    }
    seen |= 1u << axis;
    out->shape.push_back(in.shape[axis]);
    read[k] = in_strides[axis];
  }
  detail::allocate_values("permute", *out);
  const T* xv = in.values;
  T* yv = out->values;
  detail::for_each_run(out->shape, read, read,
                       [&](std::size_t p, std::size_t pa, std::size_t, std::size_t n, std::size_t sa, std::size_t) {
                         for (std::size_t j = 0; j < n; ++j) yv[p + j] = xv[pa + j * sa];
                       });
  if (detail::should_record<T>(x.handle())) {
    detail::this_thread_tensor_tape<T>().record("permute", out, [read](detail::tensor_node<T>& node) {
      detail::tensor_impl<T>& input = node.input(0);
      const detail::gradient_slot<T> slot = detail::gradient_of(input);
      const T* g = node.output->gradient;
      detail::for_each_run(node.output->shape, read, read,
                           [&](std::size_t p, std::size_t pa, std::size_t, std::size_t n, std::size_t sa,
                               std::size_t) {
                             for (std::size_t j = 0; j < n; ++j) {
                               T& target = slot.data[pa + j * sa];
                               target = slot.accumulate ? target + g[p + j] : g[p + j];
                             }
                           });
    }, x.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace detail

/// Reorders the axes: output axis k is input axis axes[k].
template <class T>
basic_tensor<T> permute(const basic_tensor<T>& x, const std::vector<int>& axes) {
  return detail::permute(x, std::span<const int>(axes));
}

/// Swaps two axes.
template <class T>
basic_tensor<T> transpose(const basic_tensor<T>& x, int first, int second) {
  const shape_type& shape = x.impl().shape;
  detail::check_rank("transpose", shape);
  std::array<int, detail::max_rank> axes{};
  for (std::size_t k = 0; k < shape.size(); ++k) axes[k] = static_cast<int>(k);
  std::swap(axes[detail::normalize_axis("transpose", first, shape)],
            axes[detail::normalize_axis("transpose", second, shape)]);
  return detail::permute(x, std::span<const int>(axes.data(), shape.size()));
}

/// The transpose of a matrix.
template <class T>
basic_tensor<T> transpose(const basic_tensor<T>& x) {
  if (x.impl().shape.size() != 2) {
    detail::throw_shape("transpose", "expects a matrix, got shape " + to_string(x.shape()) +
                                         "; use transpose(t, i, j) to swap two axes");
  }
  return transpose(x, 0, 1);
}

/// Rows [begin, end) along the first axis, a view.
template <class T>
basic_tensor<T> slice_rows(const basic_tensor<T>& x, std::size_t begin, std::size_t end) {
  const detail::tensor_impl<T>& in = x.impl();
  if (in.shape.empty() || begin > end || end > in.shape[0]) {
    detail::throw_shape("slice_rows", "rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                                          ") out of range for shape " + to_string(in.shape));
  }
  const std::size_t row = in.shape[0] == 0 ? 0 : in.count / in.shape[0];
  detail::impl_ref<T> view = detail::new_view(x.handle(), in.values + begin * row, (end - begin) * row);
  view->shape.assign(in.shape.begin(), in.shape.end());
  view->shape[0] = end - begin;
  if (detail::should_record<T>(x.handle())) {
    detail::this_thread_tensor_tape<T>().record("slice_rows", view, [begin, row](detail::tensor_node<T>& node) {
      T* gx = detail::zeroed_gradient_of(node.input(0)) + begin * row;
      const T* g = node.output->gradient;
      for (std::size_t i = 0; i < node.output->count; ++i) gx[i] += g[i];
    }, x.handle());
  }
  return basic_tensor<T>(std::move(view));
}

}  // namespace janus
