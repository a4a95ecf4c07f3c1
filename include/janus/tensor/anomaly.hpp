// janus/tensor/anomaly.hpp: the tensor tape's checks under
// `janus::detect_anomaly` (tape/anomaly.hpp), and what their reports say.
//
// A recorded operation whose output holds a NaN or an infinity, or a
// backward step that leaves one in an input's gradient, throws
// `janus::numeric_error` naming the operation, its output's label, the
// shape, the first bad element (its flat position and its index) and the
// inputs' values there: an input of the same shape, or one that broadcasts
// to it, has a value at that index; for the others (a matrix product, a
// reduction) the report gives their shapes.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "janus/error.hpp"
#include "janus/numeric_report.hpp"
#include "janus/tensor/impl.hpp"
#include "janus/tensor/shape.hpp"

namespace janus::detail {

/// The position of the first element of `values` that is not finite; `count` if none.
template <class T>
std::size_t first_not_finite(const T* values, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i])) return i;
  return count;
}

/// The index in `shape` of the element at row-major position `position`.
inline shape_type index_of_position(const shape_type& shape, std::size_t position) {
  shape_type index(shape.size(), 0);
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    if (shape[axis] == 0) return index;
    index[axis] = position % shape[axis];
    position /= shape[axis];
  }
  return index;
}

/// Where an operand of shape `operand` is read for the element at `index` of
/// a tensor of shape `target` (NumPy broadcasting), or false when `operand`
/// does not broadcast to `target`.
inline bool broadcast_position(const shape_type& operand, const shape_type& target, const shape_type& index,
                               std::size_t& position) {
  if (operand.size() > target.size()) return false;
  position = 0;
  const std::size_t skipped = target.size() - operand.size();
  for (std::size_t axis = 0; axis < operand.size(); ++axis) {
    const std::size_t size = operand[axis];
    if (size != 1 && size != target[skipped + axis]) return false;
    position = position * size + (size == 1 ? 0 : index[skipped + axis]);
  }
  return true;
}

/// "at element 4, index (1, 1), of shape (2, 3)".
inline std::string element_text(const shape_type& shape, std::size_t position) {
  return "at element " + std::to_string(position) + ", index " + to_string(index_of_position(shape, position)) +
         ", of shape " + to_string(shape);
}

/// "input 1 of shape (2, 3) "x": 0" for each input, its value at the
/// element `position` of a tensor of shape `shape` where it has one there.
template <class T, std::size_t N>
std::string inputs_at_text(const std::array<const tensor_impl<T>*, N>& inputs, const shape_type& shape,
                           std::size_t position) {
  const shape_type index = index_of_position(shape, position);
  std::string text;
  for (std::size_t k = 0; k < N; ++k) {
    const tensor_impl<T>& input = *inputs[k];
    text += k == 0 ? "; inputs there: " : ", ";
    text += "input " + std::to_string(k + 1) + " of shape " + to_string(input.shape) + label_text(input.label);
    std::size_t at = 0;
    if (input.values != nullptr && broadcast_position(input.shape, shape, index, at) && at < input.count)
      text += ": " + number_text(input.values[at]);
  }
  return text;
}

/// Under detect_anomaly: numeric_error unless every value of `output`, the
/// result of operation `op` on `inputs` about to be recorded, is finite.
template <class T, std::size_t N>
[[gnu::noinline]] void check_output_values(std::string_view op, const tensor_impl<T>& output,
                                           const std::array<const tensor_impl<T>*, N>& inputs) {
  const std::size_t bad = first_not_finite(output.values, output.count);
  if (bad == output.count) return;
  throw numeric_error(numeric_report_head("janus::detect_anomaly", sweep_pass::forward, op, output.label) +
                      " gave " + number_text(output.values[bad]) + " " + element_text(output.shape, bad) +
                      inputs_at_text(inputs, output.shape, bad));
}

/// Under detect_anomaly, after `node`'s backward step: numeric_error unless
/// the gradient of every input it wrote is finite.
template <class Node>
[[gnu::noinline]] void check_input_gradients(const Node& node) {
  using T = std::remove_cvref_t<decltype(*node.output->values)>;
  for (std::size_t k = 0; k < node.input_count; ++k) {
    const tensor_impl<T>& input = *node.inputs[k];
    if (input.gradient == nullptr) continue;
    const std::size_t bad = first_not_finite(input.gradient, input.count);
    if (bad == input.count) continue;
    std::string text = numeric_report_head("janus::detect_anomaly", sweep_pass::backward, node.op,
                                           node.output->label) +
                       " gave " + number_text(input.gradient[bad]) + " as the gradient of its input " +
                       std::to_string(k + 1) + " of " + std::to_string(node.input_count) + label_text(input.label) +
                       " " + element_text(input.shape, bad);
    std::string there;
    for (std::size_t j = 0; j < node.input_count; ++j) {
      const tensor_impl<T>& other = *node.inputs[j];
      there += j == 0 ? "; inputs there: " : ", ";
      there += "input " + std::to_string(j + 1) + " of shape " + to_string(other.shape);
      std::size_t at = 0;
      if (other.values != nullptr &&
          broadcast_position(other.shape, input.shape, index_of_position(input.shape, bad), at) && at < other.count)
        there += ": " + number_text(other.values[at]);
    }
    // The output's gradient there, where the output has the input's shape
    // (else many of its elements fed this one).
    const tensor_impl<T>& output = *node.output;
    if (output.gradient != nullptr && output.shape == input.shape)
      there += "; gradient of the output there: " + number_text(output.gradient[bad]);
    throw numeric_error(text + there);
  }
}

}  // namespace janus::detail
