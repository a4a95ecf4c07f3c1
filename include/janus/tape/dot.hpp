// janus/tape/dot.hpp: `janus::to_dot(var)`, a Graphviz DOT description of the
// recorded graph that leads to a value: one box per value (operation, value,
// label, and the gradient once `backward()` has run), one arrow per input.
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "janus/error.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus {

namespace tape::detail {

inline void append_number(std::string& out, double number) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, number, std::chars_format::general, 6).ptr;
  out.append(text, end);
}

/// Appends `text` escaped for a field of a DOT record label.
inline void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (std::string_view("\"\\{}|<>").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
}

}  // namespace tape::detail

/// The graph of the operations `root` was computed from, in DOT. Render with
/// `dot -Tpng graph.dot -o graph.png`. A value that is not recorded is drawn
/// alone, as a constant.
template <class T>
std::string to_dot(const basic_var<T>& root) {
  using tape::index_type;
  const auto& tape = tape::this_thread_tape<T>();
  std::string out = "digraph janus {\n  rankdir=LR;\n  node [shape=record, fontname=\"Helvetica\"];\n";
  auto node = [&](index_type index, std::string_view name, T value, std::string_view label, bool with_grad) {
    out += "  n";
    out += std::to_string(index);
    out += " [label=\"{";
    if (!label.empty()) {
      tape::detail::append_escaped(out, label);
      out += " | ";
    }
    tape::detail::append_escaped(out, name);
    out += " | value ";
    tape::detail::append_number(out, static_cast<double>(value));
    if (with_grad) {
      out += " | grad ";
      tape::detail::append_number(out, static_cast<double>(tape.gradient(index)));
    }
    out += "}\"];\n";
  };

  if (root.index() == 0) {
    node(0, "constant", root.value(), {}, false);
    return out + "}\n";
  }
  tape.check_value("janus::to_dot", root.generation());
  if (!tape.contains(root.index()))
    throw graph_error("janus::to_dot: the value is not on this thread's tape (it was recorded before a "
                      "rewind, or not at all)");

  // Statements only refer to earlier ones, so one backward pass over the
  // tape finds everything the root depends on.
  std::vector<bool> reached(std::size_t{root.index()} + 1, false);
  reached[root.index()] = true;
  for (index_type index = root.index(); index > 0; --index) {
    if (!reached[index]) continue;
    const auto [begin, end] = tape.inputs(index);
    for (auto input = begin; input != end; ++input) reached[*input] = true;
  }
  for (index_type index = 1; index <= root.index(); ++index) {
    if (!reached[index]) continue;
    node(index, tape.name(index), tape.value(index), tape.label(index), tape.has_gradient(index));
    const auto [begin, end] = tape.inputs(index);
    for (auto input = begin; input != end; ++input) {
      out += "  n";
      out += std::to_string(*input);
      out += " -> n";
      out += std::to_string(index);
      out += ";\n";
    }
  }
  return out + "}\n";
}

}  // namespace janus
