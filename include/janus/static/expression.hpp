// janus/static/expression.hpp: the typed expression tree of the static engine.
//
// An expression is a `janus::expression<Node, T, N, Values>`: a `Node`
// describing the shape of the computation (its type) together with any
// constants it holds, and where the values of its variables are. Variables
// carry a compile-time identity (`leaf<I>`) and no data in the tree, so that a
// subexpression reused many times costs nothing to copy, and two uses of one
// variable are recognisably the same leaf. The values sit beside the tree:
//
// - for `janus::grad(f)(args...)` and the other functional forms, in the call
//   itself (an `argument_block`), which outlives f's expression; every
//   expression holds one pointer to it, so building a formula of any number of
//   variables copies one pointer per operation;
// - for `janus::variables(...)`, in a `std::array<T, N>` copied into every
//   expression, so that expressions outlive the variables they were made from.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace janus {

namespace detail {

/// A variable: only its identity, the value is in the expression's array.
template <std::size_t Id>
struct leaf {};

/// An element of an array argument of a functional call: the argument's
/// position is its identity, the index run-time data. Its value is read from,
/// and its adjoint added into, the call's `argument_block`.
template <std::size_t Id>
struct element_node {
  std::size_t index;
};

/// A constant taking part in the computation (it has no adjoint).
template <class T>
struct constant_node {
  T value;
};

template <class Node>
struct is_pure_node;

/// A node kept in the arena of a functional call (spill.hpp), reached by one
/// pointer: the node is its target, wherever the gradient generator looks.
template <class Node>
struct spilled {
  const Node* target;
};

/// The node a child slot stands for: the target of a spilled one.
template <class Node>
struct unspilled {
  using type = Node;
};
template <class Node>
struct unspilled<spilled<Node>> {
  using type = Node;
};
template <class Node>
using unspilled_t = typename unspilled<Node>::type;

template <class Node>
constexpr const Node& unspill(const Node& node) {
  return node;
}
template <class Node>
constexpr const Node& unspill(const spilled<Node>& node) {
  return *node.target;
}

/// The arguments of a functional call (`janus::grad(f)(args...)`), indexed by
/// position: a scalar argument's value, or an array argument's elements and
/// the buffer its gradient is added into.
template <class T, std::size_t N>
struct argument_block {
  std::array<T, N> scalars{};
  std::array<const T*, N> array_data{};
  std::array<T*, N> array_gradient{};
  std::array<std::size_t, N> array_size{};
};

class spill_arena;

/// Where an expression made in a functional call finds its variables' values,
/// and the call's arena, where its large operands go (spill.hpp). The arena
/// travels in every expression, not in a thread-local variable, so that the
/// optimiser knows every spill of a formula goes to one arena: a pointer read
/// from memory again after each node stored would put every spill on one
/// chain of loads and stores.
template <class T, std::size_t N>
struct argument_values {
  const argument_block<T, N>* block = nullptr;
  spill_arena* arena = nullptr;
};

/// The values of a formula's variables made by `janus::variables`, copied
/// into each of its expressions, with the call that made each identity
/// (`Owners`, one per identity: the call's type, or void where no call
/// made it or nothing reads it). Two calls that both made identity 0 cannot
/// meet in one formula: their variables would be taken for one.
template <class T, std::size_t N, class... Owners>
  requires(sizeof...(Owners) == N)
struct owned_values : std::array<T, N> {};

template <class Values>
inline constexpr bool is_argument_values = false;
template <class T, std::size_t N>
inline constexpr bool is_argument_values<argument_values<T, N>> = true;

template <class T, std::size_t N>
constexpr T scalar_value(const std::array<T, N>& values, std::size_t id) {
  return values[id];
}
template <class T, std::size_t N>
constexpr T scalar_value(const argument_values<T, N>& values, std::size_t id) {
  return values.block->scalars[id];
}

/// A node is pure when its type says everything about it: it holds no
/// constant and no rule parameter. Pure nodes are stored as nothing, and two
/// pure nodes of the same type are the same computation, so the gradient
/// generator shares them (the DAG, not the expanded tree).
template <class Node>
inline constexpr bool is_pure = is_pure_node<Node>::value;

/// Storage for one child: nothing when the child is pure.
template <class Child, std::size_t Slot, bool = is_pure<Child>>
struct child_slot {
  Child child;
  constexpr const Child& get() const { return child; }
};
template <class Child, std::size_t Slot>
struct child_slot<Child, Slot, true> {
  constexpr child_slot() = default;
  constexpr explicit child_slot(const Child&) {}
  static constexpr Child get() { return {}; }
};

/// Storage for a rule: nothing unless the rule has a parameter.
template <class Rule, bool = std::is_empty_v<Rule>>
struct rule_slot {
  Rule stored_rule;
  constexpr const Rule& rule() const { return stored_rule; }
};
template <class Rule>
struct rule_slot<Rule, true> {
  constexpr rule_slot() = default;
  constexpr explicit rule_slot(const Rule&) {}
  static constexpr Rule rule() { return {}; }
};

template <class Rule, class Arg>
struct unary : rule_slot<Rule>, child_slot<Arg, 0> {
  constexpr unary() = default;
  constexpr unary(const Rule& r, const Arg& a) : rule_slot<Rule>(r), child_slot<Arg, 0>(a) {}
  template <std::size_t I>
  constexpr decltype(auto) child() const { return child_slot<Arg, 0>::get(); }
};

template <class Rule, class Left, class Right>
struct binary : rule_slot<Rule>, child_slot<Left, 0>, child_slot<Right, 1> {
  constexpr binary() = default;
  constexpr binary(const Rule& r, const Left& l, const Right& rt)
      : rule_slot<Rule>(r), child_slot<Left, 0>(l), child_slot<Right, 1>(rt) {}
  template <std::size_t I>
  constexpr decltype(auto) child() const {
    if constexpr (I == 0) return child_slot<Left, 0>::get();
    else return child_slot<Right, 1>::get();
  }
};

/// `select(condition, taken, other)`: the condition is run-time data.
template <class IfTrue, class IfFalse>
struct select_node : child_slot<IfTrue, 0>, child_slot<IfFalse, 1> {
  bool condition;
  constexpr select_node(bool c, const IfTrue& t, const IfFalse& f)
      : child_slot<IfTrue, 0>(t), child_slot<IfFalse, 1>(f), condition(c) {}
  template <std::size_t I>
  constexpr decltype(auto) child() const {
    if constexpr (I == 0) return child_slot<IfTrue, 0>::get();
    else return child_slot<IfFalse, 1>::get();
  }
};

template <std::size_t Id>
struct is_pure_node<leaf<Id>> : std::true_type {};
template <class T>
struct is_pure_node<constant_node<T>> : std::false_type {};
template <std::size_t Id>
struct is_pure_node<element_node<Id>> : std::false_type {};
template <class Rule, class Arg>
struct is_pure_node<unary<Rule, Arg>> : std::bool_constant<std::is_empty_v<Rule> && is_pure<Arg>> {};
template <class Rule, class L, class R>
struct is_pure_node<binary<Rule, L, R>>
    : std::bool_constant<std::is_empty_v<Rule> && is_pure<L> && is_pure<R>> {};
template <class A, class B>
struct is_pure_node<select_node<A, B>> : std::false_type {};
template <class Node>
struct is_pure_node<spilled<Node>> : std::false_type {};

}  // namespace detail

