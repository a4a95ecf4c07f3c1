// janus/numeric_report.hpp: how every engine words a `janus::numeric_error`,
// so that the scalar tape, the tensor tape and the static engine report a
// NaN or an infinity in the same sentences.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

#include "janus/error.hpp"

namespace janus::detail {

/// The two halves of a gradient computation.
enum class sweep_pass : unsigned char { forward, backward };

/// A number as the shortest text that reads back to it; "nan" whatever the
/// sign bit of a NaN, "inf" and "-inf".
template <std::floating_point T>
std::string number_text(T x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, x);
  if (error != std::errc{}) return "?";
  return std::string(buffer, end);
}

/// "1, 0, -2": the first `shown` values, then how many more there are.
template <std::floating_point T>
std::string numbers_text(const T* values, std::size_t count, std::size_t shown = 8) {
  std::string text;
  for (std::size_t i = 0; i < count && i < shown; ++i) {
    if (i > 0) text += ", ";
    text += number_text(values[i]);
  }
  if (count > shown) text += ", ... (" + std::to_string(count) + " in all)";
  return text;
}

/// `label` quoted after a space, or nothing when it is empty.
inline std::string label_text(std::string_view label) {
  if (label.empty()) return {};
  return " \"" + std::string(label) + "\"";
}

/// The start of every report: "janus::detect_anomaly: the backward pass of
/// div "ratio"", `who` being the facility that found it.
inline std::string numeric_report_head(std::string_view who, sweep_pass pass, std::string_view operation,
                                       std::string_view label = {}) {
  return std::string(who) + ": the " + (pass == sweep_pass::forward ? "forward" : "backward") + " pass of " +
         std::string(operation) + label_text(label);
}

}  // namespace janus::detail
