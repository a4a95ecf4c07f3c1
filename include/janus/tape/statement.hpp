// janus/tape/statement.hpp: arithmetic on vars as a statement not yet
// recorded, which becomes one tape entry when it is made a var.
//
// `a * b + sin(c)` on vars records nothing by itself: each operation returns
// a small expression that holds its operands (vars and constants by value,
// subexpressions by value) and its own value, computed at once. When the
// expression becomes a var (construction, `=`, `+=`, passing it where a var
// is expected, `backward()`), one statement is recorded: its value, and the
// partial with respect to each distinct var among its leaves, from one
// reverse sweep over the expression at compile time that calls each rule's
// pullback (the table of janus/rules) with the adjoint of its node. This is
// how Adept and CoDiPack record; in janus it is the tape and the static
// engine's way of sweeping one formula meeting on the same rules.
//
// Why it pays: a statement of k operations costs one tape entry instead of k,
// and the reverse sweep visits it once; the partials of its inner nodes are
// products of registers, not loads and stores of the tape.
//
// What `auto` gives: `auto y = a * b;` is such an expression. It is safe to
// keep (it holds copies, not references) and usable wherever a var is; each
// use of it records its operations again as part of the statement that uses
// it (its value is not computed twice, its sweep is). A value used many
// times is cheaper as a `var`.
//
// Statements are split where one stops paying: an operand of more than
// `max_statement_leaves` var leaves is recorded as a statement of its own
// first (that many operands make the search for repeated vars quadratic).
#pragma once

#include <cmath>
#include <compare>
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "janus/rules/rule.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/generations.hpp"
#include "janus/tape/recorder.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

/// The most var leaves (counting repeats) one statement takes before an
/// operand is recorded as a statement of its own.
inline constexpr std::size_t max_statement_leaves = 32;

namespace detail {

/// Where a statement's operands are written: straight into the tape's
/// operand arrays, each distinct recorded var once, with its partial the sum
/// of the adjoints of its appearances. Constants (index 0) are left out.
template <class T>
struct statement_writer {
  index_type* index;
  T* partial;
  std::size_t count = 0;
  // The generations of the recorded leaves, and-ed and or-ed: they agree
  // when both are equal (tape/generations.hpp).
  generation_type all = ~generation_type{0};
  generation_type any = 0;

  [[gnu::always_inline]] void leaf(const basic_var<T>& x, T adjoint) {
    const index_type at = x.index();
    const bool recorded = at != 0;
    const generation_type generation = x.generation();
    all &= recorded ? generation : all;
    any |= recorded ? generation : 0;
    for (std::size_t k = 0; k < count; ++k) {
      if (index[k] == at) {
        partial[k] += adjoint;
        return;
      }
    }
    index[count] = at;
    partial[count] = adjoint;
    count += recorded ? 1 : 0;
  }

