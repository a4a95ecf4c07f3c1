// janus/distributed/gradient_hook.hpp: on_gradient, an identity on the
// tensor tape whose backward step calls a function: where data-parallel
// training hooks into the backward sweep without a change to the tape.
//
// The tape sweeps its operations in the reverse of their recording order.
// When the backward step of y = on_gradient(x, f) runs, every operation
// recorded after it has run its own: the gradients of the parameters of
// whatever was applied to y are complete.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>

#include "janus/tensor.hpp"

namespace janus::distributed {

/// y = x, sharing x's values. In backward, f(g) runs with g the gradient
/// reaching y, which f may change in place, before it flows on to x.
/// Nothing is recorded, and f never runs, when x does not track a gradient.
template <class T, class Function>
basic_tensor<T> on_gradient(const basic_tensor<T>& x, Function f) {
  if (!janus::detail::should_record<T>(x.handle())) return x;
  const janus::detail::tensor_impl<T>& in = x.impl();
  janus::detail::impl_ref<T> out = janus::detail::new_view(x.handle(), in.values, in.count);
  out->shape = in.shape;
  janus::detail::this_thread_tensor_tape<T>().record(
      "on_gradient", out,
      [f = std::move(f)](janus::detail::tensor_node<T>& node) mutable {
        janus::detail::tensor_impl<T>& input = node.input(0);
        T* gradient = node.output->gradient;
        f(std::span<T>(gradient, input.count));
        const janus::detail::gradient_slot<T> slot = janus::detail::gradient_of(input);
        if (slot.accumulate) {
          for (std::size_t i = 0; i < input.count; ++i) slot.data[i] += gradient[i];
        } else {
          std::copy_n(gradient, input.count, slot.data);
        }
      },
      x.handle());
  return basic_tensor<T>(std::move(out));
}

}  // namespace janus::distributed
