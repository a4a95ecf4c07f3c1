// janus/static/node_traits.hpp: what the gradient generator needs to know
// about each kind of node: its children, the variables it reads, and which of
// its values its pullback reads.
//
// Identities are argument positions in a functional call and variable
// numbers for `janus::variables`. For each node:
//   all_ids    every identity the node depends on: scalar leaves and array
//              arguments, also inside the bodies of sums;
//   leaf_ids   the scalar leaves among them, which get adjoints in the sweep
//              (array elements add theirs into the call's gradient buffers);
//   value_ids  the identities whose values the expression around the node
//              must supply (a sum's body carries its own).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include "janus/rules/rule.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/limits.hpp"

namespace janus::detail {

namespace hana = boost::hana;


enum class node_kind { leaf, element, constant, unary, binary, select, sum, preaccumulated };

template <class Node>
struct node_traits;

template <std::size_t Id>
struct node_traits<leaf<Id>> {
  static_assert(Id < max_variables, "janus: the static engine supports at most 64 variables per expression");
  static constexpr node_kind kind = node_kind::leaf;
  static constexpr auto children = hana::tuple_t<>;
  static constexpr id_mask all_ids = id_mask{1} << Id;
  static constexpr id_mask leaf_ids = all_ids;
  static constexpr id_mask value_ids = all_ids;
  static constexpr auto reads = rules::pullback_reads::nothing;
};

template <std::size_t Id>
struct node_traits<element_node<Id>> {
  static_assert(Id < max_variables, "janus: the static engine supports at most 64 arguments per function");
  static constexpr node_kind kind = node_kind::element;
  static constexpr auto children = hana::tuple_t<>;
  static constexpr id_mask all_ids = id_mask{1} << Id;
  static constexpr id_mask leaf_ids = 0;
  static constexpr id_mask value_ids = all_ids;
  static constexpr auto reads = rules::pullback_reads::nothing;
};

template <class T>
struct node_traits<constant_node<T>> {
  static constexpr node_kind kind = node_kind::constant;
  static constexpr auto children = hana::tuple_t<>;
  static constexpr id_mask all_ids = 0;
  static constexpr id_mask leaf_ids = 0;
  static constexpr id_mask value_ids = 0;
  static constexpr auto reads = rules::pullback_reads::nothing;
};

template <class Rule, class Arg>
struct node_traits<unary<Rule, Arg>> {
  static constexpr node_kind kind = node_kind::unary;
  static constexpr auto children = hana::tuple_t<Arg>;
  static constexpr id_mask all_ids = node_traits<Arg>::all_ids;
  static constexpr id_mask leaf_ids = node_traits<Arg>::leaf_ids;
  static constexpr id_mask value_ids = node_traits<Arg>::value_ids;
  static constexpr auto reads = Rule::reads;
};

template <class Rule, class L, class R>
struct node_traits<binary<Rule, L, R>> {
  static constexpr node_kind kind = node_kind::binary;
  static constexpr auto children = hana::tuple_t<L, R>;
  static constexpr id_mask all_ids = node_traits<L>::all_ids | node_traits<R>::all_ids;
  static constexpr id_mask leaf_ids = node_traits<L>::leaf_ids | node_traits<R>::leaf_ids;
  static constexpr id_mask value_ids = node_traits<L>::value_ids | node_traits<R>::value_ids;
  static constexpr auto reads = Rule::reads;
};

template <class A, class B>
struct node_traits<select_node<A, B>> {
  static constexpr node_kind kind = node_kind::select;
  static constexpr auto children = hana::tuple_t<A, B>;
  static constexpr id_mask all_ids = node_traits<A>::all_ids | node_traits<B>::all_ids;
  static constexpr id_mask leaf_ids = node_traits<A>::leaf_ids | node_traits<B>::leaf_ids;
  static constexpr id_mask value_ids = node_traits<A>::value_ids | node_traits<B>::value_ids;
  static constexpr auto reads = rules::pullback_reads::nothing;
};

/// A spilled node is its target.
template <class Node>
struct node_traits<spilled<Node>> : node_traits<Node> {};

/// Whether `Test` holds for `Node` or for a node it holds through operands
/// (the operands of rules and selections, the target of a spilled node).
template <template <class> class Test, class Node>
inline constexpr bool in_operands = Test<Node>::value;
template <template <class> class Test, class Rule, class Arg>
inline constexpr bool in_operands<Test, unary<Rule, Arg>> = Test<unary<Rule, Arg>>::value || in_operands<Test, Arg>;
template <template <class> class Test, class Rule, class L, class R>
inline constexpr bool in_operands<Test, binary<Rule, L, R>> =
    Test<binary<Rule, L, R>>::value || in_operands<Test, L> || in_operands<Test, R>;
template <template <class> class Test, class A, class B>
inline constexpr bool in_operands<Test, select_node<A, B>> =
    Test<select_node<A, B>>::value || in_operands<Test, A> || in_operands<Test, B>;
template <template <class> class Test, class Node>
inline constexpr bool in_operands<Test, spilled<Node>> = Test<spilled<Node>>::value || in_operands<Test, Node>;

/// The leaves for the identities in `mask`, in increasing order.
template <id_mask Mask>
constexpr auto leaves_of() {
  constexpr std::size_t count = std::popcount(Mask);
  constexpr auto ids = [] {
    std::array<std::size_t, count> result{};
    std::size_t n = 0;
    for (std::size_t id = 0; id < max_variables; ++id)
      if (Mask & (id_mask{1} << id)) result[n++] = id;
    return result;
  }();
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return hana::tuple_t<leaf<ids[I]>...>;
  }(std::make_index_sequence<count>{});
}

}  // namespace janus::detail
