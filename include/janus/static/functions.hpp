// janus/static/functions.hpp: arithmetic, every rule of the table, `apply`,
// `select` and comparisons on static expressions.
//
// Each function here only builds a node around a rule object; the math lives
// in the rule table (janus/rules), the sweep in sweep.hpp.
#pragma once

#include <array>
#include <type_traits>

#include "janus/rules.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/node_traits.hpp"
#include "janus/static/preaccumulate.hpp"
#include "janus/static/run_sweep.hpp"

namespace janus {

namespace detail {

template <class X>
struct scalar_of {
  using type = void;
};
template <class Node, class T, std::size_t N, class Values>
struct scalar_of<expression<Node, T, N, Values>> {
  using type = T;
};

/// The scalar type of an operation on `A` and `B`: that of its expression operand(s).
template <class A, class B>
constexpr auto common_scalar() {
  using ta = typename scalar_of<A>::type;
  using tb = typename scalar_of<B>::type;
  if constexpr (std::is_void_v<ta>) {
    return std::type_identity<tb>{};
  } else {
    static_assert(std::is_void_v<tb> || std::is_same_v<ta, tb>,
                  "janus: both operands must have the same scalar type (float and double variables do not mix)");
    return std::type_identity<ta>{};
  }
}

/// The node of an operand: a number beside an expression becomes a constant
/// node of the expression's scalar type.
template <class T, class X>
constexpr decltype(auto) node_of(const X& x) {
  if constexpr (static_expression<X>) return (x.node);
  else return constant_node<T>{static_cast<T>(x)};
}

template <class T, class X>
using node_type_of = std::remove_cvref_t<decltype(node_of<T>(std::declval<const X&>()))>;

/// Values copied into each expression (`janus::variables`, `janus::constant`),
/// and the call that made identity `Id` there (void for none).
template <class Values, std::size_t Id>
struct owner_at {
  using type = void;
};
template <class T, std::size_t N, class... Owners, std::size_t Id>
  requires(Id < N)
struct owner_at<owned_values<T, N, Owners...>, Id> {
  using type = std::tuple_element_t<Id, std::tuple<Owners...>>;
};

template <class Values>
inline constexpr bool is_copied_values = false;
template <class T, std::size_t N>
inline constexpr bool is_copied_values<std::array<T, N>> = true;
template <class T, std::size_t N, class... Owners>
inline constexpr bool is_copied_values<owned_values<T, N, Owners...>> = true;

template <class Values>
inline constexpr std::size_t copied_count = 0;
template <class T, std::size_t N>
inline constexpr std::size_t copied_count<std::array<T, N>> = N;
template <class T, std::size_t N, class... Owners>
inline constexpr std::size_t copied_count<owned_values<T, N, Owners...>> = N;

template <id_mask Used, class Values, std::size_t Id>
using owner_if_read = std::conditional_t<((Used >> Id) & 1u) != 0, typename owner_at<Values, Id>::type, void>;

/// Whether a combination reads one identity from both sides, made by two
/// different calls of janus::variables.
template <id_mask UsedByA, id_mask UsedByB, class A, class B, std::size_t... Id>
constexpr bool owners_clash(std::index_sequence<Id...>) {
  return (((((UsedByA & UsedByB) >> Id) & 1u) != 0 &&
           !std::is_same_v<owner_if_read<UsedByA, A, Id>, owner_if_read<UsedByB, B, Id>>) ||
          ...);
}

/// Whether the operands of an operation may meet in one formula: not two
/// calls of janus::variables that both made an identity both operands read
/// (numbers hold no variables, and a functional call's variables one block).
/// The error otherwise; every operation of two operands asks this before it
/// merges their values.
template <class A, class B>
constexpr bool operands_of_one_set() {
  if constexpr (static_expression<A> && static_expression<B>) {
    using values_a = typename A::values_type;
    using values_b = typename B::values_type;
    if constexpr (is_copied_values<values_a> && is_copied_values<values_b>) {
      constexpr id_mask used_by_a = node_traits<typename A::node_type>::value_ids;
      constexpr id_mask used_by_b = node_traits<typename B::node_type>::value_ids;
      constexpr std::size_t n =
          copied_count<values_a> > copied_count<values_b> ? copied_count<values_a> : copied_count<values_b>;
      constexpr bool one_set = !owners_clash<used_by_a, used_by_b, values_a, values_b>(std::make_index_sequence<n>{});
      static_assert(one_set,
                    "janus: this formula combines variables of two calls of janus::variables that both made one "
                    "identity, which would make them one variable: make them in one call, "
                    "auto [x, y] = janus::variables(3.0, 5.0), or number the second set, janus::variables<1>(5.0)");
      return one_set;
    }
  }
  return true;
}

/// The owners of a combination: each identity's from the side that reads it.
template <id_mask UsedByA, id_mask UsedByB, class A, class B, class Identities>
struct merged_values;
template <id_mask UsedByA, id_mask UsedByB, class A, class B, std::size_t... Id>
struct merged_values<UsedByA, UsedByB, A, B, std::index_sequence<Id...>> {
  using type = owned_values<typename A::value_type, sizeof...(Id),
                            std::conditional_t<std::is_void_v<owner_if_read<UsedByA, A, Id>>,
                                               owner_if_read<UsedByB, B, Id>, owner_if_read<UsedByA, A, Id>>...>;
};

/// The variable values of a combination: each taken from an operand whose
/// tree reads that variable, with the call that made it (operands_of_one_set
/// has checked that no identity has two).
template <id_mask UsedByA, id_mask UsedByB, class A, class B>
  requires(is_copied_values<A> && is_copied_values<B>)
constexpr auto merge_values(const A& a, const B& b) {
  constexpr std::size_t na = copied_count<A>;
  constexpr std::size_t nb = copied_count<B>;
  constexpr std::size_t n = na > nb ? na : nb;
  using result_type = typename merged_values<UsedByA, UsedByB, A, B, std::make_index_sequence<n>>::type;
  result_type result{};
  for (std::size_t id = 0; id < n; ++id) {
    if (id < na && ((UsedByA >> id) & 1u)) result[id] = a[id];
    else if (id < nb && ((UsedByB >> id) & 1u)) result[id] = b[id];
  }
  return result;
}

/// In a functional call every expression points at the same arguments: the
/// combination takes the pointer of an operand whose tree reads variables
/// (a sum's body has its own, and a constant none).
template <id_mask UsedByA, id_mask UsedByB, class T, std::size_t N>
constexpr argument_values<T, N> merge_values(const argument_values<T, N>& a, const argument_values<T, N>& b) {
  if constexpr (UsedByA != 0) return a;
  else return b;
}

template <id_mask UsedByA, id_mask UsedByB, class A, class B>
constexpr auto merge_values(const A&, const B&) {
  static_assert(sizeof(A) == 0,
                "janus: an expression of janus::variables(...) cannot be combined with the variables that "
                "janus::grad(f) passes to f; build the whole formula from one of them");
}

template <class Values>
struct values_count;
template <class T, std::size_t N>
struct values_count<std::array<T, N>> : std::integral_constant<std::size_t, N> {};
template <class T, std::size_t N, class... Owners>
struct values_count<owned_values<T, N, Owners...>> : std::integral_constant<std::size_t, N> {};
template <class T, std::size_t N>
struct values_count<argument_values<T, N>> : std::integral_constant<std::size_t, N> {};

/// The variable values of an operation on `a` and `b` (numbers have none).
template <class T, class A, class B>
constexpr auto values_of(const A& a, const B& b) {
  if constexpr (static_expression<A> && static_expression<B>) {
    return merge_values<node_traits<typename A::node_type>::value_ids, node_traits<typename B::node_type>::value_ids>(
        a.variable_values, b.variable_values);
  } else if constexpr (static_expression<A>) {
    return a.variable_values;
  } else {
    return b.variable_values;
  }
}

// Operands pass through `bounded` (preaccumulate.hpp), which keeps every
// tree within a fixed size.

template <class Rule, class A>
constexpr auto make_unary(const Rule& rule, const A& a_given) {
  const auto& a = bounded(a_given);
  using operand = std::remove_cvref_t<decltype(a)>;
  return expression<unary<Rule, typename operand::node_type>, typename operand::value_type, operand::variable_count,
                    typename operand::values_type>{{rule, a.node}, a.variable_values};
}

template <class Rule, class A_given, class B_given>
constexpr auto make_binary(const Rule& rule, const A_given& a_given, const B_given& b_given) {
  const auto& a = bounded(a_given);
  const auto& b = bounded(b_given);
  using A = std::remove_cvref_t<decltype(a)>;
  using B = std::remove_cvref_t<decltype(b)>;
  using T = typename decltype(common_scalar<A, B>())::type;
  using values = decltype(values_of<T>(a, b));
  using node = binary<Rule, node_type_of<T, A>, node_type_of<T, B>>;
  return expression<node, T, values_count<values>::value, values>{{rule, node_of<T>(a), node_of<T>(b)},
                                                                   values_of<T>(a, b)};
}

}  // namespace detail

/// Any one-argument rule, the library's or a user's, on an expression.
template <class Rule, static_expression A>
  requires rules::unary_rule<Rule, typename A::value_type>
constexpr auto apply(const Rule& rule, const A& a) {
  return detail::make_unary(rule, a);
}

/// Any two-argument rule on expressions and numbers (at least one expression).
template <class Rule, static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>) && rules::binary_rule<Rule>
constexpr auto apply(const Rule& rule, const A& a, const B& b) {
  if constexpr (detail::operands_of_one_set<A, B>()) return detail::make_binary(rule, a, b);
  else return a;  // after the error above, so that it stays the only one
}

