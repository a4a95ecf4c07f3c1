// janus/tensor/dot.hpp: to_dot, a Graphviz description of the graph recorded behind a tensor.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "janus/tensor/basic_tensor.hpp"

namespace janus {

namespace detail {

inline std::string dot_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

template <class T>
std::string dot_tensor_label(const tensor_impl<T>& t) {
  std::string text = t.label.empty() ? std::string() : dot_escape(t.label) + "\\n";
  return text + to_string(t.shape);
}

}  // namespace detail

/// The recorded graph that produced `root` in DOT: one box per tensor
/// (label and shape), one ellipse per operation. Read it before backward(),
/// which releases the graph.
template <class T>
std::string to_dot(const basic_tensor<T>& root) {
  std::string out = "digraph janus {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  if (!root.defined()) return out + "}\n";
  std::unordered_map<const detail::tensor_impl<T>*, std::size_t> ids;
  std::vector<const detail::tensor_impl<T>*> pending;
  const auto id_of = [&](const detail::tensor_impl<T>* t) {
    auto [it, fresh] = ids.try_emplace(t, ids.size());
    if (fresh) {
      pending.push_back(t);
      out += "  t" + std::to_string(it->second) + " [shape=box, label=\"" + detail::dot_tensor_label(*t) +
             (t->requires_grad && t->leaf ? "\\nrequires grad" : "") + "\"];\n";
    }
    return it->second;
  };
  id_of(root.handle().get());
  // Iterative walk from the root towards the leaves.
  while (!pending.empty()) {
    const detail::tensor_impl<T>* t = pending.back();
    pending.pop_back();
    const detail::tensor_node<T>* node = t->producer;
    if (node == nullptr) continue;
    const std::string op_id = "op" + std::to_string(ids.at(t));
    out += "  " + op_id + " [shape=ellipse, label=\"" + std::string(node->op) + "\"];\n";
    out += "  " + op_id + " -> t" + std::to_string(ids.at(t)) + ";\n";
    for (std::size_t k = 0; k < node->input_count; ++k) {
      const std::size_t input_id = id_of(node->inputs[k].get());
      out += "  t" + std::to_string(input_id) + " -> " + op_id + ";\n";
    }
  }
  return out + "}\n";
}

}  // namespace janus
