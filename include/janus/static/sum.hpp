// janus/static/sum.hpp: `janus::sum(range, body)`, a reduction over run-time
// data inside a static expression.
//
// The body maps one element (a data point, an index) to an expression of
// captured variables, elements of array arguments and per-element constants,
// e.g. the log-likelihood terms of a data set as a function of (mu, sigma).
// The sum is one node of the outer DAG whose children are the body's scalar
// variables. It walks the range once, when it is made, adding up the body's
// values and gradients (each a static sweep of the body); the reverse sweep
// then scales those partials by the sum's adjoint. No tape and no heap: the
// partials live in the node.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "janus/static/array_sums.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/indices.hpp"
#include "janus/static/invariant_divisors.hpp"
#include "janus/static/node_traits.hpp"
#include "janus/static/run_sweep.hpp"
#include "janus/static/spill.hpp"

namespace janus {

namespace detail {

// The subtrees of a body that do not depend on the element: pure subtrees
// (variables and rules only, see expression.hpp) other than single variables,
// each taken whole (the largest that a node with data holds).
template <class Set, class Node>
struct add_hoisted {
  using type = Set;
};
template <class... Nodes, class Node>
  requires(is_pure<Node> && node_traits<Node>::kind != node_kind::leaf && !(std::is_same_v<Node, Nodes> || ...))
struct add_hoisted<hoisted_nodes<Nodes...>, Node> {
  using type = hoisted_nodes<Nodes..., Node>;
};

template <class Set, class Node, class Indices>
struct add_hoisted_children;
template <class Set, class Node, std::size_t... I>
struct add_hoisted_children<Set, Node, std::index_sequence<I...>> {
  template <class S, class... Children>
  struct fold {
    using type = S;
  };
  template <class S, class Child, class... Children>
  struct fold<S, Child, Children...> {
    using type = typename fold<typename add_hoisted<S, Child>::type, Children...>::type;
  };
  using type = typename fold<Set, child_type<Node, I>...>::type;
};

template <class Set, class List>
struct hoisted_of_entries;
template <class Set>
struct hoisted_of_entries<Set, entry_list<>> {
  using type = Set;
};
template <class Set, class Entry, class... Entries>
struct hoisted_of_entries<Set, entry_list<Entry, Entries...>> {
  using node = typename Entry::node;
  using with_entry = std::conditional_t<
      is_pure<node>, Set,
      typename add_hoisted_children<Set, node, std::make_index_sequence<child_count<node>>>::type>;
  using type = typename hoisted_of_entries<with_entry, entry_list<Entries...>>::type;
};

/// What a sum computes once rather than per element, for a body of `Node`.
/// A body that is pure as a whole does not depend on the element at all.
template <class Node>
using hoisted_subtrees_t = std::conditional_t<
    is_pure<Node>, typename add_hoisted<hoisted_nodes<>, Node>::type,
    typename hoisted_of_entries<hoisted_nodes<>, dag_of<Node, false>>::type>;

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_sum_over_two_calls() {
  throw std::logic_error(
      "janus::sum: the body read elements of array arguments of one differentiated call for one element and of "
      "another call for another; a body must read the same arrays for every element");
}

/// A sum, evaluated where it is made: bodies capture by reference (`[&]`)
/// the locals of the function that makes them, and the index of an outer sum,
/// which are gone by the time the expression is swept. So `janus::sum` runs
/// its loop at once, each element a static sweep of the body, and the node
/// keeps the value and the partials with respect to the body's scalar
/// variables; the outer sweep scales those by the node's adjoint. The
/// elements of array arguments take their partials straight into the
/// gradient buffers, scaled as array_sums.hpp describes.
template <class T, id_mask BodyIds, id_mask BodyLeafIds>
struct sum_node {
  using value_type = T;
  static constexpr id_mask body_ids = BodyIds;
  static constexpr id_mask body_leaf_ids = BodyLeafIds;
  static constexpr bool reads_arrays = body_ids != body_leaf_ids;
  static constexpr std::size_t body_variable_count = std::popcount(body_leaf_ids);
  // Where each of the body's scalar variables sits in the body's gradient.
  static constexpr std::array<std::size_t, body_variable_count> leaf_positions = []() consteval {
    std::array<std::size_t, body_variable_count> result{};
    std::size_t n = 0;
    for (std::size_t id = 0; id < max_variables; ++id)
      if ((body_leaf_ids >> id) & 1u) result[n++] = position_in<body_ids>(id);
    return result;
  }();

  value_type value{};
  std::array<value_type, body_variable_count> partials{};
  // Which top-level sum over array elements of the call this is (array_sums.hpp).
  std::size_t number = nested_sum;

  template <class Range, class Body>
  constexpr sum_node(const Range& elements, const Body& body) {
    if constexpr (reads_arrays) {
      const array_sum_loop<value_type> loop;
      number = loop.number();
      add_up(elements, body, loop.scale());
    } else {
      add_up(elements, body, value_type(1));
    }
  }

