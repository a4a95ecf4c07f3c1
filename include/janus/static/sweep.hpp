// janus/static/sweep.hpp: the generated forward and reverse sweeps.
//
// For an expression type and a request (which variables, whether the value is
// wanted) the plan of plan.hpp is fixed at compile time; the sweep below is a
// fold over its entries. Each step is an `if constexpr` on that plan, so what
// the compiler sees after inlining is the straight-line adjoint code a person
// would write: values kept in locals, no tape, no heap, no indirect call.
//
// `Checked` (janus::checked_grad, static/checked.hpp) adds a test of every
// value and adjoint the sweep computes, each an `if constexpr`: the sweep
// without it is generated as if the tests did not exist.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "janus/static/anomaly_report.hpp"
#include "janus/static/dag.hpp"
#include "janus/static/plan.hpp"
#include "janus/static/provably_equal.hpp"

namespace janus::detail {

/// One step down the tree; a fold of these walks a path.
template <std::size_t I>
struct child_step {};

template <class Node, std::size_t I>
constexpr decltype(auto) operator|(const Node& node, child_step<I>) {
  return unspill(node).template child<I>();
}

/// The node at a path inside `root` (only for nodes that hold data: the path
/// to such a node runs through nodes that hold data too). A fold, rather than
/// recursion, so that each step is instantiated once per node type and not
/// once per suffix of every path.
template <class Root, std::size_t... I>
constexpr decltype(auto) node_at(const Root& root, path<I...>) {
  return unspill((root | ... | child_step<I>{}));
}

template <class Entry, class Root>
constexpr decltype(auto) entry_node(const Root& root) {
  using node = typename Entry::node;
  if constexpr (is_pure<node>) return node{};
  else return node_at(root, typename Entry::route{});
}

/// The value and the gradient (in increasing order of variable identity).
template <class T, std::size_t WrtCount>
struct sweep_result {
  T value;
  std::array<T, WrtCount> gradient;
};

/// Where entry `id` of the request `Wrt` sits in its gradient (identities in
/// increasing order).
template <id_mask Wrt>
constexpr std::size_t position_in(std::size_t id) {
  return static_cast<std::size_t>(std::popcount(Wrt & ((id_mask{1} << id) - 1)));
}

template <class T, std::size_t N>
constexpr T element_value(const argument_values<T, N>& values, std::size_t id, std::size_t index) {
  return values.block->array_data[id][index];
}
template <class T, std::size_t N>
constexpr void add_to_element_gradient(const argument_values<T, N>& values, std::size_t id, std::size_t index,
                                       T adjoint) {
  values.block->array_gradient[id][index] += adjoint;
}

/// How many element reads of one tree are compared pairwise for reads of one
/// element (sweep::add_element_adjoints). The pairs cost compile time: the
/// pair potential's tree DAG has 36 reads, and comparing all of them doubled
/// its compile time; its shared DAG, the one its sweep follows, has 12.
inline constexpr std::size_t max_merged_element_reads = 16;

/// Between the stores of two elements' adjoints. Clang (16) vectorises the
/// stores into `x[i]` and `x[i + 1]` (Rosenbrock's body) into one 16-byte
/// read-modify-write; the next element's 16-byte read then overlaps half of
/// this store, which the processor cannot forward, and the loop took four
/// times as long. An empty statement that may touch memory keeps the stores
/// apart. GCC 12 vectorises the loop (when indices are unchecked) with
/// wider overlapping read-modify-writes, which measured as fast as its
/// scalar loop (an empty statement kept it scalar: 1.38x the expert
/// gradient either way), so GCC gets nothing.
[[gnu::always_inline]] inline void keep_element_stores_apart() {
#if defined(__clang__)
  if (!std::is_constant_evaluated()) asm volatile("" ::: "memory");
#endif
}

/// Adds element read J's adjoint to the first earlier read `R` of the same
/// element that is not itself added to an earlier one (free functions, not
/// members of the sweep: their names hold no tree, and one instantiation
/// serves every tree with as many reads).
template <std::size_t J, std::size_t... R, class T, std::size_t N>
[[gnu::always_inline]] constexpr void merge_element_read(std::index_sequence<R...>,
                                                         const std::array<std::size_t, N>& array_ids,
                                                         const std::array<std::size_t, N>& index,
                                                         std::array<T, N>& total, std::array<bool, N>& added) {
  ((array_ids[J] == array_ids[R] && !added[J] && !added[R] && provably_equal(index[J], index[R])
        ? (void)(total[R] += total[J], added[J] = true)
        : (void)0),
   ...);
}

template <std::size_t... J, class T, std::size_t N>
[[gnu::always_inline]] constexpr void merge_element_reads(std::index_sequence<J...>,
                                                          const std::array<std::size_t, N>& array_ids,
                                                          const std::array<std::size_t, N>& index,
                                                          std::array<T, N>& total, std::array<bool, N>& added) {
  (merge_element_read<J>(std::make_index_sequence<J>{}, array_ids, index, total, added), ...);
}

/// Hands `contribution` to a child's adjoint: stored if it is the first to
/// reach it, added otherwise; nothing if the child takes no adjoint.
template <bool Live, bool First, class T>
[[gnu::always_inline]] constexpr void push_adjoint(T& adjoint, T contribution) {
  if constexpr (Live) {
    if constexpr (First) adjoint = contribution;
    else adjoint += contribution;
  }
}

/// The sweep of the tree `Root` along its tree DAG or, with `ShareByType`,
/// its shared DAG (dag.hpp). The DAG is named by the tree's type and the
/// flag, not by its entry list (every subtree with its route): every step
/// below is a function whose mangled name holds the class's arguments, and
/// shorter names cost the compiler less (docs/compile_time.md).
template <class Root, bool ShareByType, class T, class Values, id_mask Wrt, bool WantValue,
          class Hoisted = hoisted_nodes<>, bool Checked = false>
struct sweep {
  using entries = dag_of<Root, ShareByType>;
  using plan = sweep_plan<entries, Wrt, WantValue, Hoisted>;
  /// Values of the given subtrees, in; their adjoints, out.
  using hoisted_values = std::array<T, Hoisted::size>;
  using layout = typename plan::layout;
  static constexpr std::size_t count = plan::count;
  static constexpr std::size_t root_entry = plan::root;
  static constexpr std::size_t wrt_count = std::popcount(Wrt);
  using result = sweep_result<T, wrt_count>;

