// janus/static/plan.hpp: the plan of a sweep over the DAG of dag.hpp.
//
// Each entry is described as plain data (its kind, children, which values its
// pullback reads), and the plan answers, per entry and per request (which
// variables, whether the value is wanted), all as constexpr arrays: does it
// lie on a path from a variable we differentiate (active); is its value read
// by anyone (needed); is a given contribution the first to reach a child's
// adjoint (then it is stored, not added to a zero).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "janus/rules/rule.hpp"
#include "janus/static/dag.hpp"
#include "janus/static/node_traits.hpp"

namespace janus::detail {

/// What the sweep needs to know about one entry, as plain data.
struct entry_info {
  node_kind kind{};
  rules::pullback_reads reads{};
  std::size_t leaf_id = 0;
  std::size_t arity = 0;
  std::array<std::size_t, max_variables> child{};
  std::size_t partial_offset = 0;  // where a sum node keeps its partials
  id_mask array_ids = 0;           // array arguments whose elements it reads
};

/// Nodes that hand their own partials to their children.
constexpr bool supplies_partials(node_kind kind) {
  return kind == node_kind::sum || kind == node_kind::preaccumulated;
}

// consteval, and without lambdas (whose call operators are functions of
// their own), for the reason given at the look-ups of dag.hpp: these names
// hold the whole entry list.
template <class List, class Entry, std::size_t... I>
consteval void find_children(entry_info& info, std::index_sequence<I...>) {
  using node = typename Entry::node;
  ((info.child[I] = index_of_key<typename dag_entry<child_type<node, I>,
                                                     typename path_append<typename Entry::route, I>::type,
                                                     Entry::share_by_type, typename Entry::shared_key,
                                                     typename Entry::context>::key>(List{})),
   ...);
}

template <class List, class Entry>
consteval entry_info describe() {
  using node = typename Entry::node;
  using traits = node_traits<node>;
  entry_info info;
  info.kind = traits::kind;
  info.reads = traits::reads;
  if constexpr (traits::kind == node_kind::leaf || traits::kind == node_kind::element)
    info.leaf_id = std::countr_zero(traits::all_ids);
  info.array_ids = traits::all_ids & ~traits::leaf_ids;
  info.arity = child_count<node>;
  find_children<List, Entry>(info, std::make_index_sequence<child_count<node>>{});
  return info;
}

template <class List>
struct dag_layout;
template <class... Entries>
struct dag_layout<entry_list<Entries...>> {
  static constexpr std::size_t count = sizeof...(Entries);
  static constexpr std::array<entry_info, count> info = []() consteval {
    std::array<entry_info, count> result{describe<entry_list<Entries...>, Entries>()...};
    std::size_t offset = 0;
    for (auto& e : result) {
      if (supplies_partials(e.kind)) {
        e.partial_offset = offset;
        offset += e.arity;
      }
    }
    return result;
  }();
  static constexpr std::size_t partial_count = []() consteval {
    std::size_t total = 0;
    for (const auto& e : info)
      if (supplies_partials(e.kind)) total += e.arity;
    return total;
  }();
};

/// Pure subtrees whose values a sweep is given and whose adjoints it hands
/// back, instead of sweeping them itself: a sum's body takes the subtrees
/// that do not depend on the element this way (sum.hpp), so that they are
/// computed once per sum, not once per element.
template <class... Nodes>
struct hoisted_nodes {
  static constexpr std::size_t size = sizeof...(Nodes);
};

template <class Node, class... Nodes>
constexpr std::size_t hoisted_slot_of(hoisted_nodes<Nodes...>) {
  constexpr bool matches[] = {std::is_same_v<Node, Nodes>..., false};
  for (std::size_t h = 0; h < sizeof...(Nodes); ++h)
    if (matches[h]) return h;
  return no_entry;
}

template <class List, class Hoisted>
struct hoisted_slots;
template <class... Entries, class Hoisted>
struct hoisted_slots<entry_list<Entries...>, Hoisted> {
  static constexpr std::array<std::size_t, sizeof...(Entries)> value{
      hoisted_slot_of<typename Entries::node>(Hoisted{})...};
};

/// The plan of one sweep: which variables (`Wrt`), whether the value is
/// wanted, and which subtrees are given (`Hoisted`).
template <class List, id_mask Wrt, bool WantValue, class Hoisted = hoisted_nodes<>>
struct sweep_plan {
  using layout = dag_layout<List>;
  static constexpr std::size_t count = layout::count;
  static constexpr std::size_t root = count - 1;

