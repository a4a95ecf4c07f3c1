// janus/tape/storage.hpp: what a scalar tape holds, and how it grows and
// forgets: the arrays of statements and operands, the gradients the sweep
// leaves, the labels, and the generation (tape/generations.hpp).
//
// Statement i of the tape is the value with index i. It holds the rule's name
// and the value (for drawing), and its operands: for each input, the input's
// index and the local partial derivative d(statement)/d(input), computed when
// the operation was recorded (a rule's pullback with an upstream adjoint of
// 1). The operands of statement i are those from operand_end[i - 1] to
// operand_end[i].
//
// Index 0 is reserved: a value with index 0 is not recorded (a constant, a
// value made under `janus::no_grad`, or `detach()`ed), and is never an
// operand. Leaves (the inputs a user creates) are statements without operands.
//
// Lifetime: the tape only grows while recording. `mark()` and `rewind()`, or
// a `janus::tape::scope`, forget what was recorded after a point; `reset()`
// forgets everything. Memory is kept for the next iteration. Forgetting
// everything starts a new generation: a var from an earlier one, or from
// another thread's tape, is refused.
//
// This is the base of `janus::tape::scalar_tape` (tape/scalar_tape.hpp): its
// public members are the tape's reading API; what writes statements is
// reachable only from janus's recording code (`detail::recorder`,
// tape/recorder.hpp), the sweep and the reports (tape/sweep.hpp,
// tape/anomaly_report.hpp) build on it.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "janus/error.hpp"
#include "janus/tape/generations.hpp"
#include "janus/tape/growing_array.hpp"
#include "janus/tape/labels.hpp"

namespace janus::tape {

/// The index of a value on its thread's tape; 0 means "not recorded".
using index_type = std::uint32_t;

/// A point on the tape to come back to with `rewind`.
struct position {
  index_type statements;
  index_type operands;
};

namespace detail {

/// The name a leaf shows in a drawing of the graph.
inline constexpr std::string_view leaf_name = "input";
/// The name of index 0, which nothing refers to.
inline constexpr std::string_view constant_name = "constant";

struct recorder;

template <std::floating_point T>
class tape_storage {
 public:
  tape_storage(const tape_storage&) = delete;
  tape_storage& operator=(const tape_storage&) = delete;

  /// Where the tape stands now, to `rewind` to later.
  position mark() const noexcept {
    return {static_cast<index_type>(statement_count_), static_cast<index_type>(operand_count_)};
  }

  /// Forgets what was recorded after `point`. Values recorded before it keep
  /// their indices and gradients; values recorded after it must not be used.
  void rewind(position point) {
    if (!try_rewind(point))
      throw graph_error(
          "janus::tape::rewind: the position is not on the tape any more (it was "
          "marked before a reset or a rewind to an earlier point)");
  }

  /// `rewind`, reporting a position that is not on the tape instead of throwing.
  bool try_rewind(position point) noexcept {
    if (point.statements == 0 || point.statements > statement_count_ ||
        point.operands > operand_count_ ||
        operand_end_.data()[point.statements - 1] != point.operands)
      return false;
    if (point.statements == 1 && statement_count_ > 1) generations_.advance();
    statement_count_ = point.statements;
    operand_count_ = point.operands;
    gradient_size_ = std::min(gradient_size_, point.statements);
    labels_.forget_from(statement_count_);
    return true;
  }

  /// Forgets everything; the memory stays for the next iteration.
  void reset() { rewind({1, 0}); }

  // Whether a value belongs here: recorded on this thread's tape since it
  // last forgot everything (tape/generations.hpp).

  /// The generation values recorded now belong to; it changes when the tape
  /// forgets everything (`reset`, or a rewind to the start).
  generation_type generation() const noexcept { return generations_.current(); }

  /// graph_error, naming `function`, unless a recorded value it was called on
  /// belongs to the current generation of this tape. Operations do not check
  /// their operands (a comparison per operation); their results carry the
  /// operands' generation to the calls that read gradients, which check.
  [[gnu::always_inline]] void check_value(const char* function, generation_type generation) const {
    if (generation != generations_.current()) [[unlikely]] throw_foreign(function, generation);
  }

  // Reading the record (for drawing and inspection).

