// janus/tensor/shape.hpp: tensor shapes, how they print, and axis checking.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "janus/error.hpp"

namespace janus {

/// Sizes of a tensor's axes, outermost first (row-major). A rank-0 shape {} holds one element.
using shape_type = std::vector<std::size_t>;

/// Number of elements a tensor of this shape holds.
inline std::size_t shape_numel(const shape_type& shape) {
  std::size_t count = 1;
  for (std::size_t size : shape) count *= size;
  return count;
}

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

/// Strided loops (broadcasting, reductions, permutations) keep their strides
/// on the stack, which bounds the rank they accept.
inline constexpr std::size_t max_rank = 16;
using strides_type = std::array<std::size_t, max_rank>;

[[noreturn]] inline void throw_shape(std::string_view op, const std::string& what) {
  throw shape_error(std::string(op) + ": " + what);
}

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

/// Row-major strides of a shape.
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
