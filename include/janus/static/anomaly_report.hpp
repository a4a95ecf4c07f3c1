// janus/static/anomaly_report.hpp: what the checked sweep of the static
// engine (`janus::checked_grad`, static/checked.hpp) says when a node's value
// or adjoint is NaN or infinite: the node's rule, its place in the sweep, its
// inputs and the pass.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "janus/error.hpp"
#include "janus/numeric_report.hpp"
#include "janus/static/node_traits.hpp"

namespace janus::detail {

/// The name a report gives a node of kind `Kind` and type `Node`: its rule's
/// for rules, else the kind's.
template <node_kind Kind, class Node>
constexpr std::string_view checked_node_name() {
  if constexpr (Kind == node_kind::unary || Kind == node_kind::binary)
    return std::remove_cvref_t<decltype(std::declval<const Node&>().rule())>::name;
  else if constexpr (Kind == node_kind::select) return "select";
  else if constexpr (Kind == node_kind::sum) return "sum";
  else if constexpr (Kind == node_kind::preaccumulated) return "preaccumulated";
  else if constexpr (Kind == node_kind::element) return "element";
  else if constexpr (Kind == node_kind::constant) return "constant";
  else return "variable";
}

inline constexpr std::string_view checked_sweep_name = "janus::checked_grad";

/// "(node 3 of 5)": a node's place in the order of evaluation.
inline std::string checked_node_place(std::size_t node, std::size_t nodes) {
  return " (node " + std::to_string(node + 1) + " of " + std::to_string(nodes) + ")";
}

template <class T>
[[noreturn, gnu::noinline, gnu::cold]] void throw_checked_forward(std::string_view name, std::size_t node,
                                                                  std::size_t nodes, T value, const T* inputs,
                                                                  std::size_t count) {
  std::string text = numeric_report_head(checked_sweep_name, sweep_pass::forward, name) +
                     checked_node_place(node, nodes) + " gave " + number_text(value);
  if (count > 0) text += "; inputs: " + numbers_text(inputs, count);
  throw numeric_error(text);
}

/// Input `input` (of `arity`) of a node received `contribution` from it, and
/// its adjoint became `adjoint`. `inputs` are the values of the node's
/// inputs that the sweep computed (`count` of them; none when it computed
/// none), `output` its value when computed.
template <class T>
[[noreturn, gnu::noinline, gnu::cold]] void throw_checked_backward(std::string_view name, std::size_t node,
                                                                   std::size_t nodes, std::size_t input,
                                                                   std::size_t arity, T upstream, T contribution,
                                                                   T adjoint, const T* inputs, std::size_t count,
                                                                   const T* output) {
  std::string text = numeric_report_head(checked_sweep_name, sweep_pass::backward, name) +
                     checked_node_place(node, nodes) + " gave " +
                     number_text(std::isfinite(contribution) ? adjoint : contribution) +
                     " as the adjoint of its input " + std::to_string(input + 1) + " of " + std::to_string(arity);
  if (std::isfinite(contribution))
    text += " (its adjoints added up to more than a " + std::string(sizeof(T) == 4 ? "float" : "double") +
            " holds)";
  else
    text += " (from the output's adjoint " + number_text(upstream) + ")";
  if (count > 0) text += "; inputs: " + numbers_text(inputs, count);
  if (output != nullptr) text += "; output: " + number_text(*output);
  throw numeric_error(text);
}

}  // namespace janus::detail