  generation_type generation() const { return all == any ? any : 0; }
};

/// `value`, rounded to T where it stands. GCC contracts a multiplication
/// and an addition of one inlined statement into a fused multiply-add, which
/// rounds once where the operations would have rounded twice; a statement's
/// values are those of its rules, as recording operation by operation gave
/// them, so each value is made opaque to the optimiser once computed.
template <class T>
[[gnu::always_inline]] inline T rounded(T value) {
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+x"(value));
#elif defined(__GNUC__) && !defined(__clang__) && defined(__aarch64__)
  asm("" : "+w"(value));
#endif
  return value;
}

/// The marker of a statement type (statement_base below).
struct statement_tag {};

template <class X>
concept statement = std::derived_from<std::remove_cvref_t<X>, statement_tag>;

// The operands of a statement: a var (a leaf), a constant of T (no leaf), or
// another statement.

template <class T>
[[gnu::always_inline]] inline T operand_value(const basic_var<T>& x) {
  return x.value();
}
template <std::floating_point T>
[[gnu::always_inline]] inline T operand_value(T x) {
  return x;
}
template <statement X>
[[gnu::always_inline]] inline auto operand_value(const X& x) {
  return x.value();
}

/// The value of an operand or of an arithmetic constant, as a T.
template <class T, class X>
[[gnu::always_inline]] inline T plain_value(const X& x) {
  if constexpr (std::is_arithmetic_v<X>) {
    return static_cast<T>(x);
  } else {
    return x.value();
  }
}

template <class X>
inline constexpr std::size_t leaf_count = 0;
template <class T>
inline constexpr std::size_t leaf_count<basic_var<T>> = 1;
template <statement X>
inline constexpr std::size_t leaf_count<X> = X::leaves;

template <class T, class X>
[[gnu::always_inline]] inline void propagate(const X& x, T adjoint, statement_writer<T>& out) {
  if constexpr (std::same_as<X, basic_var<T>>) {
    out.leaf(x, adjoint);
  } else if constexpr (statement<X>) {
    x.propagate(adjoint, out);
  }
}

/// Whether a var leaf of `x` is recorded.
template <class T, class X>
[[gnu::always_inline]] inline bool has_recorded_leaf(const X& x) {
  if constexpr (std::same_as<X, basic_var<T>>) {
    return x.index() != 0;
  } else if constexpr (statement<X>) {
    return x.has_recorded_leaf();
  } else {
    return false;
  }
}

/// Whether an operation with operand `x` is checked under
/// janus::detect_anomaly: `x` is a recorded var, or an operation on vars.
template <class T, class X>
bool checked_operand(const X& x) {
  if constexpr (std::same_as<X, basic_var<T>>) {
    return x.index() != 0;
  } else {
    return statement<X>;
  }
}

/// The operand's place on the tape in a report (0: not a recorded var).
template <class T, class X>
index_type operand_index(const X& x) {
  if constexpr (std::same_as<X, basic_var<T>>) {
    return x.index();
  } else {
    return 0;
  }
}

/// The operand as a var, its operations recorded one statement each.
template <class T, class X>
basic_var<T> record_each(const X& x) {
  if constexpr (std::same_as<X, basic_var<T>>) {
    return x;
  } else if constexpr (statement<X>) {
    return x.record_each();
  } else {
    return basic_var<T>::constant(x);
  }
}

/// The name of a rule as an object with a fixed address, so that the tape
/// stores a pointer to it (whatever type the rule declares its name with).
/// A statement is drawn with the name of its last operation.
template <class Rule>
inline constexpr std::string_view rule_name = Rule::name;

/// Records one operation whose operands are recorded already.
template <class T, class Rule, std::size_t N>
basic_var<T> record_operation(T value, const basic_var<T> (&operands)[N], const T (&partials)[N]) {
  index_type inputs[N];
  bool recorded = false;
  for (std::size_t i = 0; i < N; ++i) {
    inputs[i] = operands[i].index();
    recorded |= inputs[i] != 0;
  }
  if (!recorded) return basic_var<T>::constant(value);
  T values[N];
  for (std::size_t i = 0; i < N; ++i) values[i] = operands[i].value();
  detail::recorder::check_value_recorded<T>(Rule::name, value, values, inputs);
  const index_type index = detail::recorder::record(this_thread_tape<T>(), &rule_name<Rule>, value, inputs, partials);
  return detail::var_access::recorded<T>(value, index, operands_generation(std::span<const basic_var<T>, N>(operands)));
}

/// What every statement does: its value, and becoming a var.
template <class Derived, std::floating_point T>
class statement_base : public statement_tag {
 public:
  using value_type = T;

  /// Records the statement and returns the var holding its value (a
  /// constant when no var leaf of it is recorded).
  [[gnu::always_inline]] operator basic_var<T>() const {  // NOLINT: implicit, as Adept's expressions
    return record();
  }

  [[gnu::always_inline]] basic_var<T> record() const {
    if (!janus::detail::records_unchecked()) [[unlikely]] return record_checked();
    return record_unchecked();
  }

  /// Whether gradients flow through the statement: a var leaf of it is
  /// recorded (and it was not made under janus::no_grad).
  bool requires_grad() const { return self().has_recorded_leaf(); }

  /// The statement's value as a constant (nothing recorded).
  basic_var<T> detach() const noexcept { return basic_var<T>::constant(self().value()); }

  /// Records the statement and runs the reverse sweep from it
  /// (janus::var::backward).
  void backward() const { record().backward(); }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }

  [[gnu::always_inline]] basic_var<T> record_unchecked() const {
    auto& tape = this_thread_tape<T>();
    const auto space = detail::recorder::reserve_operands(tape, Derived::leaves);
    statement_writer<T> writer{space.index, space.partial};
    self().propagate(T(1), writer);
    const T value = self().value();
    const index_type index =
        detail::recorder::close_written(tape, &rule_name<typename Derived::rule_type>, value, writer.count);
    if (index == 0) return basic_var<T>::constant(value);
    return detail::var_access::recorded<T>(value, index, writer.generation());
  }

  // Under janus::detect_anomaly each operation is recorded as a statement
  // of its own, as without statements: a gradient that overflows is then
  // reported at the operation that made it. (Under janus::no_grad the
  // statement records all the same: whether an operation is recorded was
  // decided when it was made.)
  [[gnu::noinline]] basic_var<T> record_checked() const {
    if (is_detecting_anomalies()) return self().record_each();
    return record_unchecked();
  }
};