  /// The loop: `scale` multiplies the partials the elements of array
  /// arguments take. A body that divides by values the same for every
  /// element multiplies by their reciprocals, unless one is not finite
  /// (invariant_divisors.hpp).
  template <class Range, class Body>
  [[gnu::flatten]] constexpr void add_up(const Range& elements, const Body& body, [[maybe_unused]] value_type scale) {
    using body_node = typename std::remove_cvref_t<std::invoke_result_t<const Body&, element_of<const Range>>>::node_type;
    if constexpr (divides_by_reciprocals<body_node>) {
      if (add_up_as<true>(elements, body, scale)) return;
    }
    add_up_as<false>(elements, body, scale);
  }

  /// The loop over the body as written, or with its invariant divisions made
  /// products (`Reciprocals`); false, before anything is added up, when a
  /// reciprocal is not finite. (Not always inlined: a sum whose body holds a
  /// sum would then be one function holding both loops, with more values
  /// live than registers; the pair potential took three times as long.)
  template <bool Reciprocals, class Range, class Body>
  constexpr bool add_up_as(const Range& elements, const Body& body,
                           [[maybe_unused]] value_type scale) {
    const auto tree_of = [&](const auto& element) {
      if constexpr (Reciprocals) return with_reciprocals(body(element));
      else return body(element);
    };
    using body_result = decltype(tree_of(std::declval<element_of<const Range>>()));
    using hoisted = hoisted_subtrees_t<typename body_result::node_type>;
    constexpr std::size_t hoisted_count = hoisted::size;
    // Added up in locals: stores through a pointer could alias the values
    // the body reads, and would be reloaded per element.
    value_type total(0);
    std::array<value_type, body_variable_count> sums{};
    // The subtrees that do not depend on the element: their values, taken
    // from the first element's tree, and their partials; their adjoints are
    // added up over the elements and applied once, after the loop (a
    // pullback is linear in its adjoint).
    std::array<value_type, hoisted_count> hoisted_values{};
    std::array<value_type, hoisted_count> hoisted_adjoints{};
    std::array<std::array<value_type, std::popcount(body_ids)>, hoisted_count> hoisted_gradients{};
    // The first element's tree is made apart, before the loop, for what is
    // read from it once: the values of the subtrees that do not depend on the
    // element, and where the elements of array arguments are read and their
    // partials go (copied out of the call's argument block: copies in locals
    // stay in registers, where pointers read from the block would be read
    // again after each store into a gradient buffer, and the loop would not
    // be vectorised). A body holding a sum, which adds partials into gradient
    // buffers as it is made, is made once per element, and reads those from
    // its first tree inside the loop.
    constexpr bool first_tree_in_loop = holds_sum<typename body_result::node_type>;
    using frame = spill_frame_for<typename body_result::values_type>;
    [[maybe_unused]] scaled_argument_values_of<typename body_result::values_type> values{};
    if constexpr ((hoisted_count > 0 || reads_arrays) && !first_tree_in_loop) {
      const auto first = std::begin(elements);
      if (first != std::end(elements)) {
        [[maybe_unused]] const frame first_frame;
        const auto first_tree = tree_of(*first);
        if constexpr (reads_arrays) values = scaled_values(first_tree.variable_values.block, scale);
        if constexpr (hoisted_count > 0) {
          sweep_hoisted(first_tree, hoisted{}, hoisted_values, hoisted_gradients);
          if constexpr (Reciprocals)
            if (!reciprocals_finite(hoisted{}, hoisted_values)) return false;
        }
      }
    }
    [[maybe_unused]] bool first = true;
    const frame elements_frame;
    for (auto&& element : elements) {
      const auto tree = tree_of(element);
      if constexpr (first_tree_in_loop) {
        if (first) {
          if constexpr (reads_arrays) values = scaled_values(tree.variable_values.block, scale);
          if constexpr (hoisted_count > 0) sweep_hoisted(tree, hoisted{}, hoisted_values, hoisted_gradients);
          first = false;
        }
      }
      std::array<value_type, hoisted_count> adjoints{};
      const auto term = [&]() __attribute__((always_inline)) {
        if constexpr (reads_arrays) {
          if (tree.variable_values.block != values.block) [[unlikely]]
            throw_sum_over_two_calls();
          return run_sweep_reading<body_ids, true, hoisted, value_type>(tree.node, values, hoisted_values, adjoints);
        } else {
          return run_sweep_given<body_ids, true, hoisted>(tree, hoisted_values, adjoints);
        }
      }();
      total += term.value;
      for (std::size_t i = 0; i < body_variable_count; ++i) sums[i] += term.gradient[leaf_positions[i]];
      for (std::size_t h = 0; h < hoisted_count; ++h) hoisted_adjoints[h] += adjoints[h];
      // What building this element's tree spilled is dead now. (A tree that
      // cannot have spilled skips the check: its loop then holds no load
      // from the arena; what such a body spills in temporaries it discards
      // is freed when the loop ends.)
      if constexpr (may_have_spilled<typename body_result::node_type>) elements_frame.release();
    }
    for (std::size_t h = 0; h < hoisted_count; ++h)
      for (std::size_t i = 0; i < body_variable_count; ++i)
        sums[i] += hoisted_adjoints[h] * hoisted_gradients[h][leaf_positions[i]];
    value = total;
    partials = sums;
    return true;
  }

