// janus/static/sum.hpp: `janus::sum(range, body)`, a reduction over run-time
// data inside a static expression.
//
// The body maps one element to an expression of captured variables and
// per-element constants, e.g. the log-likelihood terms of a data set as a
// function of (mu, sigma). The sum is one node of the outer DAG whose children
// are the body's variables. When its gradient is wanted it walks the data once,
// adding up the body's values and its gradients (each a static sweep of the
// body); the reverse sweep then scales those partials by the sum's adjoint. No
// tape and no heap: the partials live in the sweep's locals.
#pragma once

#include <bit>
#include <cstddef>
#include <functional>
#include <ranges>
#include <string_view>
#include <type_traits>
#include <utility>

#include "janus/static/expression.hpp"
#include "janus/static/node_traits.hpp"
#include "janus/static/sweep.hpp"

namespace janus {

namespace detail {

template <class View, class Body>
struct sum_node {
  using body_expression =
      std::remove_cvref_t<std::invoke_result_t<const Body&, std::ranges::range_reference_t<const View>>>;
  using value_type = typename body_expression::value_type;
  using body_node = typename body_expression::node_type;
  static constexpr id_mask body_ids = node_traits<body_node>::all_ids;
  static constexpr std::size_t body_variable_count = std::popcount(body_ids);

  View elements;
  Body body;

  constexpr value_type value_only() const {
    value_type total(0);
    for (auto&& element : elements) total += run_sweep<0, true>(std::invoke(body, element)).value;
    return total;
  }

  // The sum's value; `partials` receives the derivatives of the sum with
  // respect to the body's variables, in increasing order of identity.
  constexpr value_type value_and_partials(value_type* partials) const {
    value_type total(0);
    for (std::size_t i = 0; i < body_variable_count; ++i) partials[i] = value_type(0);
    for (auto&& element : elements) {
      const auto term = run_sweep<body_ids, true>(std::invoke(body, element));
      total += term.value;
      for (std::size_t i = 0; i < body_variable_count; ++i) partials[i] += term.gradient[i];
    }
    return total;
  }
};

template <class View, class Body>
struct is_pure_node<sum_node<View, Body>> : std::false_type {};

template <class View, class Body>
struct node_traits<sum_node<View, Body>> {
  using node = sum_node<View, Body>;
  static constexpr node_kind kind = node_kind::sum;
  static constexpr auto children = leaves_of<node::body_ids>();
  static constexpr id_mask all_ids = node::body_ids;
  // The body reads its variables from its own captures, so the sum itself
  // supplies no variable values to the expression around it.
  static constexpr id_mask value_ids = 0;
  static constexpr auto reads = rules::pullback_reads::nothing;
  static constexpr std::string_view label = "sum";
};

}  // namespace detail

/// The sum over `range` of `body(element)`, as an expression of the variables
/// that `body` captures. `range` is kept by reference when it is a named
/// container, so it must outlive the expression; views are kept by value.
template <std::ranges::viewable_range Range, class Body>
  requires std::ranges::input_range<Range>
constexpr auto sum(Range&& range, Body body) {
  using view = std::views::all_t<Range>;
  static_assert(std::copyable<view>,
                "janus::sum: pass a named container or a view; a temporary container would dangle");
  using element = std::ranges::range_reference_t<const view>;
  static_assert(std::is_invocable_v<const Body&, element>,
                "janus::sum(range, body): body must be callable with an element of range");
  using body_result = std::remove_cvref_t<std::invoke_result_t<const Body&, element>>;
  static_assert(static_expression<body_result>,
                "janus::sum(range, body): body must return an expression of captured janus variables");
  using node = detail::sum_node<view, Body>;
  using T = typename body_result::value_type;
  return expression<node, T, body_result::variable_count>{
      {std::views::all(std::forward<Range>(range)), std::move(body)}, {}};
}

}  // namespace janus