/// rule(a): a one-operand statement.
template <std::floating_point T, class Rule, class A>
class unary_statement : public statement_base<unary_statement<T, Rule, A>, T> {
 public:
  using rule_type = Rule;
  static constexpr std::size_t leaves = leaf_count<A>;

  [[gnu::always_inline]] unary_statement(const Rule& rule, const A& a)
      : a_(a), value_(rounded(rule.value(operand_value(a_)))), rule_(rule) {}

  [[gnu::always_inline]] T value() const noexcept { return value_; }

  [[gnu::always_inline]] void propagate(T adjoint, statement_writer<T>& out) const {
    detail::propagate(a_, rules::pullback_of(rule_, operand_value(a_), value_, adjoint), out);
  }

  bool has_recorded_leaf() const { return detail::has_recorded_leaf<T>(a_); }

  basic_var<T> record_each() const {
    const basic_var<T> a = detail::record_each<T>(a_);
    return record_operation<T, Rule>(value_, {a}, {rule_.pullback(a.value(), value_, T(1))});
  }

 private:
  A a_;
  T value_;
  [[no_unique_address]] Rule rule_;
};

/// rule(a, b): a two-operand statement.
template <std::floating_point T, class Rule, class A, class B>
class binary_statement : public statement_base<binary_statement<T, Rule, A, B>, T> {
 public:
  using rule_type = Rule;
  static constexpr std::size_t leaves = leaf_count<A> + leaf_count<B>;

  [[gnu::always_inline]] binary_statement(const Rule& rule, const A& a, const B& b)
      : a_(a), b_(b), value_(rounded(rule.value(operand_value(a_), operand_value(b_)))), rule_(rule) {}

  [[gnu::always_inline]] T value() const noexcept { return value_; }

  [[gnu::always_inline]] void propagate(T adjoint, statement_writer<T>& out) const {
    const rules::adjoints<T> partials =
        rules::pullback_of(rule_, operand_value(a_), operand_value(b_), value_, adjoint);
    detail::propagate(a_, partials.first, out);
    detail::propagate(b_, partials.second, out);
  }

  bool has_recorded_leaf() const { return detail::has_recorded_leaf<T>(a_) || detail::has_recorded_leaf<T>(b_); }

  basic_var<T> record_each() const {
    const basic_var<T> a = detail::record_each<T>(a_);
    const basic_var<T> b = detail::record_each<T>(b_);
    const rules::adjoints<T> partials = rule_.pullback(a.value(), b.value(), value_, T(1));
    return record_operation<T, Rule>(value_, {a, b}, {partials.first, partials.second});
  }

 private:
  A a_;
  B b_;
  T value_;
  [[no_unique_address]] Rule rule_;
};

/// Under janus::detect_anomaly, numeric_error unless `value`, that of an
/// operation `name` on operands of values `inputs` and places `indices`, is
/// finite or depends on no recorded var (`checked` false). Out of line, and
/// given numbers, not the operands: reading the leaves of the statement
/// being made, or taking an operand's address, would keep compilers from
/// holding statements in registers.
template <class T, std::size_t N>
[[gnu::noinline, gnu::cold]] void check_operation(std::string_view name, T value, const T (&inputs)[N],
                                                  const index_type (&indices)[N], bool checked) {
  if (checked && is_recording()) detail::recorder::check_value_recorded<T>(name, value, inputs, indices);
}

/// A statement read where it stands, for an operand that outlives the
/// statement made from it (the right side of `+=`): copying a large
/// statement into its parent costs more than the parent's arithmetic where
/// the compiler does not keep both in registers.
template <class S>
class statement_reference : public statement_base<statement_reference<S>, typename S::value_type> {
 public:
  using T = typename S::value_type;
  using rule_type = typename S::rule_type;
  static constexpr std::size_t leaves = S::leaves;

  [[gnu::always_inline]] explicit statement_reference(const S& statement) : statement_(&statement) {}

  [[gnu::always_inline]] T value() const noexcept { return statement_->value(); }
  [[gnu::always_inline]] void propagate(T adjoint, statement_writer<T>& out) const {
    statement_->propagate(adjoint, out);
  }
  bool has_recorded_leaf() const { return statement_->has_recorded_leaf(); }
  basic_var<T> record_each() const { return statement_->record_each(); }

 private:
  const S* statement_;
};

/// `x` as an operand read in place where it is a statement.
template <class X>
[[gnu::always_inline]] inline auto in_place(const X& x) {
  if constexpr (statement<X>) {
    return statement_reference<X>(x);
  } else {
    return x;
  }
}

