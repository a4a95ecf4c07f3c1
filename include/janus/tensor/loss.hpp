// janus/tensor/loss.hpp: mse_loss, the mean squared error as one node.
#pragma once

#include <cstddef>
#include <utility>

#include "janus/rules/arithmetic.hpp"
#include "janus/rules/power.hpp"
#include "janus/tensor/basic_tensor.hpp"

namespace janus {

/// mean((prediction - target)^2) over every element; the shapes must agree.
/// Its gradient chains the table's square and sub pullbacks.
template <class T>
basic_tensor<T> mse_loss(const basic_tensor<T>& prediction, const basic_tensor<T>& target) {
  const detail::tensor_impl<T>& p = prediction.impl();
  const detail::tensor_impl<T>& t = target.impl();
  if (p.shape != t.shape) {
    detail::throw_shape("mse_loss", "shapes differ: " + to_string(p.shape) + " and " + to_string(t.shape));
  }
  if (p.count == 0) detail::throw_shape("mse_loss", "empty tensors of shape " + to_string(p.shape));
  constexpr rules::sub difference;
  constexpr rules::square square;
  T total = 0;
  for (std::size_t i = 0; i < p.count; ++i) total += square.value(difference.value(p.values[i], t.values[i]));
  detail::impl_ref<T> out = detail::new_impl<T>("mse_loss", {});
  out->values[0] = total / static_cast<T>(p.count);
  if (detail::should_record<T>(prediction.handle(), target.handle())) {
    detail::this_thread_tensor_tape<T>().record("mse_loss", out, [difference, square](detail::tensor_node<T>& node) {
      detail::tensor_impl<T>& pi = node.input(0);
      detail::tensor_impl<T>& ti = node.input(1);
      const T g = node.output->gradient[0] / static_cast<T>(pi.count);
      detail::gradient_slot<T> slot_p{nullptr, true};
      detail::gradient_slot<T> slot_t{nullptr, true};
      if (node.wants(0)) slot_p = detail::gradient_of(pi);
      if (node.wants(1)) slot_t = detail::gradient_of(ti);
      for (std::size_t i = 0; i < pi.count; ++i) {
        const T d = difference.value(pi.values[i], ti.values[i]);
        const T gd = square.pullback(d, square.value(d), g);
        const rules::adjoints<T> adj = difference.pullback(pi.values[i], ti.values[i], d, gd);
        if (slot_p.data != nullptr) slot_p.data[i] = slot_p.accumulate ? slot_p.data[i] + adj.first : adj.first;
        if (slot_t.data != nullptr) slot_t.data[i] = slot_t.accumulate ? slot_t.data[i] + adj.second : adj.second;
      }
    }, prediction.handle(), target.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace janus
