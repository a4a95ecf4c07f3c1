// janus/tape/labels.hpp: the labels a scalar tape keeps for some of its
// statements (`janus::var::label`), shown by drawings of the graph and by
// the reports of janus::detect_anomaly.
//
// Few statements have one, so they are a short list of (index, text) pairs
// looked through in order, not an array as long as the tape: recording
// stays free of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace janus::tape::detail {

class tape_labels {
 public:
  using index_type = std::uint32_t;

  void set(index_type index, std::string_view text) {
    for (auto& entry : entries_)
      if (entry.first == index) {
        entry.second.assign(text);
        return;
      }
    entries_.emplace_back(index, std::string(text));
  }

  /// The label of `index`, empty where it has none.
  std::string_view get(index_type index) const {
    for (const auto& entry : entries_)
      if (entry.first == index) return entry.second;
    return {};
  }

  /// Forgets the labels of the statements from `count` on (a rewind).
  void forget_from(std::size_t count) {
    std::erase_if(entries_, [&](const auto& entry) { return entry.first >= count; });
  }

 private:
  std::vector<std::pair<index_type, std::string>> entries_;
};

}  // namespace janus::tape::detail