  struct state {
    std::array<T, count> value;
    std::array<T, count> adjoint;
    std::array<T, layout::partial_count> partials;
  };

  // The steps of the sweep are written with as few member functions per
  // entry as the `if constexpr` dispatch allows: each one is mangled with the
  // tree's type in its name, and that costs compile time (see above).

  template <std::size_t K>
  static constexpr void forward(state& s, const Root& root, const Values& values, const hoisted_values& given) {
    if constexpr (plan::needed[K]) {
      constexpr const auto& child = layout::info[K].child;
      using entry = typename entry_at<K, entries>::type;
      constexpr node_kind kind = layout::info[K].kind;
      decltype(auto) node = entry_node<entry>(root);
      if constexpr (plan::hoisted(K)) {
        s.value[K] = given[plan::hoisted_slot[K]];
      } else if constexpr (kind == node_kind::leaf) {
        s.value[K] = scalar_value(values, layout::info[K].leaf_id);
      } else if constexpr (kind == node_kind::element) {
        s.value[K] = element_value(values, layout::info[K].leaf_id, node.index);
      } else if constexpr (kind == node_kind::constant) {
        s.value[K] = node.value;
      } else if constexpr (kind == node_kind::unary) {
        s.value[K] = node.rule().value(s.value[child[0]]);
      } else if constexpr (kind == node_kind::binary) {
        s.value[K] = node.rule().value(s.value[child[0]], s.value[child[1]]);
      } else if constexpr (kind == node_kind::select) {
        s.value[K] = node.condition ? s.value[child[0]] : s.value[child[1]];
      } else {
        static_assert(supplies_partials(kind));
        T* partials = s.partials.data() + layout::info[K].partial_offset;
        if constexpr (plan::active[K]) s.value[K] = node.value_and_partials(partials);
        else s.value[K] = node.value_only();
      }
      if constexpr (Checked && !plan::hoisted(K) && kind != node_kind::leaf && kind != node_kind::element &&
                    kind != node_kind::constant)
        check_value<K>(s, node);
    }
  }

  // The checked sweep's tests (Checked only).

  template <std::size_t K, class Node>
  static constexpr std::string_view name_of(const Node&) {
    return checked_node_name<layout::info[K].kind, std::remove_cvref_t<Node>>();
  }

  // The values of entry K's inputs that the sweep computes, into `inputs`.
  template <std::size_t K>
  static std::size_t known_inputs(const state& s, T* inputs) {
    constexpr node_kind kind = layout::info[K].kind;
    std::size_t count = 0;
    if constexpr (kind == node_kind::unary || kind == node_kind::binary || kind == node_kind::select) {
      const auto add = [&]<std::size_t J>() {
        if constexpr (plan::needed[layout::info[K].child[J]]) inputs[count++] = s.value[layout::info[K].child[J]];
      };
      [&]<std::size_t... J>(std::index_sequence<J...>) {
        (add.template operator()<J>(), ...);
      }(std::make_index_sequence<layout::info[K].arity>{});
    }
    return count;
  }

