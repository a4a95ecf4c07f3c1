// janus/static/dag.hpp: the compile-time DAG of an expression: its type
// walked into a list of entries, children before parents (plan.hpp plans the
// sweep over it).
//
// The tree's type is walked once at compile time, children before parents.
// Pure subtrees (no constants, see expression.hpp) are identified by their
// type, so every use of a variable or of a reused constant-free subexpression
// becomes one entry: it is evaluated once and its adjoint is pushed once.
// Other nodes are identified by their path from the root: two subtrees of one
// type may hold different constants, so their type alone cannot say that
// they are the same.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include "janus/static/node_traits.hpp"

namespace janus::detail {

/// The route from the root to a node: child indices.
template <std::size_t... I>
struct path {};

template <class Path, std::size_t I>
struct path_append;
template <std::size_t... Is, std::size_t I>
struct path_append<path<Is...>, I> {
  using type = path<Is..., I>;
};

/// The last step of a path (0 for the root).
template <class Path>
inline constexpr std::size_t last_step = 0;
template <std::size_t... I>
inline constexpr std::size_t last_step<path<I...>> =
    std::array<std::size_t, sizeof...(I) + 1>{0, I...}[sizeof...(I)];

template <class Node>
inline constexpr std::size_t child_count = decltype(hana::length(node_traits<Node>::children))::value;

template <class Node, std::size_t I>
using child_type =
    unspilled_t<typename std::remove_cvref_t<decltype(hana::at_c<I>(node_traits<Node>::children))>::type>;

/// Whether two nodes of this type can be told equal by comparing what they
/// hold (a sum's body is a lambda, which cannot be compared; an element of an
/// array compares its index).
template <class Node>
inline constexpr bool is_comparable = node_traits<Node>::kind != node_kind::sum &&
                                      node_traits<Node>::kind != node_kind::preaccumulated;
template <class Rule, class Arg>
inline constexpr bool is_comparable<unary<Rule, Arg>> =
    (std::is_empty_v<Rule> || std::equality_comparable<Rule>) && is_comparable<Arg>;
template <class Rule, class L, class R>
inline constexpr bool is_comparable<binary<Rule, L, R>> =
    (std::is_empty_v<Rule> || std::equality_comparable<Rule>) && is_comparable<L> && is_comparable<R>;
template <class A, class B>
inline constexpr bool is_comparable<select_node<A, B>> = is_comparable<A> && is_comparable<B>;
template <class Node>
inline constexpr bool is_comparable<spilled<Node>> = is_comparable<Node>;

/// The key of a constant inside a node identified by `ParentKey`: constants
/// of one type are everywhere, so they are told apart by where they sit.
template <class ParentKey, std::size_t Slot>
struct child_key {};

/// Whether a node reads elements of array arguments.
template <class Node>
inline constexpr bool reads_elements = (node_traits<Node>::all_ids & ~node_traits<Node>::leaf_ids) != 0;

/// How many times a subtree of type `Node` occurs in the tree `Tree`.
template <class Tree, class Node>
consteval std::size_t occurrences();
template <class Tree, class Node, std::size_t... I>
consteval std::size_t occurrences_in_children(std::index_sequence<I...>) {
  return (std::size_t{0} + ... + occurrences<child_type<Tree, I>, Node>());
}
template <class Tree, class Node>
consteval std::size_t occurrences() {
  if constexpr (std::is_void_v<Tree>) return 0;
  else if constexpr (std::is_same_v<Tree, Node>) return 1;
  else return occurrences_in_children<Tree, Node>(std::make_index_sequence<child_count<Tree>>{});
}

/// The key of a subtree that reads elements, in the DAG shared by type, and
/// of everything inside it: its type alone would merge `x[i]` with
/// `x[i + 1]` (every element of one array has one type), and the run-time
/// check would fail for nearly every tree that reads two elements. So such a
/// subtree is merged with the other occurrences of its type only where it is
/// the largest that repeats (`s6` in `s6 * s6 - s6`, where `s6` reads six
/// elements), and the nodes inside it by their place in it. Those are the
/// subtrees a formula holds twice because it names one value and uses it
/// twice, and the check confirms them.
template <class Key>
struct repeated_subtree {};

template <class Key>
inline constexpr bool is_repeated_key = false;
template <class Key>
inline constexpr bool is_repeated_key<repeated_subtree<Key>> = true;

template <class Node, class Path, class ParentSharedKey, class Tree,
          bool InRepeated = is_repeated_key<ParentSharedKey>>
struct element_reading_key {
  using type = repeated_subtree<child_key<ParentSharedKey, last_step<Path>>>;
};
template <class Node, class Path, class ParentSharedKey, class Tree>
struct element_reading_key<Node, Path, ParentSharedKey, Tree, false> {
  using type = std::conditional_t<node_traits<Node>::kind != node_kind::element && (occurrences<Tree, Node>() > 1),
                                  repeated_subtree<Node>, Path>;
};

/// The number of nodes of a tree.
template <class Tree>
consteval std::size_t tree_size();
template <class Tree, std::size_t... I>
consteval std::size_t children_size(std::index_sequence<I...>) {
  return (std::size_t{0} + ... + tree_size<child_type<Tree, I>>());
}
template <class Tree>
consteval std::size_t tree_size() {
  return 1 + children_size<Tree>(std::make_index_sequence<child_count<Tree>>{});
}

/// The tree that `element_reading_key` counts occurrences in: none for trees
/// that read no elements (the names of their entries then stay short), nor
/// for trees so large that counting, a walk of the tree per node, would cost
/// more compile time than the sharing is worth.
inline constexpr std::size_t max_repetition_tree = 256;
template <class Root, bool ReadsElements = reads_elements<Root>>
struct repetition_context_of {
  using type = void;
};
template <class Root>
struct repetition_context_of<Root, true> {
  using type = std::conditional_t<(tree_size<Root>() <= max_repetition_tree), Root, void>;
};
template <class Root>
using repetition_context = typename repetition_context_of<Root>::type;

/// One node of the DAG. Pure nodes are keyed by their type. Other nodes are
/// keyed by their path, or, with `ShareByType`, by their `shared_key`: the
/// type for comparable nodes (constants, which are everywhere, by their
/// parent's key and their slot). The DAG shared by type is used only after a
/// run-time check that all nodes of one shared key hold equal data (see
/// sweep.hpp); both DAGs know each node's shared key for that check.
template <class Node, class Path, bool ShareByType, class ParentSharedKey, class Context>
struct dag_entry {
  using node = Node;
  using route = Path;
  using context = Context;
  static constexpr bool share_by_type = ShareByType;
  using shared_key = std::conditional_t<
      is_pure<Node>, Node,
      std::conditional_t<
          !is_comparable<Node>, Path,
          std::conditional_t<node_traits<Node>::kind == node_kind::constant,
                             child_key<ParentSharedKey, last_step<Path>>,
                             typename std::conditional_t<reads_elements<Node>,
                                                         element_reading_key<Node, Path, ParentSharedKey, Context>,
                                                         std::type_identity<Node>>::type>>>;
  using key = std::conditional_t<ShareByType || is_pure<Node>, shared_key, Path>;
};

template <class... Entries>
struct entry_list {
  static constexpr std::size_t size = sizeof...(Entries);
};

// Lists of entries run to hundreds: these look-ups expand a pack into an
// array rather than a fold expression, which clang nests, and caps at 256.
// They and the walk below are consteval: GCC mangles the name of every
// constexpr function it instantiates, even one only evaluated at compile
// time, and names that hold the list of entries seen so far, mangled once per
// entry, took a third of the compile time of long formulas with GCC.
template <class Key, class... Entries>
consteval bool contains_key(entry_list<Entries...>) {
  constexpr bool matches[] = {false, std::is_same_v<typename Entries::key, Key>...};
  for (const bool m : matches)
    if (m) return true;
  return false;
}

template <class Entry, class... Entries>
consteval entry_list<Entries..., Entry> append_entry(entry_list<Entries...>) {
  return {};
}

// The walk threads the list of entries seen so far through a post-order
// traversal; a plain type list keeps it cheap to compile (a Hana tuple
// re-instantiates its storage on every append).
template <class Node, class Path, bool ShareByType, class ParentSharedKey, class Context, class Seen>
consteval auto visit(Seen seen);

template <class Entry, std::size_t I, class Seen>
consteval auto visit_children(Seen seen) {
  using node = typename Entry::node;
  if constexpr (I == child_count<node>) {
    return seen;
  } else {
    using child_path = typename path_append<typename Entry::route, I>::type;
    return visit_children<Entry, I + 1>(
        visit<child_type<node, I>, child_path, Entry::share_by_type, typename Entry::shared_key,
              typename Entry::context>(seen));
  }
}

template <class Node, class Path, bool ShareByType, class ParentSharedKey, class Context, class Seen>
consteval auto visit(Seen seen) {
  using entry = dag_entry<Node, Path, ShareByType, ParentSharedKey, Context>;
  if constexpr (contains_key<typename entry::key>(Seen{})) {
    return seen;
  } else {
    return append_entry<entry>(visit_children<entry, 0>(seen));
  }
}

/// The entries of the DAG of `Root`, children before parents, root last.
/// Without `ShareByType` only pure subtrees are shared.
template <class Root, bool ShareByType = false>
using dag_of = decltype(visit<Root, path<>, ShareByType, void, repetition_context<Root>>(entry_list<>{}));

// Looking an entry up by index goes through one overload set instead of a
// recursive std::tuple_element, which costs compile time quadratic in size.
template <std::size_t K, class Entry>
struct indexed_entry {
  using type = Entry;
};
template <class Indices, class... Entries>
struct indexed_entries;
template <std::size_t... K, class... Entries>
struct indexed_entries<std::index_sequence<K...>, Entries...> : indexed_entry<K, Entries>... {};

template <std::size_t K, class Entry>
indexed_entry<K, Entry> select_entry(const indexed_entry<K, Entry>&);

template <std::size_t K, class List>
struct entry_at;
template <std::size_t K, class... Entries>
struct entry_at<K, entry_list<Entries...>> {
  using type = typename decltype(select_entry<K>(
      std::declval<indexed_entries<std::index_sequence_for<Entries...>, Entries...>>()))::type;
};

inline constexpr std::size_t no_entry = static_cast<std::size_t>(-1);

template <class Key, class... Entries>
consteval std::size_t index_of_key(entry_list<Entries...>) {
  constexpr bool matches[] = {std::is_same_v<typename Entries::key, Key>..., false};
  for (std::size_t k = 0; k < sizeof...(Entries); ++k)
    if (matches[k]) return k;
  return no_entry;
}

}  // namespace janus::detail
