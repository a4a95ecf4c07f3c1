// janus/static/dot.hpp: `janus::to_dot(expression)`, a Graphviz DOT drawing of
// a static expression: variables with their values, constants, one box per
// operation named after its rule, one arrow from each input to its user.
//
// The drawing follows the DAG the gradient is generated from (dag.hpp), not
// the expanded tree: a subexpression kept in a variable and used several
// times is drawn once, with one arrow to each of its users, which is how the
// engine evaluates it and pushes its adjoint.
#pragma once

#include <bit>
#include <charconv>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "janus/static/dag.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/node_traits.hpp"
#include "janus/static/run_sweep.hpp"

namespace janus {

namespace detail {

inline void dot_append_number(std::string& out, double number) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, number, std::chars_format::general, 6).ptr;
  out.append(text, end);
}

/// Appends `text` escaped for a quoted DOT string.
inline void dot_append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
}

inline void dot_append_variable_name(std::string& out, std::size_t id, std::span<const std::string_view> names) {
  if (id < names.size() && !names[id].empty()) {
    dot_append_escaped(out, names[id]);
  } else {
    out += 'x';
    out += std::to_string(id);
  }
}

template <class Node>
struct rule_of;
template <class Rule, class Arg>
struct rule_of<unary<Rule, Arg>> {
  using type = Rule;
};
template <class Rule, class L, class R>
struct rule_of<binary<Rule, L, R>> {
  using type = Rule;
};

/// The label and shape of the node of entry `Entry`.
template <class Entry, class E>
void dot_append_entry(std::string& out, const E& e, std::span<const std::string_view> names) {
  using node = typename Entry::node;
  using traits = node_traits<node>;
  if constexpr (traits::kind == node_kind::leaf) {
    constexpr std::size_t id = std::countr_zero(traits::all_ids);
    out += "label=\"";
    dot_append_variable_name(out, id, names);
    // A variable used only inside a sum's body has its value in the body's
    // captures, not in the expression, so it is drawn without one.
    if constexpr ((node_traits<typename E::node_type>::value_ids >> id) & 1u) {
      out += " = ";
      dot_append_number(out, static_cast<double>(scalar_value(e.variable_values, id)));
    }
    out += "\", shape=ellipse, style=filled, fillcolor=\"#dbe9f6\"";
  } else if constexpr (traits::kind == node_kind::element) {
    out += "label=\"";
    dot_append_variable_name(out, std::countr_zero(traits::all_ids), names);
    out += "[" + std::to_string(entry_node<Entry>(e.node).index) + "]\", shape=ellipse, style=filled, fillcolor=\"#dbe9f6\"";
  } else if constexpr (traits::kind == node_kind::constant) {
    out += "label=\"";
    dot_append_number(out, static_cast<double>(entry_node<Entry>(e.node).value));
    out += "\", shape=plaintext";
  } else if constexpr (traits::kind == node_kind::select) {
    // The condition is run-time data: say which side the gradient takes.
    out += "label=\"select (";
    out += entry_node<Entry>(e.node).condition ? "first" : "second";
    out += " taken)\", shape=diamond";
  } else if constexpr (traits::kind == node_kind::sum || traits::kind == node_kind::preaccumulated) {
    // A node that supplies its own partials: a sum over data, or a
    // preaccumulated operand (preaccumulate.hpp).
    out += "label=\"";
    out += traits::label;
    out += "\", shape=box, style=rounded";
  } else {
    out += "label=\"";
    dot_append_escaped(out, std::string_view(rule_of<node>::type::name));
    out += "\", shape=box";
  }
}

}  // namespace detail

/// The DAG of the static expression `e` in DOT, variables drawn with the
/// given `names` (by identity; missing ones are drawn as x0, x1, ...).
/// Render with `dot -Tpng graph.dot -o graph.png`.
template <static_expression E>
std::string to_dot(const E& e, std::span<const std::string_view> names) {
  using list = detail::dag_of<typename E::node_type>;
  using layout = detail::dag_layout<list>;
  std::string out = "digraph janus {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    // A braced list, not a comma fold: clang caps fold expressions at 256 operands.
    [[maybe_unused]] const int entries[] = {(out += "  n" + std::to_string(K) + " [",
                                             detail::dot_append_entry<typename detail::entry_at<K, list>::type>(
                                                 out, e, names),
                                             out += "];\n", 0)...};
  }(std::make_index_sequence<layout::count>{});
  for (std::size_t k = 0; k < layout::count; ++k) {
    const detail::entry_info& info = layout::info[k];
    for (std::size_t j = 0; j < info.arity; ++j) {
      out += "  n" + std::to_string(info.child[j]) + " -> n" + std::to_string(k);
      // Which input is which matters for sub, div, pow and select.
      if (info.arity > 1) out += " [label=\"" + std::to_string(j) + "\"]";
      out += ";\n";
    }
  }
  return out + "}\n";
}

template <static_expression E>
std::string to_dot(const E& e, std::initializer_list<std::string_view> names) {
  return to_dot(e, std::span<const std::string_view>(names.begin(), names.size()));
}

template <static_expression E>
std::string to_dot(const E& e) {
  return to_dot(e, std::span<const std::string_view>{});
}

}  // namespace janus
