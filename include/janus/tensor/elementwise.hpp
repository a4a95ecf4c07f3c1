// janus/tensor/elementwise.hpp: apply(rule, ...), any rule of the table (or a user's) element by element.
//
// The value comes from rule.value and every gradient from rule.pullback,
// through rules::pullback_of: an adjoint of 0 propagates nothing, even through
// an infinite derivative (docs/rules.md). No derivative is written here. Two
// tensors broadcast; a scalar is a constant.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "janus/rules/rule.hpp"
#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/broadcast.hpp"

namespace janus {

/// y = rule(x) elementwise; gradient x += rule.pullback(x, y, g).
template <class T, class Rule>
  requires rules::unary_rule<Rule, T>
basic_tensor<T> apply(const Rule& rule, const basic_tensor<T>& x) {
  const detail::tensor_impl<T>& in = x.impl();
  detail::impl_ref<T> out = detail::new_impl<T>(Rule::name, in.shape);
  const T* xv = in.values;
  T* yv = out->values;
  for (std::size_t i = 0; i < in.count; ++i) yv[i] = rule.value(xv[i]);
  if (detail::should_record<T>(x.handle())) {
    detail::this_thread_tensor_tape<T>().record(Rule::name, out, [rule](detail::tensor_node<T>& node) {
      detail::tensor_impl<T>& input = node.input(0);
      const detail::gradient_slot<T> slot = detail::gradient_of(input);
      const T* xs = input.values;
      const T* ys = node.output->values;
      const T* gs = node.output->gradient;
      T* gx = slot.data;
      if (slot.accumulate) {
        for (std::size_t i = 0; i < input.count; ++i) gx[i] += rules::pullback_of(rule, xs[i], ys[i], gs[i]);
      } else {
        for (std::size_t i = 0; i < input.count; ++i) gx[i] = rules::pullback_of(rule, xs[i], ys[i], gs[i]);
      }
    }, x.handle());
  }
  return basic_tensor<T>(std::move(out));
}

/// y = rule(a, b) elementwise with NumPy broadcasting; gradients from rule.pullback,
/// summed over each input's broadcast axes.
template <class T, class Rule>
  requires rules::binary_rule<Rule, T>
basic_tensor<T> apply(const Rule& rule, const basic_tensor<T>& a, const basic_tensor<T>& b) {
  const detail::tensor_impl<T>& ia = a.impl();
  const detail::tensor_impl<T>& ib = b.impl();
  detail::impl_ref<T> out = detail::new_unshaped_impl<T>();
  detail::broadcast_shape(Rule::name, ia.shape, ib.shape, out->shape);
  detail::allocate_values(Rule::name, *out);
  const T* av = ia.values;
  const T* bv = ib.values;
  T* yv = out->values;
  if (ia.shape == ib.shape) {
    for (std::size_t i = 0; i < out->count; ++i) yv[i] = rule.value(av[i], bv[i]);
  } else {
    detail::for_each_run(out->shape, detail::broadcast_strides(ia.shape, out->shape),
                         detail::broadcast_strides(ib.shape, out->shape),
                         [&](std::size_t p, std::size_t pa, std::size_t pb, std::size_t n, std::size_t sa,
                             std::size_t sb) {
                           for (std::size_t j = 0; j < n; ++j) yv[p + j] = rule.value(av[pa + j * sa], bv[pb + j * sb]);
                         });
  }
  if (detail::should_record<T>(a.handle(), b.handle())) {
    detail::this_thread_tensor_tape<T>().record(Rule::name, out, [rule](detail::tensor_node<T>& node) {
      const detail::tensor_impl<T>& output = *node.output;
      detail::tensor_impl<T>& in_a = node.input(0);
      detail::tensor_impl<T>& in_b = node.input(1);
      const T* as = in_a.values;
      const T* bs = in_b.values;
      const T* ys = output.values;
      const T* gs = output.gradient;
      if (in_a.shape == output.shape && in_b.shape == output.shape) {
        // Same shapes: first contributions are stored, not added to zero.
        detail::gradient_slot<T> slot_a{nullptr, true};
        detail::gradient_slot<T> slot_b{nullptr, true};
        if (node.wants(0)) slot_a = detail::gradient_of(in_a);
        if (node.wants(1)) slot_b = detail::gradient_of(in_b);
        for (std::size_t i = 0; i < output.count; ++i) {
          const rules::adjoints<T> adj = rules::pullback_of(rule, as[i], bs[i], ys[i], gs[i]);
          if (slot_a.data != nullptr) slot_a.data[i] = slot_a.accumulate ? slot_a.data[i] + adj.first : adj.first;
          if (slot_b.data != nullptr) slot_b.data[i] = slot_b.accumulate ? slot_b.data[i] + adj.second : adj.second;
        }
        return;
      }
      T* ga = node.wants(0) ? detail::zeroed_gradient_of(in_a) : nullptr;
      T* gb = node.wants(1) ? detail::zeroed_gradient_of(in_b) : nullptr;
      detail::for_each_run(output.shape, detail::broadcast_strides(in_a.shape, output.shape),
                           detail::broadcast_strides(in_b.shape, output.shape),
                           [&](std::size_t p, std::size_t pa, std::size_t pb, std::size_t n, std::size_t sa,
                               std::size_t sb) {
                             for (std::size_t j = 0; j < n; ++j) {
                               const rules::adjoints<T> adj = rules::pullback_of(
                                   rule, as[pa + j * sa], bs[pb + j * sb], ys[p + j], gs[p + j]);
                               if (ga != nullptr) ga[pa + j * sa] += adj.first;
                               if (gb != nullptr) gb[pb + j * sb] += adj.second;
                             }
                           });
    }, a.handle(), b.handle());
  }
  return basic_tensor<T>(std::move(out));
}

namespace detail {

/// rule(x, c) or rule(c, x) with a constant c: the constant gets no gradient.
template <bool ConstantFirst, class T, class Rule>
basic_tensor<T> apply_with_constant(const Rule& rule, const basic_tensor<T>& x, T c) {
  const tensor_impl<T>& in = x.impl();
  impl_ref<T> out = new_impl<T>(Rule::name, in.shape);
  const T* xv = in.values;
  T* yv = out->values;
  for (std::size_t i = 0; i < in.count; ++i) yv[i] = ConstantFirst ? rule.value(c, xv[i]) : rule.value(xv[i], c);
  if (should_record<T>(x.handle())) {
    this_thread_tensor_tape<T>().record(Rule::name, out, [rule, c](tensor_node<T>& node) {
      tensor_impl<T>& input = node.input(0);
      const gradient_slot<T> slot = gradient_of(input);
      const T* xs = input.values;
      const T* ys = node.output->values;
      const T* gs = node.output->gradient;
      for (std::size_t i = 0; i < input.count; ++i) {
        const T adjoint = ConstantFirst ? rules::pullback_of(rule, c, xs[i], ys[i], gs[i]).second
                                        : rules::pullback_of(rule, xs[i], c, ys[i], gs[i]).first;
        slot.data[i] = slot.accumulate ? slot.data[i] + adjoint : adjoint;
      }
    }, x.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace detail

/// y = rule(x, c) elementwise with a constant second argument.
template <class T, class Rule>
  requires rules::binary_rule<Rule, T>
basic_tensor<T> apply(const Rule& rule, const basic_tensor<T>& x, std::type_identity_t<T> c) {
  return detail::apply_with_constant<false>(rule, x, c);
}

/// y = rule(c, x) elementwise with a constant first argument.
template <class T, class Rule>
  requires rules::binary_rule<Rule, T>
basic_tensor<T> apply(const Rule& rule, std::type_identity_t<T> c, const basic_tensor<T>& x) {
  return detail::apply_with_constant<true>(rule, x, c);
}

}  // namespace janus