template <class X>
struct statement_scalar {
  using type = void;
};
template <std::floating_point T>
struct statement_scalar<basic_var<T>> {
  using type = T;
};
template <statement X>
struct statement_scalar<X> {
  using type = typename X::value_type;
};
template <class X>
using statement_scalar_t = typename statement_scalar<std::remove_cvref_t<X>>::type;

/// An operand as a statement stores it: a statement whose leaves would take
/// its parent past max_statement_leaves is recorded (a var) first. A var
/// read by an operation made under janus::no_grad (`paused`) is a constant
/// there. (A statement made earlier keeps its leaves: whether its own
/// operations record was decided when they were made.)
template <class T, std::size_t Budget, class X>
[[gnu::always_inline]] inline decltype(auto) as_operand(const X& x, bool paused) {
  if constexpr (std::is_arithmetic_v<X>) {
    return static_cast<T>(x);
  } else if constexpr (std::same_as<X, basic_var<T>>) {
    return paused ? x.detach() : x;
  } else if constexpr (leaf_count<X> > Budget) {
    return basic_var<T>(x);
  } else {
    return (x);
  }
}

template <class T, std::size_t Budget, class X>
using operand_t = std::remove_cvref_t<decltype(as_operand<T, Budget>(std::declval<const X&>(), false))>;

}  // namespace detail

namespace detail {

template <class X>
  requires statement<X>
struct var_of<X> {
  using type = basic_var<typename X::value_type>;
};

template <class X>
concept constant_operand = std::is_arithmetic_v<std::remove_cvref_t<X>>;

/// The operands of an operation on vars: var-likes of one scalar type, or
/// one of them and an arithmetic constant.
template <class A, class B>
concept statement_operands =
    (var_like<A> && var_like<B> && std::same_as<statement_scalar_t<A>, statement_scalar_t<B>>) ||
    (var_like<A> && constant_operand<B>) || (constant_operand<A> && var_like<B>);

template <class A, class B>
using common_scalar_t = std::conditional_t<var_like<A>, statement_scalar_t<A>, statement_scalar_t<B>>;

}  // namespace detail

}  // namespace janus::tape

namespace janus {

namespace tape::detail {
/// Whether recording is paused (janus::no_grad), asked only when something
/// is to be checked.
[[gnu::always_inline]] inline bool paused() {
  return !janus::detail::records_unchecked() && !is_recording();
}
}  // namespace tape::detail

/// rule(x) on a var or a statement, as a statement to be recorded.
template <class Rule, tape::detail::var_like X>
  requires rules::unary_rule<Rule, tape::detail::statement_scalar_t<X>>
[[gnu::always_inline]] inline auto apply(const Rule& rule, const X& x) {
  using T = tape::detail::statement_scalar_t<X>;
  constexpr std::size_t budget = tape::max_statement_leaves;
  using A = tape::detail::operand_t<T, budget, X>;
  const bool paused = tape::detail::paused();
  const tape::detail::unary_statement<T, Rule, A> result(rule, tape::detail::as_operand<T, budget>(x, paused));
  if (!janus::detail::records_unchecked()) [[unlikely]] {
    tape::detail::check_operation(Rule::name, result.value(), {tape::detail::plain_value<T>(x)},
                                  {tape::detail::operand_index<T>(x)}, tape::detail::checked_operand<T>(x));
  }
  return result;
}

/// rule(a, b) with a var or statement on either side (a constant on the
/// other, at most), as a statement to be recorded.
template <class Rule, class X, class Y>
  requires tape::detail::statement_operands<X, Y> &&
           rules::binary_rule<Rule, tape::detail::common_scalar_t<X, Y>>
[[gnu::always_inline]] inline auto apply(const Rule& rule, const X& a, const Y& b) {
  using T = tape::detail::common_scalar_t<X, Y>;
  // The second operand takes what the first leaves of the budget.
  constexpr std::size_t budget = tape::max_statement_leaves;
  using A = tape::detail::operand_t<T, budget, X>;
  constexpr std::size_t rest = budget - tape::detail::leaf_count<A>;
  using B = tape::detail::operand_t<T, rest, Y>;
  const bool paused = tape::detail::paused();
  const tape::detail::binary_statement<T, Rule, A, B> result(rule, tape::detail::as_operand<T, budget>(a, paused),
                                                             tape::detail::as_operand<T, rest>(b, paused));
  if (!janus::detail::records_unchecked()) [[unlikely]] {
    tape::detail::check_operation(Rule::name, result.value(),
                                  {tape::detail::plain_value<T>(a), tape::detail::plain_value<T>(b)},
                                  {tape::detail::operand_index<T>(a), tape::detail::operand_index<T>(b)},
                                  tape::detail::checked_operand<T>(a) || tape::detail::checked_operand<T>(b));
  }
  return result;
}

}  // namespace janus