template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto operator+(const A& a, const B& b) { return janus::apply(rules::add{}, a, b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto operator-(const A& a, const B& b) { return janus::apply(rules::sub{}, a, b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto operator*(const A& a, const B& b) { return janus::apply(rules::mul{}, a, b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto operator/(const A& a, const B& b) { return janus::apply(rules::div{}, a, b); }

template <static_expression A> constexpr auto operator-(const A& a) { return janus::apply(rules::neg{}, a); }
template <static_expression A> constexpr auto operator+(const A& a) { return a; }

template <static_expression A> constexpr auto square(const A& a) { return janus::apply(rules::square{}, a); }
template <static_expression A> constexpr auto sqrt(const A& a) { return janus::apply(rules::sqrt{}, a); }
template <static_expression A> constexpr auto cbrt(const A& a) { return janus::apply(rules::cbrt{}, a); }
template <static_expression A> constexpr auto exp(const A& a) { return janus::apply(rules::exp{}, a); }
template <static_expression A> constexpr auto expm1(const A& a) { return janus::apply(rules::expm1{}, a); }
template <static_expression A> constexpr auto log(const A& a) { return janus::apply(rules::log{}, a); }
template <static_expression A> constexpr auto log1p(const A& a) { return janus::apply(rules::log1p{}, a); }
template <static_expression A> constexpr auto log2(const A& a) { return janus::apply(rules::log2{}, a); }
template <static_expression A> constexpr auto log10(const A& a) { return janus::apply(rules::log10{}, a); }
template <static_expression A> constexpr auto sin(const A& a) { return janus::apply(rules::sin{}, a); }
template <static_expression A> constexpr auto cos(const A& a) { return janus::apply(rules::cos{}, a); }
template <static_expression A> constexpr auto tan(const A& a) { return janus::apply(rules::tan{}, a); }
template <static_expression A> constexpr auto asin(const A& a) { return janus::apply(rules::asin{}, a); }
template <static_expression A> constexpr auto acos(const A& a) { return janus::apply(rules::acos{}, a); }
template <static_expression A> constexpr auto atan(const A& a) { return janus::apply(rules::atan{}, a); }
template <static_expression A> constexpr auto sinh(const A& a) { return janus::apply(rules::sinh{}, a); }
template <static_expression A> constexpr auto cosh(const A& a) { return janus::apply(rules::cosh{}, a); }
template <static_expression A> constexpr auto tanh(const A& a) { return janus::apply(rules::tanh{}, a); }
template <static_expression A> constexpr auto sigmoid(const A& a) { return janus::apply(rules::sigmoid{}, a); }
template <static_expression A> constexpr auto softplus(const A& a) { return janus::apply(rules::softplus{}, a); }
template <static_expression A> constexpr auto relu(const A& a) { return janus::apply(rules::relu{}, a); }
template <static_expression A> constexpr auto abs(const A& a) { return janus::apply(rules::abs{}, a); }
template <static_expression A> constexpr auto erf(const A& a) { return janus::apply(rules::erf{}, a); }
template <static_expression A> constexpr auto erfc(const A& a) { return janus::apply(rules::erfc{}, a); }

/// x^p for a constant exponent p.
template <static_expression A, class P>
  requires std::is_arithmetic_v<P>
constexpr auto pow(const A& a, P exponent) {
  return janus::apply(rules::pow_constant{static_cast<double>(exponent)}, a);
}
/// a^b with a variable exponent (and a constant or variable base).
template <static_operand A, static_expression B>
constexpr auto pow(const A& a, const B& b) { return janus::apply(rules::pow{}, a, b); }

template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto atan2(const A& a, const B& b) { return janus::apply(rules::atan2{}, a, b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto hypot(const A& a, const B& b) { return janus::apply(rules::hypot{}, a, b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto max(const A& a, const B& b) { return janus::apply(rules::max{}, a, b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto min(const A& a, const B& b) { return janus::apply(rules::min{}, a, b); }


// The same functions on plain numbers (integers as double), so that one
// generic function, written with qualified calls (`janus::square(...)`), runs
// on doubles as well as on the engines' types: the value comes from the same rule.
namespace detail {
template <class A>
using number_type = std::conditional_t<std::is_floating_point_v<A>, A, double>;
template <class A>
concept number = std::is_arithmetic_v<A>;
}  // namespace detail

template <detail::number A> constexpr auto square(A a) { return rules::square::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto sqrt(A a) { return rules::sqrt::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto cbrt(A a) { return rules::cbrt::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto exp(A a) { return rules::exp::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto expm1(A a) { return rules::expm1::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto log(A a) { return rules::log::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto log1p(A a) { return rules::log1p::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto log2(A a) { return rules::log2::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto log10(A a) { return rules::log10::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto sin(A a) { return rules::sin::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto cos(A a) { return rules::cos::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto tan(A a) { return rules::tan::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto asin(A a) { return rules::asin::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto acos(A a) { return rules::acos::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto atan(A a) { return rules::atan::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto sinh(A a) { return rules::sinh::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto cosh(A a) { return rules::cosh::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto tanh(A a) { return rules::tanh::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto sigmoid(A a) { return rules::sigmoid::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto softplus(A a) { return rules::softplus::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto relu(A a) { return rules::relu::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto abs(A a) { return rules::abs::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto erf(A a) { return rules::erf::value(detail::number_type<A>(a)); }
template <detail::number A> constexpr auto erfc(A a) { return rules::erfc::value(detail::number_type<A>(a)); }
template <detail::number A, detail::number P>
constexpr auto pow(A a, P exponent) {
  return rules::pow_constant{static_cast<double>(exponent)}.value(detail::number_type<A>(a));
}
template <detail::number A, detail::number B>
constexpr auto atan2(A a, B b) { return rules::atan2::value(detail::number_type<A>(a), detail::number_type<A>(b)); }
template <detail::number A, detail::number B>
constexpr auto hypot(A a, B b) { return rules::hypot::value(detail::number_type<A>(a), detail::number_type<A>(b)); }
template <detail::number A, detail::number B>
constexpr auto max(A a, B b) { return rules::max::value(detail::number_type<A>(a), detail::number_type<A>(b)); }
template <detail::number A, detail::number B>
constexpr auto min(A a, B b) { return rules::min::value(detail::number_type<A>(a), detail::number_type<A>(b)); }

/// The value of an expression (its gradient is not computed).
template <static_expression E>
constexpr auto value(const E& e) {
  return detail::run_sweep<0, true>(e).value;
}

/// A branch: the value and the gradient of `if_true` where `condition`
/// holds, of `if_false` elsewhere. Both sides are expressions of the same
/// variables; only the taken side receives an adjoint.
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr auto select(bool condition, const A& if_true_given, const B& if_false_given) {
  static_assert(detail::operands_of_one_set<A, B>());
  const auto& if_true = detail::bounded(if_true_given);
  const auto& if_false = detail::bounded(if_false_given);
  using TrueSide = std::remove_cvref_t<decltype(if_true)>;
  using FalseSide = std::remove_cvref_t<decltype(if_false)>;
  using T = typename decltype(detail::common_scalar<TrueSide, FalseSide>())::type;
  using values = decltype(detail::values_of<T>(if_true, if_false));
  using node = detail::select_node<detail::node_type_of<T, TrueSide>, detail::node_type_of<T, FalseSide>>;
  return expression<node, T, detail::values_count<values>::value, values>{
      {condition, detail::node_of<T>(if_true), detail::node_of<T>(if_false)}, detail::values_of<T>(if_true, if_false)};
}

namespace detail {
template <class X>
constexpr auto value_or_number(const X& x) {
  if constexpr (static_expression<X>) return janus::value(x);
  else return x;
}
}  // namespace detail

// Comparisons look at values, so that `select(x > 0, ...)` reads naturally.
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr bool operator<(const A& a, const B& b) { return detail::value_or_number(a) < detail::value_or_number(b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr bool operator>(const A& a, const B& b) { return detail::value_or_number(a) > detail::value_or_number(b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr bool operator<=(const A& a, const B& b) { return detail::value_or_number(a) <= detail::value_or_number(b); }
template <static_operand A, static_operand B>
  requires(static_expression<A> || static_expression<B>)
constexpr bool operator>=(const A& a, const B& b) { return detail::value_or_number(a) >= detail::value_or_number(b); }

}  // namespace janus
