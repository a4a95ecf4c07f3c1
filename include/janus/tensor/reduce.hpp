// janus/tensor/reduce.hpp: sum, mean, max and min over all axes or some, with keepdim.
//
// A reduction walks the input and finds each element's output through
// strides that are 0 along the reduced axes: the broadcasting loop of
// broadcast.hpp with the output as the broadcast operand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/broadcast.hpp"

namespace janus {

namespace detail {

enum class reduction { sum, mean, max, min };

inline std::string_view reduction_name(reduction kind) {
  switch (kind) {
    case reduction::sum: return "sum";
    case reduction::mean: return "mean";
    case reduction::max: return "max";
    case reduction::min: return "min";
  }
  return "reduce";
}

/// Bit k set: axis k is reduced. An empty list reduces every axis.
inline std::uint32_t reduced_axes(std::string_view op, std::span<const int> axes, const shape_type& shape) {
  check_rank(op, shape);
  if (axes.empty()) return shape.empty() ? 0u : static_cast<std::uint32_t>((std::uint64_t{1} << shape.size()) - 1);
  std::uint32_t mask = 0;
  for (int axis : axes) {
    const std::size_t index = normalize_axis(op, axis, shape);
    if ((mask >> index) & 1u) {
      throw_shape(op, "axis " + std::to_string(axis) + " given twice for shape " + to_string(shape));
    }
    mask |= 1u << index;
  }
  return mask;
}

/// Strides that map an input position to its output position: row-major over
/// the kept axes, 0 along the reduced ones.
inline strides_type reduction_strides(const shape_type& shape, std::uint32_t mask) {
  strides_type strides{};
  std::size_t step = 1;
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    if ((mask >> axis) & 1u) continue;
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

/// Sum of n contiguous values with independent partial sums, so that the
/// additions pipeline (and vectorise) instead of waiting on one another.
template <class T>
T sum_of(const T* values, std::size_t n) {
  constexpr std::size_t lanes = 8;
  T partial[lanes] = {};
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    for (std::size_t lane = 0; lane < lanes; ++lane) partial[lane] += values[i + lane];
  }
  T total = 0;
  for (; i < n; ++i) total += values[i];
  for (std::size_t lane = 0; lane < lanes; ++lane) total += partial[lane];
  return total;
}

template <class T>
basic_tensor<T> reduce(reduction kind, const basic_tensor<T>& x, std::span<const int> axes, bool keepdim) {
  const std::string_view op = reduction_name(kind);
  const tensor_impl<T>& in = x.impl();
  const std::uint32_t mask = reduced_axes(op, axes, in.shape);
  impl_ref<T> out = new_unshaped_impl<T>();
  std::size_t reduced_count = 1;
  for (std::size_t axis = 0; axis < in.shape.size(); ++axis) {
    const bool reduced = (mask >> axis) & 1u;
    if (reduced) reduced_count *= in.shape[axis];
    if (!reduced) out->shape.push_back(in.shape[axis]);
    else if (keepdim) out->shape.push_back(1);
  }
  allocate_values(op, *out);
  if (reduced_count == 0 && (kind == reduction::max || kind == reduction::min || kind == reduction::mean)) {
    throw_shape(op, "reduction over an empty axis of shape " + to_string(in.shape));
  }
  const strides_type to_output = reduction_strides(in.shape, mask);
  const T* xv = in.values;
  T* yv = out->values;
  const bool record = should_record<T>(x.handle());

  if (kind == reduction::sum || kind == reduction::mean) {
    if (out->count == 1) {
      yv[0] = sum_of(xv, in.count);
    } else {
      std::fill_n(yv, out->count, T(0));
      for_each_run(in.shape, to_output, to_output,
                   [&](std::size_t p, std::size_t po, std::size_t, std::size_t n, std::size_t so, std::size_t) {
                     if (so == 0) yv[po] += sum_of(xv + p, n);
                     else for (std::size_t j = 0; j < n; ++j) yv[po + j * so] += xv[p + j];
                   });
    }
    const T scale = kind == reduction::mean ? T(1) / static_cast<T>(reduced_count) : T(1);
    if (kind == reduction::mean) {
      for (std::size_t i = 0; i < out->count; ++i) yv[i] *= scale;
    }
    if (record) {
      this_thread_tensor_tape<T>().record(op, out, [to_output, scale](tensor_node<T>& node) {
        tensor_impl<T>& input = node.input(0);
        const gradient_slot<T> slot = gradient_of(input);
        const T* g = node.output->gradient;
        for_each_run(input.shape, to_output, to_output,
                     [&](std::size_t p, std::size_t po, std::size_t, std::size_t n, std::size_t so, std::size_t) {
                       for (std::size_t j = 0; j < n; ++j) {
                         const T contribution = scale * g[po + j * so];
                         slot.data[p + j] = slot.accumulate ? slot.data[p + j] + contribution : contribution;
                       }
                     });
      }, x.handle());
    }
    return basic_tensor<T>(std::move(out));
  }

  // max / min: the first extreme element of each group takes the gradient.
  constexpr std::size_t unset = std::numeric_limits<std::size_t>::max();
  pooled_block<std::size_t> source(out->count);
  std::size_t* from = source.data();
  std::fill_n(from, out->count, unset);
  const bool want_max = kind == reduction::max;
  for_each_run(in.shape, to_output, to_output,
               [&](std::size_t p, std::size_t po, std::size_t, std::size_t n, std::size_t so, std::size_t) {
                 for (std::size_t j = 0; j < n; ++j) {
                   const std::size_t o = po + j * so;
                   const T v = xv[p + j];
                   if (from[o] == unset || (want_max ? v > yv[o] : v < yv[o])) {
                     yv[o] = v;
                     from[o] = p + j;
                   }
                 }
               });
  if (record) {
    this_thread_tensor_tape<T>().record(op, out, [source = std::move(source)](tensor_node<T>& node) {
      T* gx = zeroed_gradient_of(node.input(0));
      const T* g = node.output->gradient;
      for (std::size_t o = 0; o < node.output->count; ++o) gx[source.data()[o]] += g[o];
    }, x.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace detail

/// Sum of every element, shape ().
template <class T>
basic_tensor<T> sum(const basic_tensor<T>& x) { return detail::reduce(detail::reduction::sum, x, std::span<const int>(), false); }
/// Sum over `axes` (negative counts from the end; empty: every axis).
template <class T>
basic_tensor<T> sum(const basic_tensor<T>& x, const std::vector<int>& axes, bool keepdim = false) {
  return detail::reduce(detail::reduction::sum, x, axes, keepdim);
}
template <class T>
basic_tensor<T> sum(const basic_tensor<T>& x, int axis, bool keepdim = false) {
  return detail::reduce(detail::reduction::sum, x, std::span<const int>(&axis, 1), keepdim);
}

template <class T>
basic_tensor<T> mean(const basic_tensor<T>& x) { return detail::reduce(detail::reduction::mean, x, std::span<const int>(), false); }
template <class T>
basic_tensor<T> mean(const basic_tensor<T>& x, const std::vector<int>& axes, bool keepdim = false) {
  return detail::reduce(detail::reduction::mean, x, axes, keepdim);
}
template <class T>
basic_tensor<T> mean(const basic_tensor<T>& x, int axis, bool keepdim = false) {
  return detail::reduce(detail::reduction::mean, x, std::span<const int>(&axis, 1), keepdim);
}

template <class T>
basic_tensor<T> max(const basic_tensor<T>& x) { return detail::reduce(detail::reduction::max, x, std::span<const int>(), false); }
template <class T>
basic_tensor<T> max(const basic_tensor<T>& x, const std::vector<int>& axes, bool keepdim = false) {
  return detail::reduce(detail::reduction::max, x, axes, keepdim);
}
template <class T>
basic_tensor<T> max(const basic_tensor<T>& x, int axis, bool keepdim = false) {
  return detail::reduce(detail::reduction::max, x, std::span<const int>(&axis, 1), keepdim);
}

template <class T>
basic_tensor<T> min(const basic_tensor<T>& x) { return detail::reduce(detail::reduction::min, x, std::span<const int>(), false); }
template <class T>
basic_tensor<T> min(const basic_tensor<T>& x, const std::vector<int>& axes, bool keepdim = false) {
  return detail::reduce(detail::reduction::min, x, axes, keepdim);
}
template <class T>
basic_tensor<T> min(const basic_tensor<T>& x, int axis, bool keepdim = false) {
  return detail::reduce(detail::reduction::min, x, std::span<const int>(&axis, 1), keepdim);
}

}  // namespace janus