  /// Number of statements, index 0 included.
  index_type size() const noexcept { return static_cast<index_type>(statement_count_); }
  bool contains(index_type index) const noexcept { return index != 0 && index < statement_count_; }
  std::string_view name(index_type index) const { return *names_.data()[index]; }
  T value(index_type index) const { return values_.data()[index]; }
  /// The indices of the inputs of statement `index` (the operands).
  std::pair<const index_type*, const index_type*> inputs(index_type index) const {
    const index_type* base = operand_index_.data();
    return {base + operand_end_.data()[index - 1], base + operand_end_.data()[index]};
  }
  /// Whether `backward` has given `index` a gradient slot (for drawing).
  bool has_gradient(index_type index) const noexcept { return index != 0 && index < gradient_size_; }

  void set_label(index_type index, std::string_view text) {
    check_recorded(index, "label");
    labels_.set(index, text);
  }
  std::string_view label(index_type index) const { return labels_.get(index); }

 protected:
  // Index 0, which nothing refers to.
  tape_storage() { close_statement(&constant_name, T(0)); }
  ~tape_storage() = default;

  [[gnu::always_inline]] void check_recorded(index_type index, const char* operation) const {
    if (index == 0 || index >= statement_count_) [[unlikely]] throw_not_recorded(operation);
  }

  [[noreturn, gnu::noinline, gnu::cold]] static void throw_not_recorded(const char* operation) {
    throw graph_error(std::string("janus::var::") + operation +
                      ": the value is not on this thread's tape (it was recorded before a "
                      "reset or rewind, on another thread, or not at all)");
  }

  [[noreturn, gnu::noinline, gnu::cold]] void throw_foreign(const char* function, generation_type generation) const {
    const std::string subject(function);
    if (generation == 0)
      throw graph_error(subject +
                        ": the value was computed from vars of different recordings: one of them was recorded "
                        "on another thread's tape, or before this thread's tape was reset; a var stays with the "
                        "thread and the recording that made it");
    if (generations_.earlier(generation))
      throw graph_error(subject +
                        ": the value (or a var it was computed from) was recorded before this thread's tape was "
                        "reset (by janus::tape::reset, or a scope or rewind back to the tape's start), which "
                        "forgot it; record it again");
    throw graph_error(subject +
                      ": the value (or a var it was computed from) was recorded on another thread's tape; a var "
                      "stays with the thread that recorded it (pass its value, janus::var::constant(x.value()), "
                      "or record it on this thread)");
  }

  // Growth. Recording (tape/recorder.hpp) writes a statement's operands
  // after `make_room`, then closes it with `close_statement`.

  void make_room(std::size_t operands) {
    if (operand_count_ + operands > operand_partial_.capacity()) [[unlikely]] grow_operands(operands);
  }

  [[gnu::noinline]] void grow_operands(std::size_t operands) {
    const std::size_t needed = operand_count_ + operands;
    if (needed > std::numeric_limits<index_type>::max())
      throw std::length_error("janus::var: the tape holds more operands than a 32-bit index can count");
    operand_index_.grow(needed, operand_count_);
    operand_partial_.grow(needed, operand_count_);
  }

  [[gnu::always_inline]] index_type close_statement(const std::string_view* name, T value) {
    if (statement_count_ == values_.capacity()) [[unlikely]] grow_statements(1);
    const auto statement = static_cast<index_type>(statement_count_++);
    operand_end_.data()[statement] = static_cast<index_type>(operand_count_);
    names_.data()[statement] = name;
    values_.data()[statement] = value;
    return statement;
  }

  [[gnu::noinline]] void grow_statements(std::size_t statements) {
    const std::size_t needed = statement_count_ + statements;
    if (needed > std::numeric_limits<index_type>::max())
      throw std::length_error("janus::var: the tape holds more values than a 32-bit index can count");
    operand_end_.grow(needed, statement_count_);
    names_.grow(needed, statement_count_);
    values_.grow(needed, statement_count_);
  }

  // One entry per statement.
  growing_array<index_type> operand_end_;  // end of its operands in the operand arrays
  growing_array<const std::string_view*> names_;
  growing_array<T> values_;
  // The counts are not index_type on purpose: a count of another type than
  // the index arrays cannot alias them, so the compiler keeps it in a register
  // while it writes a statement.
  std::size_t statement_count_ = 0;

  // One entry per operand.
  growing_array<index_type> operand_index_;
  growing_array<T> operand_partial_;
  std::size_t operand_count_ = 0;

  // Filled by backward (tape/sweep.hpp): the sweep's scratch, and the
  // accumulated gradients.
  growing_array<T> adjoint_;
  growing_array<T> gradient_;
  index_type gradient_size_ = 0;

  tape_labels labels_;

  generation_counter generations_;

 private:
  friend struct recorder;
};

}  // namespace detail

}  // namespace janus::tape
