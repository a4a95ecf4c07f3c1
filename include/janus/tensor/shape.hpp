// janus/tensor/shape.hpp: tensor shapes, how they print, how many elements
// they hold, and axis checking.
//
// Every shape a tensor takes is checked once, where the tensor is made
// (`detail::checked_numel`): the product of its nonzero sizes must not
// exceed the elements of its type that memory can address. Every other
// product of sizes the engine forms (a stride, a row length, the rows of a
// matrix, an output shape that keeps some of the axes) multiplies some of
// those sizes, so it is no larger and cannot overflow either. Zero sizes
// take part in the check: in (3, 0, n) the empty axis holds no element, but
// a reduction over it leaves (3, n).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "janus/error.hpp"

namespace janus {

/// Sizes of a tensor's axes, outermost first (row-major). A rank-0 shape {} holds one element.
using shape_type = std::vector<std::size_t>;

/// The most elements of T one tensor may hold: their bytes must be countable
/// by a std::ptrdiff_t, as pointer arithmetic over them requires.
template <class T>
inline constexpr std::size_t max_elements = static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(T);

/// "(2, 3)", the way every error message writes a shape.
inline std::string to_string(const shape_type& shape) {
  std::string text = "(";
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    if (axis > 0) text += ", ";
    text += std::to_string(shape[axis]);
  }
  return text + ")";
}

}  // namespace janus

namespace janus::detail {

[[noreturn]] inline void throw_shape(std::string_view op, const std::string& what) {
  throw shape_error(std::string(op) + ": " + what);
}

/// The number of elements of a tensor of T with this shape; shape_error,
/// naming `op` and the shape, when the product of its nonzero sizes exceeds
/// max_elements<T> (see the top of this file).
template <class T>
std::size_t checked_numel(std::string_view op, const shape_type& shape) {
  std::size_t nonzero_product = 1;
  bool empty = false;
  for (std::size_t size : shape) {
    if (size == 0) {
      empty = true;
    } else if (size > max_elements<T> / nonzero_product) {
      throw_shape(op, "shape " + to_string(shape) + " is too large: the product of its nonzero sizes may be at most " +
                          std::to_string(max_elements<T>) + " for elements of " + std::to_string(sizeof(T)) +
                          (sizeof(T) == 1 ? " byte" : " bytes"));
    } else {
      nonzero_product *= size;
    }
  }
  return empty ? 0 : nonzero_product;
}

/// Strided loops (broadcasting, reductions, permutations) keep their strides
/// on the stack, which bounds the rank they accept.
inline constexpr std::size_t max_rank = 16;
using strides_type = std::array<std::size_t, max_rank>;

inline void check_rank(std::string_view op, const shape_type& shape) {
  if (shape.size() > max_rank) {
    throw_shape(op, "rank " + std::to_string(shape.size()) + " of " + to_string(shape) +
                        " exceeds the supported " + std::to_string(max_rank));
  }
}

/// Turns a possibly negative axis (-1 is the last) into an index, or throws.
inline std::size_t normalize_axis(std::string_view op, int axis, const shape_type& shape) {
  const auto rank = static_cast<int>(shape.size());
  const int index = axis < 0 ? axis + rank : axis;
  if (index < 0 || index >= rank) {
    throw_shape(op, "axis " + std::to_string(axis) + " out of range for shape " + to_string(shape));
  }
  return static_cast<std::size_t>(index);
}

/// Row-major strides of a shape that passed checked_numel.
inline strides_type contiguous_strides(const shape_type& shape) {
  strides_type strides{};
  std::size_t step = 1;
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

}  // namespace janus::detail

namespace janus {

/// Number of elements a tensor of this shape holds; shape_error when the
/// shape is too large for even one-byte elements.
inline std::size_t shape_numel(const shape_type& shape) {
  return detail::checked_numel<std::byte>("shape_numel", shape);
}

}  // namespace janus
