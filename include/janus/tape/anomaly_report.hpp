// janus/tape/anomaly_report.hpp: what the scalar tape says when
// `janus::detect_anomaly` (tape/anomaly.hpp) finds a NaN or an infinity:
// the text of the numeric_error, naming the operation, its label, its
// inputs and its output, in the forward pass (an operation about to be
// recorded, `detail::recorder::check_value_recorded`) or the backward one
// (`checked_backward`, tape/sweep.hpp).
//
// All of it is cold and out of line: the paths that call it test a number
// and branch here only to throw.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "janus/error.hpp"
#include "janus/numeric_report.hpp"
#include "janus/tape/storage.hpp"

namespace janus::tape::detail {

template <std::floating_point T>
class tape_reports : public tape_storage<T> {
 protected:
  tape_reports() = default;
  ~tape_reports() = default;

  using tape_storage<T>::names_;
  using tape_storage<T>::operand_end_;
  using tape_storage<T>::operand_index_;
  using tape_storage<T>::operand_partial_;
  using tape_storage<T>::statement_count_;
  using tape_storage<T>::values_;

  /// "1, 0 "x"": values, each followed by the label of its statement.
  std::string inputs_text(const T* values, const index_type* indices, std::size_t count) const {
    constexpr std::size_t shown = 8;
    std::string text;
    for (std::size_t i = 0; i < count && i < shown; ++i) {
      if (i > 0) text += ", ";
      text += janus::detail::number_text(values[i]);
      if (indices[i] != 0 && indices[i] < statement_count_)
        text += janus::detail::label_text(this->label(indices[i]));
    }
    if (count > shown) text += ", ... (" + std::to_string(count) + " in all)";
    return text;
  }

  [[noreturn, gnu::noinline, gnu::cold]] void throw_forward_anomaly(std::string_view name, T value, const T* inputs,
                                                                    const index_type* indices,
                                                                    std::size_t count) const {
    throw numeric_error(janus::detail::numeric_report_head("janus::detect_anomaly",
                                                           janus::detail::sweep_pass::forward, name) +
                        " gave " + janus::detail::number_text(value) + "; inputs: " +
                        inputs_text(inputs, indices, count));
  }

  // What a report of the backward pass says about statement `statement`:
  // its inputs (the recorded ones; constants are not on the tape) and output.
  std::string statement_text(std::size_t statement) const {
    const index_type* operand_index = operand_index_.data();
    const std::size_t begin = operand_end_.data()[statement - 1];
    const std::size_t end = operand_end_.data()[statement];
    std::vector<T> inputs;
    for (std::size_t k = begin; k < end; ++k) inputs.push_back(values_.data()[operand_index[k]]);
    const std::string output = "; output: " + janus::detail::number_text(values_.data()[statement]);
    if (inputs.empty()) return output;
    return "; inputs: " + inputs_text(inputs.data(), operand_index + begin, end - begin) + output;
  }

  [[noreturn, gnu::noinline, gnu::cold]] void throw_backward_anomaly(std::size_t statement, std::size_t operand,
                                                                     T upstream, T contribution, T sum) const {
    const std::size_t begin = operand_end_.data()[statement - 1];
    const std::size_t count = operand_end_.data()[statement] - begin;
    const T partial = operand_partial_.data()[operand];
    std::string text = janus::detail::numeric_report_head(
        "janus::detect_anomaly", janus::detail::sweep_pass::backward, *names_.data()[statement],
        this->label(static_cast<index_type>(statement)));
    text += " gave " + janus::detail::number_text(std::isfinite(contribution) ? sum : contribution) +
            " as the gradient of its input " + std::to_string(operand - begin + 1) + " of " + std::to_string(count);
    if (std::isfinite(contribution)) {
      text += " (its gradients added up to more than a " + std::string(sizeof(T) == 4 ? "float" : "double") +
              " holds)";
    } else {
      text += " (local derivative " + janus::detail::number_text(partial) + " times the output's gradient " +
              janus::detail::number_text(upstream) + ")";
    }
    throw numeric_error(text + statement_text(statement));
  }

  [[noreturn, gnu::noinline, gnu::cold]] void throw_gradient_anomaly(std::size_t statement, T before,
                                                                     T added) const {
    throw numeric_error(
        janus::detail::numeric_report_head("janus::detect_anomaly", janus::detail::sweep_pass::backward,
                                           *names_.data()[statement], this->label(static_cast<index_type>(statement))) +
        " gave a gradient of " + janus::detail::number_text(before + added) + ": it held " +
        janus::detail::number_text(before) + " from earlier backward() calls and this one adds " +
        janus::detail::number_text(added) + statement_text(statement));
  }

 private:
  friend struct recorder;
};

}  // namespace janus::tape::detail
