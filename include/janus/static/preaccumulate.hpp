// janus/static/preaccumulate.hpp: keeps every expression tree small by
// replacing a large operand with its value and its partials.
//
// An expression holds its operands by value, so that `auto` locals never
// dangle. The price is that a subexpression used twice is stored twice: a
// chain of locals that each use the previous one twice, and that hold
// constants, doubles its storage at every step, and the compile-time walk of
// its tree grows with it. So, when an operation is about to take an operand
// whose tree holds more than `preaccumulation_limit` nodes with data (constants,
// rule parameters, conditions) and stores a subtree twice (or more than
// `preaccumulation_limit_without_repeats` nodes in any case), that operand is
// first swept on the spot: it becomes one node that holds its value and its
// partials with respect to its variables (the way the fastest tapes
// preaccumulate a statement). The outer
// sweep scales the stored partials by that node's adjoint. Every tree then stays within a fixed size however long the formula,
// compile time grows with the number of operations, and small formulas, which
// never reach the limit, keep their single fused sweep.
//
// Trees of variables and rules alone (pure trees) cost nothing to store and
// are shared by type, so they count for nothing towards the limit.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "janus/static/dag.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/limits.hpp"
#include "janus/static/node_traits.hpp"
#include "janus/static/run_sweep.hpp"
#include "janus/static/spill.hpp"

namespace janus::detail {

/// The number of nodes in the expanded tree of `Node` that hold data.
template <class Node>
inline constexpr std::size_t data_weight = is_pure<Node> ? 0 : 1;
template <class Rule, class Arg>
inline constexpr std::size_t data_weight<unary<Rule, Arg>> =
    is_pure<unary<Rule, Arg>> ? 0 : 1 + data_weight<Arg>;
template <class Rule, class L, class R>
inline constexpr std::size_t data_weight<binary<Rule, L, R>> =
    is_pure<binary<Rule, L, R>> ? 0 : 1 + data_weight<L> + data_weight<R>;
template <class A, class B>
inline constexpr std::size_t data_weight<select_node<A, B>> = 1 + data_weight<A> + data_weight<B>;
template <class Node>
inline constexpr std::size_t data_weight<spilled<Node>> = data_weight<Node>;

/// Whether the tree of `Node` holds a subtree of type `Sub`, which holds
/// data (pure subtrees hold none, so they are not searched).
template <class Node, class Sub>
struct holds : std::is_same<Node, Sub> {};
template <class Rule, class Arg, class Sub>
struct holds<unary<Rule, Arg>, Sub>
    : std::disjunction<std::is_same<unary<Rule, Arg>, Sub>, std::conjunction<std::bool_constant<!is_pure<Arg>>, holds<Arg, Sub>>> {};
template <class Rule, class L, class R, class Sub>
struct holds<binary<Rule, L, R>, Sub>
    : std::disjunction<std::is_same<binary<Rule, L, R>, Sub>, std::conjunction<std::bool_constant<!is_pure<L>>, holds<L, Sub>>,
                       std::conjunction<std::bool_constant<!is_pure<R>>, holds<R, Sub>>> {};
template <class A, class B, class Sub>
struct holds<select_node<A, B>, Sub>
    : std::disjunction<std::is_same<select_node<A, B>, Sub>, std::conjunction<std::bool_constant<!is_pure<A>>, holds<A, Sub>>,
                       std::conjunction<std::bool_constant<!is_pure<B>>, holds<B, Sub>>> {};

template <class Node, class Sub>
struct holds<spilled<Node>, Sub> : holds<Node, Sub> {};

/// Whether two operands share a subtree that holds data, as far as one can
/// tell cheaply: one holds the other (`u * u`, `u * f(u)`). Two operands
/// that both hold a third (`f(u) * g(u)`) are not seen.
template <class A, class B>
struct overlap_of_targets
    : std::conjunction<std::bool_constant<!is_pure<A> && !is_pure<B>>, std::disjunction<holds<A, B>, holds<B, A>>> {};
template <class A, class B>
struct overlap : overlap_of_targets<unspilled_t<A>, unspilled_t<B>> {};

/// Whether the tree of `Node` stores a subtree twice somewhere.
template <class Node>
struct repeats : std::false_type {};
template <class Rule, class Arg>
struct repeats<unary<Rule, Arg>> : repeats<Arg> {};
template <class Rule, class L, class R>
struct repeats<binary<Rule, L, R>> : std::disjunction<repeats<L>, repeats<R>, overlap<L, R>> {};
template <class A, class B>
struct repeats<select_node<A, B>> : std::disjunction<repeats<A>, repeats<B>, overlap<A, B>> {};
template <class Node>
struct repeats<spilled<Node>> : repeats<Node> {};

/// A subexpression replaced by its value and its partials with respect to
/// the variables in `Ids` (in increasing order of identity). Its type says
/// nothing of where it came from, so that types stay short however deep the
/// formula; two such nodes are therefore never shared (like sums, they are
/// told apart by their place in the tree), which costs a few multiply-adds.
template <class T, id_mask Ids>
struct preaccumulated_node {
  static constexpr std::size_t variable_count = std::popcount(Ids);