/// An expression of the static engine: a tree `Node` over the variables whose
/// values `variable_values` gives (indexed by variable identity).
template <class Node, class T, std::size_t N, class Values = std::array<T, N>>
struct expression {
  using node_type = Node;
  using value_type = T;
  using values_type = Values;
  static constexpr std::size_t variable_count = N;

  [[no_unique_address]] Node node;
  [[no_unique_address]] Values variable_values;

  /// Not a number. Declared so that `std::sin(x)` and the like, which take
  /// only numbers, pick this conversion and stop at one sentence rather than
  /// a page of candidates; never defined for use.
  template <class U>
    requires std::same_as<U, T>
  operator U() const {
    static_assert(sizeof(U) == 0,
                  "janus: a variable of the static engine is not a number: call sin(x), exp(x), ... unqualified "
                  "or as janus::sin(x), not std::sin(x); read a value with janus::value(e)");
    return U{};
  }
};

/// A variable of the static engine: `janus::variables(...)` makes them, and
/// `janus::grad(f)` passes them to f.
template <std::size_t Id, class T, std::size_t N, class Values = std::array<T, N>>
using variable = expression<detail::leaf<Id>, T, N, Values>;

namespace detail {
template <class E>
struct is_expression : std::false_type {};
template <class Node, class T, std::size_t N, class Values>
struct is_expression<expression<Node, T, N, Values>> : std::true_type {};

template <class E>
struct is_variable : std::false_type {};
template <std::size_t Id, class T, std::size_t N, class Values>
struct is_variable<expression<leaf<Id>, T, N, Values>> : std::true_type {};
}  // namespace detail

/// Anything the static engine can differentiate.
template <class E>
concept static_expression = detail::is_expression<std::remove_cvref_t<E>>::value;

/// A variable made by `janus::variables`.
template <class E>
concept static_variable = detail::is_variable<std::remove_cvref_t<E>>::value;

/// What may stand beside an expression in arithmetic: an expression or a number.
template <class E>
concept static_operand = static_expression<E> || std::is_arithmetic_v<std::remove_cvref_t<E>>;

namespace detail {

/// The values of one call of janus::variables: identities from `First` on
/// are its own.
template <class T, std::size_t First, class Owner, class Identities>
struct values_of_call;
template <class T, std::size_t First, class Owner, std::size_t... Id>
struct values_of_call<T, First, Owner, std::index_sequence<Id...>> {
  using type = owned_values<T, sizeof...(Id), std::conditional_t<(Id >= First), Owner, void>...>;
};

/// Variables `First`, `First + 1`, ... made by the call that `Owner` stands for.
template <std::size_t First, class Owner, class T, class... Ts>
constexpr auto owned_variables(T first, Ts... rest) {
  constexpr std::size_t count = 1 + sizeof...(Ts);
  using values_type = typename values_of_call<T, First, Owner, std::make_index_sequence<First + count>>::type;
  values_type values{};
  const std::array<T, count> given{first, rest...};
  for (std::size_t i = 0; i < count; ++i) values[First + i] = given[i];
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple{variable<First + I, T, First + count, values_type>{{}, values}...};
  }(std::make_index_sequence<count>{});
}

}  // namespace detail

/// Variables 0, 1, ... with the given values: `auto [x, y] = janus::variables(3.0, 2.0);`
/// The identities count from `First`, so that a second set can be told apart:
/// `auto [z] = janus::variables<2>(1.0);`. Each call is a type of its own
/// (`Owner`, a new closure type at every call), so combining two sets that
/// both made one identity is a compile-time error, not an alias.
template <std::size_t First = 0, class Owner = decltype([] {}), class T, class... Ts>
  requires(std::is_floating_point_v<T> && (std::same_as<T, Ts> && ...))
constexpr auto variables(T first, Ts... rest) {
  return detail::owned_variables<First, Owner>(first, rest...);
}

/// A constant as an expression of its own (for formulas without variables).
template <class T>
  requires std::is_floating_point_v<T>
constexpr expression<detail::constant_node<T>, T, 0> constant(T value) {
  return {{value}, {}};
}

}  // namespace janus
