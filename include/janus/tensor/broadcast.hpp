// janus/tensor/broadcast.hpp: NumPy broadcasting, the one place where shapes are matched.
//
// Forward, an operand's element for an output position is found through
// strides that are 0 along its broadcast axes. Backward, the same strides
// sum the output's gradient over those axes (un-broadcasting). Reductions use
// the same loop with the roles swapped: the reduced tensor is the operand
// broadcast over the input's shape.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "janus/tensor/shape.hpp"

namespace janus::detail {

/// Writes into `out` the broadcast shape of `a` and `b`, or throws naming both.
inline void broadcast_shape(std::string_view op, const shape_type& a, const shape_type& b, shape_type& out) {
  const std::size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (std::size_t k = 0; k < rank; ++k) {
    const std::size_t size_a = k < a.size() ? a[a.size() - 1 - k] : 1;
    const std::size_t size_b = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (size_a != size_b && size_a != 1 && size_b != 1) {
      throw_shape(op, "shapes cannot be broadcast: " + to_string(a) + " and " + to_string(b));
    }
    out[rank - 1 - k] = size_a == 1 ? size_b : size_a;
  }
  check_rank(op, out);
}

/// Strides that read `operand` (right-aligned, broadcastable) at positions of `target`.
inline strides_type broadcast_strides(const shape_type& operand, const shape_type& target) {
  strides_type strides{};
  std::size_t step = 1;
  for (std::size_t k = 0; k < operand.size(); ++k) {
    const std::size_t axis = operand.size() - 1 - k;
    const std::size_t target_axis = target.size() - 1 - k;
    strides[target_axis] = operand[axis] == 1 ? 0 : step;
    step *= operand[axis];
  }
  return strides;
}

/// Visits every position of `shape` in row-major order, one innermost run at
/// a time: run(position, offset_a, offset_b, length, inner_stride_a, inner_stride_b),
/// where positions inside the run are position + j, offset_a + j * inner_stride_a, ...
template <class Run>
void for_each_run(const shape_type& shape, const strides_type& a, const strides_type& b, Run run) {
  const std::size_t rank = shape.size();
  const std::size_t total = shape_numel(shape);
  if (total == 0) return;
  if (rank == 0) return run(std::size_t{0}, std::size_t{0}, std::size_t{0}, std::size_t{1}, std::size_t{0},
                            std::size_t{0});
  const std::size_t inner = shape[rank - 1];
  strides_type index{};
  std::size_t offset_a = 0;
  std::size_t offset_b = 0;
  for (std::size_t position = 0; position < total; position += inner) {
    run(position, offset_a, offset_b, inner, a[rank - 1], b[rank - 1]);
    // Advance the odometer over the outer axes.
    for (std::size_t axis = rank - 1; axis-- > 0;) {
      offset_a += a[axis];
      offset_b += b[axis];
      if (++index[axis] < shape[axis]) break;
      offset_a -= a[axis] * shape[axis];
      offset_b -= b[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}

}  // namespace janus::detail
