// janus/tape/var.hpp: `janus::var`, a scalar recorded on this thread's tape,
// and `janus::apply`, which runs any rule of the table (or a user's own) on it.
#pragma once

#include <concepts>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "janus/rules/rule.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"

namespace janus {

namespace tape::detail {
/// The name of a rule as an object with a fixed address, so that the tape
/// stores a pointer to it (whatever type the rule declares its name with).
template <class Rule>
inline constexpr std::string_view rule_name = Rule::name;

template <class A>
concept arithmetic = std::is_arithmetic_v<A>;
}  // namespace tape::detail

/// A scalar on the tape: the value, and its index on this thread's tape.
///
/// `basic_var<T> x = 3.0;` records a leaf (an input whose gradient is wanted);
/// operations on vars record statements; `y.backward()` adds dy/dx to
/// `x.grad()` for every x that y depends on. A default-constructed var, one
/// made under `janus::no_grad` and one returned by `detach()` are constants:
/// not recorded, their gradient is always 0. Copies are cheap and refer to the
/// same value on the tape. A var belongs to the thread that recorded it and
/// lives until the tape is rewound past it (see janus/tape/scalar_tape.hpp).
template <std::floating_point T>
class basic_var {
 public:
  using value_type = T;

  /// The constant 0, not recorded.
  constexpr basic_var() noexcept = default;

  /// A leaf holding `value` (a constant under `janus::no_grad`).
  template <tape::detail::arithmetic A>
  basic_var(A value)  // NOLINT: implicit, so that `var x = 3.0;` reads like the math
      : value_(static_cast<T>(value)),
        index_(is_recording() ? tape::this_thread_tape<T>().record_leaf(value_) : 0) {}

  /// A constant: takes part in arithmetic, records nothing, has no gradient.
  static basic_var constant(T value) noexcept { return recorded(value, 0); }

  /// A leaf with a label, shown by `janus::to_dot`.
  basic_var(T value, std::string_view text) : basic_var(value) { label(text); }

  T value() const noexcept { return value_; }

  /// The sum of d(root)/d(this) over every `backward()` of a root that
  /// depends on this value since it was recorded.
  T grad() const { return tape::this_thread_tape<T>().gradient(index_); }

  /// Sets this value's accumulated gradient back to 0 (for a parameter kept
  /// across iterations).
  void zero_grad() const { tape::this_thread_tape<T>().zero_gradient(index_); }

  /// Adds d(this)/dx to the gradient of every recorded x this value depends on.
  void backward() const {
    if (index_ == 0)
      throw std::logic_error(
          "janus::var::backward: the value is not recorded (it was made under janus::no_grad, "
          "by detach(), or from constants only), so it has no graph to differentiate");
    tape::this_thread_tape<T>().backward(index_);
  }

  /// Whether the value is recorded, so that gradients flow through it.
  bool requires_grad() const noexcept { return index_ != 0; }

  /// The same value as a constant: gradients do not flow through it.
  basic_var detach() const noexcept { return recorded(value_, 0); }

  /// Names the value in drawings of the graph. A value that is not recorded
  /// has no place on the tape and keeps no label.
  basic_var& label(std::string_view text) {
    if (index_ != 0) tape::this_thread_tape<T>().set_label(index_, text);
    return *this;
  }
  std::string_view label() const {
    return index_ == 0 ? std::string_view{} : tape::this_thread_tape<T>().label(index_);
  }

  /// The position on this thread's tape (0: not recorded).
  tape::index_type index() const noexcept { return index_; }

  /// A var for a value already on the tape at `index` (0: a constant).
  static basic_var recorded(T value, tape::index_type index) noexcept {
    basic_var result;
    result.value_ = value;
    result.index_ = index;
    return result;
  }

 private:
  T value_ = T(0);
  tape::index_type index_ = 0;
};

using var = basic_var<double>;

// Running a rule on the tape. The value comes from `rule.value`, and the local
// partials from `rule.pullback` with an upstream adjoint of 1 (pullbacks are
// linear in it), so no derivative is written here. These are forced inline:
// called out of line, every result would travel through memory.

/// y = rule(x), recorded when x is.
template <std::floating_point T, class Rule>
  requires rules::unary_rule<Rule, T>
[[gnu::always_inline]] inline basic_var<T> apply(const Rule& rule, const basic_var<T>& x) {
  const T input = x.value();
  const T output = rule.value(input);
  if (x.index() == 0 || !is_recording()) return basic_var<T>::recorded(output, 0);
  const T partial = rule.pullback(input, output, T(1));
  return basic_var<T>::recorded(
      output, tape::this_thread_tape<T>().record(&tape::detail::rule_name<Rule>, output, x.index(), partial));
}

/// y = rule(a, b), recorded when a or b is; only recorded inputs become operands.
template <std::floating_point T, class Rule>
  requires rules::binary_rule<Rule, T>
[[gnu::always_inline]] inline basic_var<T> apply(const Rule& rule, const basic_var<T>& a,
                                                 const basic_var<T>& b) {
  const T first = a.value();
  const T second = b.value();
  const T output = rule.value(first, second);
  if ((a.index() == 0 && b.index() == 0) || !is_recording()) return basic_var<T>::recorded(output, 0);
  const rules::adjoints<T> partial = rule.pullback(first, second, output, T(1));
  auto& tape = tape::this_thread_tape<T>();
  const std::string_view* name = &tape::detail::rule_name<Rule>;
  if (b.index() == 0) return basic_var<T>::recorded(output, tape.record(name, output, a.index(), partial.first));
  if (a.index() == 0) return basic_var<T>::recorded(output, tape.record(name, output, b.index(), partial.second));
  return basic_var<T>::recorded(
      output, tape.record(name, output, a.index(), partial.first, b.index(), partial.second));
}

/// y = rule(a, constant).
template <std::floating_point T, class Rule, tape::detail::arithmetic A>
  requires rules::binary_rule<Rule, T>
[[gnu::always_inline]] inline basic_var<T> apply(const Rule& rule, const basic_var<T>& a, A b) {
  return apply(rule, a, basic_var<T>::recorded(static_cast<T>(b), 0));
}

/// y = rule(constant, b).
template <std::floating_point T, class Rule, tape::detail::arithmetic A>
  requires rules::binary_rule<Rule, T>
[[gnu::always_inline]] inline basic_var<T> apply(const Rule& rule, A a, const basic_var<T>& b) {
  return apply(rule, basic_var<T>::recorded(static_cast<T>(a), 0), b);
}

}  // namespace janus