  T value;
  std::array<T, variable_count> partials;

  constexpr T value_only() const { return value; }
  constexpr T value_and_partials(T* out) const {
    for (std::size_t i = 0; i < variable_count; ++i) out[i] = partials[i];
    return value;
  }
};

template <class T, id_mask Ids>
struct is_pure_node<preaccumulated_node<T, Ids>> : std::false_type {};

template <class T, id_mask Ids>
struct node_traits<preaccumulated_node<T, Ids>> {
  static constexpr node_kind kind = node_kind::preaccumulated;
  static constexpr auto children = leaves_of<Ids>();
  static constexpr id_mask all_ids = Ids;
  static constexpr id_mask leaf_ids = Ids;
  static constexpr id_mask value_ids = 0;
  static constexpr auto reads = rules::pullback_reads::nothing;
  static constexpr std::string_view label = "preaccumulated";
};

/// Whether the tree of `Node` holds a preaccumulated operand: false for the
/// formulas small enough to be swept as one.
template <class Node>
struct holds_preaccumulated : std::false_type {};
template <class T, id_mask Ids>
struct holds_preaccumulated<preaccumulated_node<T, Ids>> : std::true_type {};
template <class Rule, class Arg>
struct holds_preaccumulated<unary<Rule, Arg>> : holds_preaccumulated<Arg> {};
template <class Rule, class L, class R>
struct holds_preaccumulated<binary<Rule, L, R>>
    : std::disjunction<holds_preaccumulated<L>, holds_preaccumulated<R>> {};
template <class A, class B>
struct holds_preaccumulated<select_node<A, B>>
    : std::disjunction<holds_preaccumulated<A>, holds_preaccumulated<B>> {};
template <class Node>
struct holds_preaccumulated<spilled<Node>> : holds_preaccumulated<Node> {};

/// `e` itself while its tree is small, else `e` preaccumulated. A tree that
/// reads elements of array arguments is never preaccumulated: their adjoints
/// go into the gradient buffers during the sweep, which needs the tree's own
/// adjoint (such trees are the bodies of sums, and small).
template <class Node, class T, std::size_t N, class Values>
constexpr decltype(auto) bounded(const expression<Node, T, N, Values>& e) {
  constexpr bool reads_arrays = node_traits<Node>::all_ids != node_traits<Node>::leaf_ids;
  if constexpr (reads_arrays || data_weight<Node> <= preaccumulation_limit ||
                (data_weight<Node> <= preaccumulation_limit_without_repeats && !repeats<Node>::value)) {
    if constexpr (spills<Node, Values>) return spill(e);
    else return (e);
  } else {
    constexpr id_mask ids = node_traits<Node>::all_ids;
    // Inlined into the operation that preaccumulates, which has just built
    // the tree: out of line, clang (16) read it back from memory (Rosenbrock
    // folded over 40 arguments: 282 ns against 241-247 ns inlined, the same
    // with g++ 12, compile time unchanged).
    const auto swept = run_sweep_inlined<ids, true>(e);
    const expression<preaccumulated_node<T, ids>, T, N, Values> preaccumulated{{swept.value, swept.gradient},
                                                                              e.variable_values};
    if constexpr (spills<preaccumulated_node<T, ids>, Values>) return spill(preaccumulated);
    else return preaccumulated;
  }
}

/// Numbers pass through.
template <class X>
  requires(!static_expression<X>)
constexpr const X& bounded(const X& x) {
  return x;
}

}  // namespace janus::detail