  /// Where entry k's value comes from and its adjoint goes to, for given
  /// subtrees (`no_entry` for the others).
  static constexpr std::array<std::size_t, count> hoisted_slot = hoisted_slots<List, Hoisted>::value;
  // constexpr, not consteval: the consteval lambdas below call it with their
  // loop variable, which clang 16 rejects for a consteval callee.
  static constexpr bool hoisted(std::size_t k) { return hoisted_slot[k] != no_entry; }

  static constexpr std::array<bool, count> active = []() consteval {
    std::array<bool, count> result{};
    for (std::size_t k = 0; k < count; ++k) {
      const entry_info& e = layout::info[k];
      if (e.kind == node_kind::leaf || e.kind == node_kind::element) {
        result[k] = (Wrt >> e.leaf_id) & 1u;
      } else {
        result[k] = (e.array_ids & Wrt) != 0;
        for (std::size_t j = 0; j < e.arity; ++j) result[k] = result[k] || result[e.child[j]];
      }
    }
    return result;
  }();

  static constexpr std::array<bool, count> needed = []() consteval {
    std::array<bool, count> result{};
    result[root] = WantValue;
    for (std::size_t k = count; k-- > 0;) {
      const entry_info& e = layout::info[k];
      if (active[k] && (rules::reads_output(e.reads) || supplies_partials(e.kind))) result[k] = true;
      if (supplies_partials(e.kind)) continue;  // it reads its variables from its own body
      if (hoisted(k)) continue;                 // its value is given
      for (std::size_t j = 0; j < e.arity; ++j) {
        if (result[k] || (active[k] && rules::reads_input(e.reads))) result[e.child[j]] = true;
      }
    }
    return result;
  }();

  // live[k]: the reverse sweep reaches entry k: it is active and some path
  // to it from the root passes through no given subtree. (Without given
  // subtrees, every active entry.)
  static constexpr std::array<bool, count> live = []() consteval {
    std::array<bool, count> result{};
    result[root] = active[root];
    for (std::size_t k = count; k-- > 0;) {
      if (!result[k] || hoisted(k)) continue;
      const entry_info& e = layout::info[k];
      for (std::size_t j = 0; j < e.arity; ++j) result[e.child[j]] = result[e.child[j]] || active[e.child[j]];
    }
    return result;
  }();

  // first[k][j]: the contribution of entry k to its j-th child is the first
  // one the reverse sweep makes to that child's adjoint.
  static constexpr std::array<std::array<bool, max_variables>, count> first = []() consteval {
    std::array<std::array<bool, max_variables>, count> result{};
    std::array<bool, count> reached{};
    for (std::size_t k = count; k-- > 0;) {
      const entry_info& e = layout::info[k];
      if (!live[k] || hoisted(k) || e.kind == node_kind::leaf) continue;
      for (std::size_t j = 0; j < e.arity; ++j) {
        const std::size_t c = e.child[j];
        if (!live[c]) continue;
        result[k][j] = !reached[c];
        reached[c] = true;
      }
    }
    return result;
  }();

  static consteval std::size_t entry_of_leaf(std::size_t id) {
    for (std::size_t k = 0; k < count; ++k)
      if (layout::info[k].kind == node_kind::leaf && layout::info[k].leaf_id == id) return k;
    return no_entry;
  }
};

}  // namespace janus::detail
