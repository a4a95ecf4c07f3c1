// janus/static/invariant_divisors.hpp: a sum's body divides by what does not
// change from element to element through its reciprocal.
//
// Bodies such as `square((x - mu) / sigma)` or `exp(...) / s` divide, per
// element, by a value that is the same for every element: a captured
// variable, or a subtree of captured variables that the sum computes once
// (sum.hpp). A division takes several times a multiplication, and its pullback
// divides again, so the sum sweeps such a body as `(x - mu) * (1 / sigma)`:
// `1 / sigma` is then a subtree that does not depend on the element, whose
// value and partials the sum computes once with the same rules (div's), and
// the loop only multiplies. Results differ from the divisions' in the last
// bit, as those of hand-written code that does the same.
//
// Where a reciprocal is not finite (a divisor of 0), sum.hpp sweeps the body
// as written, so that an adjoint of 0 still propagates nothing through the
// division (docs/rules.md).
#pragma once

#include <type_traits>

#include "janus/rules/arithmetic.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/node_traits.hpp"

namespace janus::detail {

/// The number 1 as a node that holds nothing, so that `1 / b` is pure (and
/// computed once per sum) when b is.
struct one_node {
  static constexpr double value = 1.0;
};

template <>
struct is_pure_node<one_node> : std::true_type {};

/// A constant, as far as the sweep is concerned.
template <>
struct node_traits<one_node> : node_traits<constant_node<double>> {};

/// A body node rewritten with reciprocals: `type` and `convert`. Pure
/// subtrees are computed once per sum as they are, so they are left alone;
/// so are the nodes below that hold no division (leaves, constants, array
/// elements, nested sums).
template <class Node>
struct by_reciprocals {
  using type = Node;
  static constexpr bool changes = false;
  static constexpr Node convert(const Node& node) { return node; }
};

template <class Node>
  requires(!is_pure<Node>)
struct by_reciprocals<spilled<Node>> {
  static constexpr bool changes = by_reciprocals<Node>::changes;
  using type = std::conditional_t<changes, typename by_reciprocals<Node>::type, spilled<Node>>;
  static constexpr type convert(const spilled<Node>& node) {
    if constexpr (changes) return by_reciprocals<Node>::convert(*node.target);
    else return node;
  }
};

template <class Rule, class Arg>
  requires(!is_pure<unary<Rule, Arg>>)
struct by_reciprocals<unary<Rule, Arg>> {
  static constexpr bool changes = by_reciprocals<Arg>::changes;
  using type = unary<Rule, typename by_reciprocals<Arg>::type>;
  static constexpr type convert(const unary<Rule, Arg>& node) {
    return type(node.rule(), by_reciprocals<Arg>::convert(node.template child<0>()));
  }
};

template <class Rule, class L, class R>
  requires(!is_pure<binary<Rule, L, R>>)
struct by_reciprocals<binary<Rule, L, R>> {
  static constexpr bool changes = by_reciprocals<L>::changes || by_reciprocals<R>::changes;
  using type = binary<Rule, typename by_reciprocals<L>::type, typename by_reciprocals<R>::type>;
  static constexpr type convert(const binary<Rule, L, R>& node) {
    return type(node.rule(), by_reciprocals<L>::convert(node.template child<0>()),
                by_reciprocals<R>::convert(node.template child<1>()));
  }
};

/// The division itself: by a pure divisor, a product with its reciprocal.
template <class L, class R>
  requires(!is_pure<binary<rules::div, L, R>> && is_pure<R>)
struct by_reciprocals<binary<rules::div, L, R>> {
  static constexpr bool changes = true;
  using reciprocal = binary<rules::div, one_node, R>;
  using type = binary<rules::mul, typename by_reciprocals<L>::type, reciprocal>;
  static constexpr type convert(const binary<rules::div, L, R>& node) {
    return type(rules::mul{}, by_reciprocals<L>::convert(node.template child<0>()), reciprocal{});
  }
};

template <class A, class B>
struct by_reciprocals<select_node<A, B>> {
  static constexpr bool changes = by_reciprocals<A>::changes || by_reciprocals<B>::changes;
  using type = select_node<typename by_reciprocals<A>::type, typename by_reciprocals<B>::type>;
  static constexpr type convert(const select_node<A, B>& node) {
    return type(node.condition, by_reciprocals<A>::convert(node.template child<0>()),
                by_reciprocals<B>::convert(node.template child<1>()));
  }
};

/// Whether a body holds a nested sum. The retry of sum.hpp, when a reciprocal
/// is not finite, makes the first element's tree again, and a nested sum over
/// array elements has already added its partials into the gradient buffers
/// when it is made: such bodies keep their divisions.
template <class Node>
struct is_sum_node : std::bool_constant<node_traits<Node>::kind == node_kind::sum> {};
template <class Node>
inline constexpr bool holds_sum = in_operands<is_sum_node, Node>;

/// Whether a sum sweeps bodies of this type with reciprocals.
template <class Node>
inline constexpr bool divides_by_reciprocals = by_reciprocals<Node>::changes && !holds_sum<Node>;

/// Whether a hoisted subtree is one of the reciprocals made above.
template <class Node>
inline constexpr bool is_reciprocal = false;
template <class R>
inline constexpr bool is_reciprocal<binary<rules::div, one_node, R>> = true;

/// The body `e` with its invariant divisions made products.
template <class Node, class T, std::size_t N, class Values>
constexpr auto with_reciprocals(const expression<Node, T, N, Values>& e) {
  using converted = by_reciprocals<Node>;
  return expression<typename converted::type, T, N, Values>{converted::convert(e.node), e.variable_values};
}

}  // namespace janus::detail
