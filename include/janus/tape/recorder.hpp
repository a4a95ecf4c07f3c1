// janus/tape/recorder.hpp: what writes statements on a scalar tape, for
// janus's own recording code only (vars, statements, fused formulas, sums,
// leaves): `detail::recorder`, the one friend of the tape's storage that
// may append to it. Users read the tape (tape/storage.hpp) and sweep it
// (tape/sweep.hpp); they record through `janus::var` and the operations on it.
//
// `name` points at a string that outlives the tape (a rule's static name),
// so that recording stores a pointer and copies no text.
//
// Under `janus::detect_anomaly` (tape/anomaly.hpp) the operations check their
// values before they are recorded (`check_value_recorded`).
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <string_view>

#include "janus/tape/anomaly.hpp"
#include "janus/tape/anomaly_report.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/storage.hpp"

namespace janus::tape::detail {

struct recorder {
  template <std::floating_point T>
  static index_type record_leaf(tape_storage<T>& tape, T value) {
    return tape.close_statement(&leaf_name, value);
  }

  /// Records `count` leaves holding `values` at consecutive indices and
  /// returns the first (0 when count is 0). One call for a whole array of
  /// inputs: the tape's arrays are looked up once, not once per leaf, which
  /// matters where every weight of a layer is a leaf.
  template <std::floating_point T>
  static index_type record_leaves(tape_storage<T>& tape, const T* values, std::size_t count) {
    if (count == 0) return 0;
    if (count > tape.values_.capacity() - tape.statement_count_) [[unlikely]] tape.grow_statements(count);
    const auto first = static_cast<index_type>(tape.statement_count_);
    const auto operands = static_cast<index_type>(tape.operand_count_);
    index_type* operand_end = tape.operand_end_.data() + first;
    const std::string_view** names = tape.names_.data() + first;
    T* recorded_values = tape.values_.data() + first;
    for (std::size_t i = 0; i < count; ++i) {
      operand_end[i] = operands;
      names[i] = &leaf_name;
      recorded_values[i] = values[i];
    }
    tape.statement_count_ += count;
    return first;
  }

  template <std::floating_point T>
  [[gnu::always_inline]] static index_type record(tape_storage<T>& tape, const std::string_view* name, T value,
                                                  index_type input, T partial) {
    tape.make_room(1);
    tape.operand_index_.data()[tape.operand_count_] = input;
    tape.operand_partial_.data()[tape.operand_count_] = partial;
    tape.operand_count_ += 1;
    return tape.close_statement(name, value);
  }

  template <std::floating_point T>
  [[gnu::always_inline]] static index_type record(tape_storage<T>& tape, const std::string_view* name, T value,
                                                  index_type first, T first_partial, index_type second,
                                                  T second_partial) {
    tape.make_room(2);
    index_type* index = tape.operand_index_.data() + tape.operand_count_;
    T* partial = tape.operand_partial_.data() + tape.operand_count_;
    index[0] = first;
    partial[0] = first_partial;
    index[1] = second;
    partial[1] = second_partial;
    tape.operand_count_ += 2;
    return tape.close_statement(name, value);
  }

  /// A statement with any number of operands; inputs with index 0 (not
  /// recorded) are left out.
  template <std::floating_point T>
  static index_type record(tape_storage<T>& tape, const std::string_view* name, T value, const index_type* inputs,
                           const T* partials, std::size_t count) {
    tape.make_room(count);
    index_type* index = tape.operand_index_.data() + tape.operand_count_;
    T* partial = tape.operand_partial_.data() + tape.operand_count_;
    index_type written = 0;
    for (std::size_t i = 0; i < count; ++i) {
      index[written] = inputs[i];
      partial[written] = partials[i];
      written += inputs[i] != 0 ? 1 : 0;
    }
    tape.operand_count_ += written;
    return tape.close_statement(name, value);
  }

  /// A statement with N operands, N known at compile time (a fused formula):
  /// written without a loop; inputs with index 0 (not recorded) are left out.
  template <std::floating_point T, std::size_t N>
  [[gnu::always_inline]] static index_type record(tape_storage<T>& tape, const std::string_view* name, T value,
                                                  const index_type (&inputs)[N], const T (&partials)[N]) {
    tape.make_room(N);
    index_type* index = tape.operand_index_.data() + tape.operand_count_;
    T* partial = tape.operand_partial_.data() + tape.operand_count_;
    std::size_t written = 0;
    for (std::size_t i = 0; i < N; ++i) {
      index[written] = inputs[i];
      partial[written] = partials[i];
      written += inputs[i] != 0 ? 1 : 0;
    }
    tape.operand_count_ += written;
    return tape.close_statement(name, value);
  }

  /// Where the operands of the next statement go: room for `most` of them,
  /// written in place and then counted by `close_written`. For statements
  /// whose operand count is known only once they are written (repeated or
  /// constant operands left out), without a buffer of their own.
  template <std::floating_point T>
  struct operand_space {
    index_type* index;
    T* partial;
  };
  template <std::floating_point T>
  [[gnu::always_inline]] static operand_space<T> reserve_operands(tape_storage<T>& tape, std::size_t most) {
    tape.make_room(most);
    return {tape.operand_index_.data() + tape.operand_count_, tape.operand_partial_.data() + tape.operand_count_};
  }

  /// Records a statement of value `value` whose `written` operands are in
  /// the space `reserve_operands` gave (and nothing since); none written
  /// records nothing and gives index 0.
  template <std::floating_point T>
  [[gnu::always_inline]] static index_type close_written(tape_storage<T>& tape, const std::string_view* name,
                                                         T value, std::size_t written) {
    if (written == 0) return 0;
    tape.operand_count_ += written;
    return tape.close_statement(name, value);
  }

  /// The same with the operands written by `write(index*, partial*)`, which
  /// returns the statement's value and how many operands it wrote.
  template <std::floating_point T, class WriteOperands>
  static index_type record_written(tape_storage<T>& tape, const std::string_view* name, std::size_t most_operands,
                                   WriteOperands write, T& value) {
    const operand_space<T> space = reserve_operands(tape, most_operands);
    const auto [statement_value, written] = write(space.index, space.partial);
    value = statement_value;
    return close_written(tape, name, statement_value, written);
  }

  /// Under `janus::detect_anomaly`: numeric_error unless `value`, that of an
  /// operation `name` about to be recorded, is finite. `inputs` are its
  /// input values, `indices` their places on the tape (0: a constant).
  template <std::floating_point T, std::size_t N>
  [[gnu::always_inline]] static void check_value_recorded(std::string_view name, T value, const T (&inputs)[N],
                                                          const index_type (&indices)[N]) {
    if (is_detecting_anomalies() && !std::isfinite(value)) [[unlikely]]
      report_forward_anomaly(name, value, inputs, indices, N);
  }

  /// The same for an operation of `count` inputs.
  template <std::floating_point T>
  static void check_value_recorded(std::string_view name, T value, const T* inputs, const index_type* indices,
                                   std::size_t count) {
    if (is_detecting_anomalies() && !std::isfinite(value)) [[unlikely]]
      report_forward_anomaly(name, value, inputs, indices, count);
  }

 private:
  template <std::floating_point T>
  [[noreturn, gnu::always_inline]] static void report_forward_anomaly(std::string_view name, T value,
                                                                      const T* inputs, const index_type* indices,
                                                                      std::size_t count) {
    const tape_reports<T>& tape = scalar_tape<T>::this_thread();
    tape.throw_forward_anomaly(name, value, inputs, indices, count);
  }
};

}  // namespace janus::tape::detail