  /// Whether the reciprocals among the given subtrees' values are finite.
  template <class... Nodes>
  static constexpr bool reciprocals_finite(hoisted_nodes<Nodes...>,
                                           const std::array<value_type, sizeof...(Nodes)>& values) {
    constexpr bool reciprocal[] = {is_reciprocal<Nodes>..., false};
    for (std::size_t h = 0; h < sizeof...(Nodes); ++h)
      if (reciprocal[h] && !(values[h] - values[h] == value_type(0))) return false;  // infinite or NaN
    return true;
  }

  /// The value and the gradient (over the body's identities) of each given
  /// subtree, reading the variables where `tree` reads them.
  template <class Tree, class... Nodes, class Gradients>
  static constexpr void sweep_hoisted(const Tree& tree, hoisted_nodes<Nodes...>,
                                      std::array<value_type, sizeof...(Nodes)>& hoisted_values,
                                      Gradients& hoisted_gradients) {
    using values = typename Tree::values_type;
    std::size_t h = 0;
    [[maybe_unused]] const int steps[] = {
        0, ([&] {
          const auto swept = run_sweep<body_ids, true>(
              expression<Nodes, value_type, Tree::variable_count, values>{Nodes{}, tree.variable_values});
          hoisted_values[h] = swept.value;
          hoisted_gradients[h] = swept.gradient;
          ++h;
        }(), 0)...};
  }

  constexpr value_type value_only() const { return value; }
  constexpr value_type value_and_partials(value_type* out) const {
    for (std::size_t i = 0; i < body_variable_count; ++i) out[i] = partials[i];
    return value;
  }

  /// The sum's adjoint, which scales its elements' partials (array_sums.hpp).
  constexpr void take_adjoint(value_type adjoint) const {
    if constexpr (reads_arrays) record_array_sum_adjoint(number, adjoint);
  }
};

template <class T, id_mask BodyIds, id_mask BodyLeafIds>
struct is_pure_node<sum_node<T, BodyIds, BodyLeafIds>> : std::false_type {};

// The node's type names only what the sweep needs (not the range or the
// body), which keeps the types of long formulas short.
template <class T, id_mask BodyIds, id_mask BodyLeafIds>
struct node_traits<sum_node<T, BodyIds, BodyLeafIds>> {
  using node = sum_node<T, BodyIds, BodyLeafIds>;
  static constexpr node_kind kind = node_kind::sum;
  static constexpr auto children = leaves_of<node::body_leaf_ids>();
  static constexpr id_mask all_ids = node::body_ids;
  static constexpr id_mask leaf_ids = node::body_leaf_ids;
  // The body reads its variables from its own captures, so the sum itself
  // supplies no variable values to the expression around it.
  static constexpr id_mask value_ids = 0;
  static constexpr auto reads = rules::pullback_reads::nothing;
  static constexpr std::string_view label = "sum";
};

/// The sum of `body` over `range` when the body gives plain numbers.
template <class Range, class Body>
constexpr auto plain_sum(Range&& range, const Body& body) {
  using number = std::remove_cvref_t<std::invoke_result_t<const Body&, element_of<Range>>>;
  number total(0);
  for (auto&& e : range) total += body(e);
  return total;
}

}  // namespace detail

/// The sum over `range` of `body(element)`. When the body returns an
/// expression of janus variables (captured scalars, elements of array
/// arguments), the sum is one node of the expression: the body's sweep is
/// generated once and runs per element, when the sum is made (so the range
/// and the body's captures need to live only as long as that call).
/// When the body returns a number, this is an ordinary sum, so that one
/// function serves doubles and the engine.
template <detail::iterable Range, class Body>
constexpr auto sum(Range&& range, const Body& body) {
  using element = detail::element_of<Range>;
  static_assert(std::is_invocable_v<const Body&, element>,
                "janus::sum(range, body): body must be callable with an element of range");
  using body_result = std::remove_cvref_t<std::invoke_result_t<const Body&, element>>;
  if constexpr (std::is_arithmetic_v<body_result>) {
    return detail::plain_sum(range, body);
  } else {
    static_assert(static_expression<body_result>,
                  "janus::sum(range, body): body must return a number or an expression of janus variables");
    using T = typename body_result::value_type;
    using body_traits = detail::node_traits<typename body_result::node_type>;
    using node = detail::sum_node<T, body_traits::all_ids, body_traits::leaf_ids>;
    // The sum reads its variables in its body, so its expression points at
    // no values; in a functional call it still carries the call's arena,
    // where it may be spilled (spill.hpp).
    using values_type = typename body_result::values_type;
    values_type values{};
    if constexpr (detail::is_argument_values<values_type>)
      if (!std::is_constant_evaluated()) values.arena = detail::current_spill_arena();
    return expression<node, T, body_result::variable_count, values_type>{node(range, body), values};
  }
}

}  // namespace janus
