// janus/static/run_sweep.hpp: `run_sweep(e)`, the run-time choice between
// the two DAGs of an expression, and the entry point of every gradient.
//
// dag.hpp makes two DAGs of a tree: one that shares only pure subtrees (the
// tree DAG) and one that also shares nodes of one type that hold data (the
// shared DAG). The shared one is right only when those nodes hold equal data,
// which is checked here, at run time, before the sweep follows it.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

#include "janus/static/dag.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/node_traits.hpp"
#include "janus/static/sweep.hpp"

namespace janus::detail {

/// Whether two nodes of one type hold the same data of their own (their
/// children are compared as entries of their own).
template <class Node>
constexpr bool same_own_data(const Node& a, const Node& b) {
  constexpr node_kind kind = node_traits<Node>::kind;
  if constexpr (kind == node_kind::constant) {
    return a.value == b.value;
  } else if constexpr (kind == node_kind::unary || kind == node_kind::binary) {
    if constexpr (std::is_empty_v<std::remove_cvref_t<decltype(a.rule())>>) return true;
    else return a.rule() == b.rule();
  } else if constexpr (kind == node_kind::select) {
    return a.condition == b.condition;
  } else if constexpr (kind == node_kind::element) {
    return a.index == b.index;
  } else {
    return true;
  }
}

// Entry `Entry` of the tree-shaped DAG agrees with the node that stands for
// its type in the DAG shared by type.
template <class Entry, class Root>
constexpr bool agrees_with_its_type(const Root& root) {
  using node = typename Entry::node;
  if constexpr (is_pure<node> || !is_comparable<node>) {
    return true;
  } else {
    using Shared = dag_of<Root, true>;
    using representative = typename entry_at<index_of_key<typename Entry::shared_key>(Shared{}), Shared>::type;
    if constexpr (std::is_same_v<typename representative::route, typename Entry::route>) return true;
    else return same_own_data(node_at(root, typename Entry::route{}), node_at(root, typename representative::route{}));
  }
}

/// Whether the shared DAG of `root` holds: its merged nodes hold equal data.
/// (Named by the tree's type alone, as the sweep is: sweep.hpp.)
template <class Root>
constexpr bool sharing_holds(const Root& root) {
  return [&]<class... Entries>(entry_list<Entries...>) {
    bool all = true;
    [[maybe_unused]] const int checks[] = {0, (all = all && agrees_with_its_type<Entries>(root), 0)...};
    return all;
  }(dag_of<Root, false>{});
}

/// Sweeps the tree `root`, reading its variables through `values` (a sum's
/// body scales its elements' partials this way, array_sums.hpp); see below.
template <id_mask Wrt, bool WantValue, class Hoisted, class T, class Node, class Values, class... Given>
[[gnu::always_inline]] constexpr auto run_sweep_reading(const Node& root, const Values& values, Given&... given) {
  using tree = dag_of<Node, false>;
  using shared = dag_of<Node, true>;
  if constexpr (tree::size == shared::size) {
    return sweep<Node, false, T, Values, Wrt, WantValue, Hoisted>::run(root, values, given...);
  } else {
    if (sharing_holds(root)) return sweep<Node, true, T, Values, Wrt, WantValue, Hoisted>::run(root, values, given...);
    return sweep<Node, false, T, Values, Wrt, WantValue, Hoisted>::run(root, values, given...);
  }
}

/// Sweeps `e` for its value and/or its gradient with respect to `Wrt`, given
/// the values of the pure subtrees `Hoisted` (`given`: a std::array of one
/// value per subtree, then one for their adjoints, which the sweep fills;
/// none when `Hoisted` is empty).
///
/// Subtrees that hold constants cannot be identified by type at compile
/// time: `x + 1.0` and `x + 2.0` have one type. But a subexpression kept in a
/// variable and reused holds the same constants at each use. So when nodes
/// of one type hold equal data everywhere (a few comparisons, which the
/// optimiser usually folds away), the sweep follows the DAG shared by type;
/// otherwise it follows the tree, where only pure subtrees are shared.
template <id_mask Wrt, bool WantValue, class Hoisted, class Node, class T, std::size_t N, class Values,
          class... Given>
[[gnu::always_inline]] constexpr auto run_sweep_given(const expression<Node, T, N, Values>& e, Given&... given) {
  return run_sweep_reading<Wrt, WantValue, Hoisted, T>(e.node, e.variable_values, given...);
}

/// Sweeps `e` for its value and/or its gradient with respect to `Wrt`.
template <id_mask Wrt, bool WantValue, class Node, class T, std::size_t N, class Values>
constexpr auto run_sweep(const expression<Node, T, N, Values>& e) {
  return run_sweep_given<Wrt, WantValue, hoisted_nodes<>>(e);
}

/// `run_sweep` inlined into its caller, for the functional forms, which
/// sweep f's tree just after f made it: through calls that are all always
/// inlined (the form that takes given subtrees, with none), since clang
/// (16) flattens only the calls written in a function, and an out-of-line
/// sweep reads the tree back from memory just after it was stored.
template <id_mask Wrt, bool WantValue, class Node, class T, std::size_t N, class Values>
[[gnu::always_inline]] constexpr auto run_sweep_inlined(const expression<Node, T, N, Values>& e) {
  std::array<T, 0> none{};
  return run_sweep_given<Wrt, WantValue, hoisted_nodes<>>(e, none, none);
}

}  // namespace janus::detail