  template <std::size_t K, class Node>
  static void check_value(const state& s, const Node& node) {
    if (!std::isfinite(s.value[K])) [[unlikely]] {
      T inputs[2]{};
      const std::size_t known = known_inputs<K>(s, inputs);
      throw_checked_forward(name_of<K>(node), K, count, s.value[K], inputs, known);
    }
  }

  // After entry K handed `contribution` to its input J.
  template <std::size_t K, std::size_t J, class Node>
  static void check_pushed(const state& s, const Node& node, T upstream, T contribution) {
    constexpr std::size_t child = layout::info[K].child[J];
    if constexpr (plan::live[child]) {
      if (!std::isfinite(s.adjoint[child])) [[unlikely]] {
        T inputs[2]{};
        const std::size_t known = known_inputs<K>(s, inputs);
        const T* output = plan::needed[K] ? &s.value[K] : nullptr;
        throw_checked_backward(name_of<K>(node), K, count, J, layout::info[K].arity, upstream, contribution,
                               s.adjoint[child], inputs, known, output);
      }
    }
  }

  // Hands `contribution` to the `J`-th child of entry `K`.

  template <std::size_t K>
  static constexpr void reverse(state& s, const Root& root, hoisted_values& adjoints) {
    constexpr node_kind kind = layout::info[K].kind;
    if constexpr (plan::live[K] && plan::hoisted(K)) {
      adjoints[plan::hoisted_slot[K]] = s.adjoint[K];
    } else if constexpr (plan::live[K] && kind != node_kind::leaf && kind != node_kind::element) {
      // (An element's adjoint goes into its gradient buffer after the sweep,
      // with those of the other reads of the same element: add_element_adjoints.)
      constexpr const auto& child = layout::info[K].child;
      using entry = typename entry_at<K, entries>::type;
      decltype(auto) node = entry_node<entry>(root);
      const T g = s.adjoint[K];
      constexpr bool reads_in = rules::reads_input(layout::info[K].reads);
      constexpr bool reads_out = rules::reads_output(layout::info[K].reads);
      const T out = reads_out ? s.value[K] : T(0);
      if constexpr (kind == node_kind::unary) {
        // rules::pullback_of: an adjoint of 0 propagates nothing, even
        // through an infinite derivative (docs/rules.md).
        const T adjoint = rules::pullback_of(node.rule(), reads_in ? s.value[child[0]] : T(0), out, g);
        push_adjoint<plan::live[child[0]], plan::first[K][0]>(s.adjoint[child[0]], adjoint);
        if constexpr (Checked) check_pushed<K, 0>(s, node, g, adjoint);
      } else if constexpr (kind == node_kind::binary) {
        const auto adjoints = rules::pullback_of(node.rule(), reads_in ? s.value[child[0]] : T(0),
                                                 reads_in ? s.value[child[1]] : T(0), out, g);
        push_adjoint<plan::live[child[0]], plan::first[K][0]>(s.adjoint[child[0]], adjoints.first);
        push_adjoint<plan::live[child[1]], plan::first[K][1]>(s.adjoint[child[1]], adjoints.second);
        if constexpr (Checked) {
          check_pushed<K, 0>(s, node, g, adjoints.first);
          check_pushed<K, 1>(s, node, g, adjoints.second);
        }
      } else if constexpr (kind == node_kind::select) {
        push_adjoint<plan::live[child[0]], plan::first[K][0]>(s.adjoint[child[0]], node.condition ? g : T(0));
        push_adjoint<plan::live[child[1]], plan::first[K][1]>(s.adjoint[child[1]], node.condition ? T(0) : g);
        if constexpr (Checked) {
          check_pushed<K, 0>(s, node, g, node.condition ? g : T(0));
          check_pushed<K, 1>(s, node, g, node.condition ? T(0) : g);
        }
      } else if constexpr (supplies_partials(kind)) {
        if constexpr (kind == node_kind::sum) node.take_adjoint(g);
        constexpr std::size_t offset = layout::info[K].partial_offset;
        // Stored partials may be infinite (a preaccumulated sqrt at 0): an
        // adjoint of 0 propagates nothing through them either.
        [&]<std::size_t... J>(std::index_sequence<J...>) {
          (push_adjoint<plan::live[child[J]], plan::first[K][J]>(s.adjoint[child[J]], rules::detail::zero_where_zero(g, g * s.partials[offset + J])), ...);
          if constexpr (Checked)
            (check_pushed<K, J>(s, node, g, rules::detail::zero_where_zero(g, g * s.partials[offset + J])), ...);
        }(std::make_index_sequence<layout::info[K].arity>{});
      }
    }
  }

  // The live entries that read elements of arrays, in sweep order.
  static constexpr std::size_t element_count = []() consteval {
    std::size_t n = 0;
    for (std::size_t k = 0; k < count; ++k)
      if (layout::info[k].kind == node_kind::element && plan::live[k]) ++n;
    return n;
  }();
  static constexpr std::array<std::size_t, element_count> element_entries = []() consteval {
    std::array<std::size_t, element_count> entries{};
    std::size_t n = 0;
    for (std::size_t k = 0; k < count; ++k)
      if (layout::info[k].kind == node_kind::element && plan::live[k]) entries[n++] = k;
    return entries;
  }();

  static constexpr std::array<std::size_t, element_count> element_array_ids = []() consteval {
    std::array<std::size_t, element_count> ids{};
    for (std::size_t e = 0; e < element_count; ++e) ids[e] = layout::info[element_entries[e]].leaf_id;
    return ids;
  }();

  /// Adds the adjoints of the element reads into the gradient buffers. Reads
  /// of one element (a value read once and used twice in the source becomes
  /// two reads when the expression holds it twice: `s6 * s6 - s6`) are added
  /// up first, so that each element takes one read-modify-write of its
  /// buffer: where the optimiser can prove that two reads have one index.
  /// (Where it cannot, such as `r[3 * i]` and `r[3 * j]`, they stay apart:
  /// the indices may be equal only sometimes, and a store to one may change
  /// the other.) Past `max_merged_element_reads` each read is added on its
  /// own.
  template <std::size_t... E>
  [[gnu::always_inline]] static constexpr void add_element_adjoints(const state& s, const Root& root,
                                                                    const Values& values,
                                                                    std::index_sequence<E...>) {
    constexpr std::size_t n = sizeof...(E);
    const std::array<std::size_t, n> index{
        entry_node<typename entry_at<element_entries[E], entries>::type>(root).index...};
    std::array<T, n> total{s.adjoint[element_entries[E]]...};
    std::array<bool, n> added_to_earlier{};
    if constexpr (n > 1 && n <= max_merged_element_reads)
      merge_element_reads(std::make_index_sequence<n>{}, element_array_ids, index, total, added_to_earlier);
    ((added_to_earlier[E] ? (void)0
                          : (add_to_element_gradient(values, element_array_ids[E], index[E], total[E]),
                             keep_element_stores_apart())),
     ...);
  }

  static constexpr std::array<std::size_t, wrt_count> wrt_ids = []() consteval {
    std::array<std::size_t, wrt_count> ids{};
    std::size_t n = 0;
    for (std::size_t id = 0; id < max_variables; ++id)
      if ((Wrt >> id) & 1u) ids[n++] = id;
    return ids;
  }();

  template <std::size_t Id>
  static constexpr T gradient_of(const state& s) {
    constexpr std::size_t k = plan::entry_of_leaf(Id);
    if constexpr (k == no_entry) return T(0);
    else if constexpr (!plan::live[k]) return T(0);  // reached through given subtrees only
    else return s.adjoint[k];
  }

  [[gnu::flatten]] static constexpr result run(const Root& root, const Values& values) {
    hoisted_values none{};
    return run(root, values, none, none);
  }

  /// The sweep with the given subtrees' values in `given`; their adjoints
  /// go to `adjoints` (zero where the sweep does not reach them). Always
  /// inlined: a sum calls it per element, and clang (16) flattens only the
  /// calls written in a function, not those that inlining brings into it.
  [[gnu::always_inline, gnu::flatten]] static constexpr result run(const Root& root, const Values& values, const hoisted_values& given,
                                               hoisted_values& adjoints) {
    state s;
    // Steps in a braced list, not a comma fold: evaluated in order all the
    // same, and clang caps fold expressions at 256 operands.
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      [[maybe_unused]] const int steps[] = {(forward<K>(s, root, values, given), 0)...};
    }(std::make_index_sequence<count>{});

    result r{};
    if constexpr (WantValue) r.value = s.value[root_entry];
    if constexpr (plan::active[root_entry]) {
      s.adjoint[root_entry] = T(1);
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        [[maybe_unused]] const int steps[] = {(reverse<count - 1 - K>(s, root, adjoints), 0)...};
      }(std::make_index_sequence<count>{});
      if constexpr (element_count > 0) add_element_adjoints(s, root, values, std::make_index_sequence<element_count>{});
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        [[maybe_unused]] const int steps[] = {0, (r.gradient[I] = gradient_of<wrt_ids[I]>(s), 0)...};
      }(std::make_index_sequence<wrt_count>{});
    }
    return r;
  }
};

}  // namespace janus::detail
