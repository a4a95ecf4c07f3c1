// janus/tape/scalar_tape.hpp: the scalar tape, a Wengert list of the
// operations on `janus::var`, one per thread and scalar type.
//
// Statement i of the tape is the value with index i. It holds the rule's name
// and the value (for drawing), and its operands: for each input, the input's
// index and the local partial derivative d(statement)/d(input), computed when
// the operation was recorded (a rule's pullback with an upstream adjoint of
// 1). The reverse sweep is then one loop, `adjoint[input] += partial *
// adjoint[output]`, from the root back to the start: no recursion, no virtual
// call, and a shared subexpression is visited once.
//
// Index 0 is reserved: a value with index 0 is not recorded (a constant, a
// value made under `janus::no_grad`, or `detach()`ed), and is never an
// operand. Leaves (the inputs a user creates) are statements without operands.
//
// Lifetime: the tape only grows while recording. `backward()` leaves it as it
// is (and may be called again: gradients accumulate). `mark()` and
// `rewind()`, or a `janus::tape::scope`, forget what was recorded after a
// point; `reset()` forgets everything. Memory is kept for the next iteration.
// Forgetting everything starts a new generation (tape/generations.hpp): a
// var from an earlier one, or from another thread's tape, is refused.
//
// Under `janus::detect_anomaly` (tape/anomaly.hpp) the operations check their
// values before they are recorded (`check_value_recorded`), and `backward`
// takes a slower sweep that checks every gradient it passes on.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "janus/error.hpp"
#include "janus/numeric_report.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/generations.hpp"
#include "janus/tape/growing_array.hpp"
#include "janus/tape/recording.hpp"

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
}  // namespace detail

template <std::floating_point T>
class scalar_tape {
 public:
  /// This thread's tape for scalars of type T, made on first use.
  [[gnu::always_inline]] static scalar_tape& this_thread() {
    scalar_tape* tape = current_;
    if (tape == nullptr) [[unlikely]] tape = create_for_this_thread();
    return *tape;
  }

  scalar_tape(const scalar_tape&) = delete;
  scalar_tape& operator=(const scalar_tape&) = delete;

  // Recording. `name` points at a string that outlives the tape (a rule's
  // static name), so that recording stores a pointer and copies no text.

  index_type record_leaf(T value) { return close_statement(&detail::leaf_name, value); }

  /// Records `count` leaves holding `values` at consecutive indices and
  /// returns the first (0 when count is 0). One call for a whole array of
  /// inputs: the tape's arrays are looked up once, not once per leaf, which
  /// matters where every weight of a layer is a leaf.
  index_type record_leaves(const T* values, std::size_t count) {
    if (count == 0) return 0;
    if (count > values_.capacity() - statement_count_) [[unlikely]] grow_statements(count);
    const auto first = static_cast<index_type>(statement_count_);
    const auto operands = static_cast<index_type>(operand_count_);
    index_type* operand_end = operand_end_.data() + first;
    const std::string_view** names = names_.data() + first;
    T* recorded_values = values_.data() + first;
    for (std::size_t i = 0; i < count; ++i) {
      operand_end[i] = operands;
      names[i] = &detail::leaf_name;
      recorded_values[i] = values[i];
    }
    statement_count_ += count;
    return first;
  }

  [[gnu::always_inline]] index_type record(const std::string_view* name, T value, index_type input, T partial) {
    make_room(1);
    operand_index_.data()[operand_count_] = input;
    operand_partial_.data()[operand_count_] = partial;
    operand_count_ += 1;
    return close_statement(name, value);
  }

  [[gnu::always_inline]] index_type record(const std::string_view* name, T value, index_type first,
                                           T first_partial,
                    index_type second, T second_partial) {
    make_room(2);
    index_type* index = operand_index_.data() + operand_count_;
    T* partial = operand_partial_.data() + operand_count_;
    index[0] = first;
    partial[0] = first_partial;
    index[1] = second;
    partial[1] = second_partial;
    operand_count_ += 2;
    return close_statement(name, value);
  }

  /// A statement with any number of operands; inputs with index 0 (not
  /// recorded) are left out.
  index_type record(const std::string_view* name, T value, const index_type* inputs, const T* partials,
                    std::size_t count) {
    make_room(count);
    index_type* index = operand_index_.data() + operand_count_;
    T* partial = operand_partial_.data() + operand_count_;
    index_type written = 0;
    for (std::size_t i = 0; i < count; ++i) {
      index[written] = inputs[i];
      partial[written] = partials[i];
      written += inputs[i] != 0 ? 1 : 0;
    }
    operand_count_ += written;
    return close_statement(name, value);
  }

  /// A statement with N operands, N known at compile time (a fused formula):
  /// written without a loop; inputs with index 0 (not recorded) are left out.
  template <std::size_t N>
  [[gnu::always_inline]] index_type record(const std::string_view* name, T value, const index_type (&inputs)[N],
                                           const T (&partials)[N]) {
    make_room(N);
    index_type* index = operand_index_.data() + operand_count_;
    T* partial = operand_partial_.data() + operand_count_;
    std::size_t written = 0;
    for (std::size_t i = 0; i < N; ++i) {
      index[written] = inputs[i];
      partial[written] = partials[i];
      written += inputs[i] != 0 ? 1 : 0;
    }
    operand_count_ += written;
    return close_statement(name, value);
  }

  /// Where the operands of the next statement go: room for `most` of them,
  /// written in place and then counted by `close_written`. For statements
  /// whose operand count is known only once they are written (repeated or
  /// constant operands left out), without a buffer of their own.
  struct operand_space {
    index_type* index;
    T* partial;
  };
  [[gnu::always_inline]] operand_space reserve_operands(std::size_t most) {
    make_room(most);
    return {operand_index_.data() + operand_count_, operand_partial_.data() + operand_count_};
  }

  /// Records a statement of value `value` whose `written` operands are in
  /// the space `reserve_operands` gave (and nothing since); none written
  /// records nothing and gives index 0.
  [[gnu::always_inline]] index_type close_written(const std::string_view* name, T value, std::size_t written) {
    if (written == 0) return 0;
    operand_count_ += written;
    return close_statement(name, value);
  }

  /// The same with the operands written by `write(index*, partial*)`, which
  /// returns the statement's value and how many operands it wrote.
  template <class WriteOperands>
  index_type record_written(const std::string_view* name, std::size_t most_operands, WriteOperands write,
                            T& value) {
    const operand_space space = reserve_operands(most_operands);
    const auto [statement_value, written] = write(space.index, space.partial);
    value = statement_value;
    return close_written(name, statement_value, written);
  }

  /// Adds d(root)/d(value) to the gradient of every value recorded from
  /// `first` up to `root`; gradients of earlier `backward` calls are kept
  /// (accumulation). Values before `first` are neither swept nor given a
  /// gradient: `first` = 1 is the whole graph of the root.
  void backward(index_type root, index_type first = 1) {
    check_recorded(root, "backward");
    first = std::max<index_type>(first, 1);
    const std::size_t count = std::size_t{root} + 1;
    if (adjoint_.capacity() < count) {
      // Zeroed once; every sweep leaves the slots it used at zero again, so
      // no sweep has to clear the array first.
      adjoint_.grow(count, 0);
      std::fill(adjoint_.data(), adjoint_.data() + adjoint_.capacity(), T(0));
    }
    // Gradient slots from `fresh` on belong to values recorded since the last
    // sweep that reached them (or since a rewind): they start from zero.
    const std::size_t fresh = gradient_size_;
    if (gradient_size_ < count) {
      gradient_.grow(count, gradient_size_);
      if (fresh < first) std::fill(gradient_.data() + fresh, gradient_.data() + first, T(0));
      gradient_size_ = static_cast<index_type>(count);
    }
    if (is_detecting_anomalies()) [[unlikely]] {
      checked_backward(root, first, fresh);
      return;
    }
    T* adjoint = adjoint_.data();
    T* gradient = gradient_.data();

    // The hot loop: one load, multiply-add and store per operand, and the
    // statement's own adjoint added to its gradient. Three things keep it
    // short:
    // - An input before `first` (outside the part being differentiated) is
    //   not tested for: its adjoint slot is scratch, cleared after the loop.
    // - When a statement's first operand is the statement just before it
    //   (a chain: `sum = sum + term`, `y = y * x`, a fused accumulation),
    //   that adjoint goes to the next iteration in a register, not through a
    //   store and a reload: the chain costs one multiply-add per statement.
    // - A statement's adjoint is final when the loop reaches it; it goes
    //   into the gradient there and its slot is cleared for the next sweep.
    const index_type* operand_end = operand_end_.data();
    const index_type* operand_index = operand_index_.data();
    const T* operand_partial = operand_partial_.data();
    T upstream = T(1);
    std::size_t end = operand_end[root];
    for (std::size_t statement = root; statement >= first; --statement) {
      adjoint[statement] = T(0);
      gradient[statement] = (statement >= fresh ? T(0) : gradient[statement]) + upstream;
      const std::size_t previous = statement - 1;
      const std::size_t begin = operand_end[previous];
      if (begin == end) {
        // A statement without operands (a leaf) passes nothing on, and so do
        // the ones before it up to the last statement with operands: their
        // adjoints are final, and go to the gradient in one loop that
        // vectorises. Arrays of inputs (every weight of a layer) are such runs.
        std::size_t run = statement;
        // The run's start, found eight statements at a time (a loop without
        // an early exit, which vectorises), then one at a time.
        constexpr std::size_t block = 8;
        while (run >= first + block) {
          bool leaves = true;
          for (std::size_t j = 2; j < block + 2; ++j) leaves &= operand_end[run - j] == end;
          if (!leaves) break;
          run -= block;
        }
        while (run - 1 >= first && operand_end[run - 2] == end) --run;
        const std::size_t stale_end = std::clamp(fresh, run, statement);
        for (std::size_t t = run; t < stale_end; ++t) {
          gradient[t] += adjoint[t];
          adjoint[t] = T(0);
        }
        for (std::size_t t = stale_end; t < statement; ++t) {
          gradient[t] = adjoint[t];
          adjoint[t] = T(0);
        }
        statement = run;
        upstream = adjoint[run - 1];
        continue;
      }
      // Skipping zero adjoints is not only faster: statements off the path to
      // the root must not turn an infinite partial into 0 * inf = NaN.
      if (upstream == T(0)) {
        upstream = adjoint[previous];
      } else if (operand_index[begin] == previous) {
        for (std::size_t k = begin + 1; k < end; ++k) adjoint[operand_index[k]] += operand_partial[k] * upstream;
        upstream = adjoint[previous] + operand_partial[begin] * upstream;
      } else {
        for (std::size_t k = begin; k < end; ++k) adjoint[operand_index[k]] += operand_partial[k] * upstream;
        upstream = adjoint[previous];
      }
      end = begin;
    }
    if (first > 1) {
      for (std::size_t k = operand_end[first - 1]; k < operand_end[root]; ++k)
        if (operand_index[k] < first) adjoint[operand_index[k]] = T(0);
    }
  }

  /// Under `janus::detect_anomaly`: numeric_error unless `value`, that of an
  /// operation `name` about to be recorded, is finite. `inputs` are its
  /// input values, `indices` their places on the tape (0: a constant).
  template <std::size_t N>
  [[gnu::always_inline]] static void check_value_recorded(std::string_view name, T value, const T (&inputs)[N],
                                                          const index_type (&indices)[N]) {
    if (is_detecting_anomalies() && !std::isfinite(value)) [[unlikely]]
      this_thread().throw_forward_anomaly(name, value, inputs, indices, N);
  }

  /// The same for an operation of `count` inputs.
  static void check_value_recorded(std::string_view name, T value, const T* inputs, const index_type* indices,
                                   std::size_t count) {
    if (is_detecting_anomalies() && !std::isfinite(value)) [[unlikely]]
      this_thread().throw_forward_anomaly(name, value, inputs, indices, count);
  }

  /// The gradient accumulated for `index` (0 before any `backward` reached it).
  T gradient(index_type index) const {
    if (index == 0) return T(0);
    check_recorded(index, "grad");
    return index < gradient_size_ ? gradient_.data()[index] : T(0);
  }

  /// out[i] = gradient(recorded[i].index()) for `count` values (vars, or
  /// anything else with an `index()` and a `generation()`), with the checks
  /// of `janus::var::grad`: one call for a whole array of inputs, the tape's
  /// arrays looked up once.
  /// A value that is not on the tape is reported before anything is written.
  template <class Recorded>
  void gradients(const Recorded* recorded, std::size_t count, T* out) const {
    if (count == 0) return;
    // The common case is an array as `make_leaves` records it: indices that
    // run on from the first, all of the current generation. One pass over
    // (generation, index) taken as one 64-bit number tells; it vectorises,
    // and the copy that follows is then one block. Otherwise a second pass
    // finds the largest index and checks the generations, and every load is
    // kept in range (the index clamped) and a select gives 0 to values
    // without a gradient slot: no branch per value either way.
    const index_type first = recorded[0].index();
    const generation_type current = generations_.current();
    const std::uint64_t expected = (std::uint64_t{current} << 32) | first;
    std::uint64_t off_the_run = 0;  // nonzero once a value is not the expected one (integer reductions vectorise)
    for (std::size_t i = 0; i < count; ++i)
      off_the_run |= ((std::uint64_t{recorded[i].generation()} << 32) | recorded[i].index()) ^ (expected + i);
    const bool consecutive = off_the_run == 0;
    std::size_t largest = std::size_t{first} + count - 1;
    if (!consecutive) {
      largest = 0;
      generation_type other = 0;  // nonzero once a recorded value is of another generation
      for (std::size_t i = 0; i < count; ++i) {
        const index_type index = recorded[i].index();
        largest = std::max<std::size_t>(largest, index);
        other |= (recorded[i].generation() ^ current) * static_cast<generation_type>(index != 0);
      }
      if (other != 0) [[unlikely]] {
        for (std::size_t i = 0; i < count; ++i)
          if (recorded[i].index() != 0) check_value("janus::tape::read_gradients", recorded[i].generation());
      }
    }
    if (largest >= statement_count_) [[unlikely]] throw_not_recorded("grad");
    const index_type slots = gradient_size_;
    if (slots == 0) {
      std::fill(out, out + count, T(0));
      return;
    }
    // Slot 0 (values that are not recorded) holds 0 once the array exists.
    const T* gradient = gradient_.data();
    if (consecutive) {
      const std::size_t with_slot = first < slots ? std::min<std::size_t>(count, slots - first) : 0;
      std::copy(gradient + first, gradient + first + with_slot, out);
      std::fill(out + with_slot, out + count, T(0));
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const index_type index = recorded[i].index();
      const T slot = gradient[std::min<index_type>(index, slots - 1)];
      out[i] = index < slots ? slot : T(0);
    }
  }

  void zero_gradient(index_type index) {
    if (index == 0) return;
    check_recorded(index, "zero_grad");
    if (index < gradient_size_) gradient_.data()[index] = T(0);
  }

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
    std::erase_if(labels_, [&](const auto& entry) { return entry.first >= statement_count_; });
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
    for (auto& entry : labels_)
      if (entry.first == index) {
        entry.second.assign(text);
        return;
      }
    labels_.emplace_back(index, std::string(text));
  }
  std::string_view label(index_type index) const {
    for (const auto& entry : labels_)
      if (entry.first == index) return entry.second;
    return {};
  }

 private:
  scalar_tape() { close_statement(&detail::constant_name, T(0)); }

  // Every recorded operation looks the tape up: a plain thread_local pointer
  // costs one load, where a thread_local object with a destructor would cost
  // a call through its initialisation guard.
  static inline thread_local scalar_tape* current_ = nullptr;

  [[gnu::noinline]] static scalar_tape* create_for_this_thread() {
    thread_local const std::unique_ptr<scalar_tape> owner(new scalar_tape);
    current_ = owner.get();
    return current_;
  }

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

  // Anomaly detection (janus::detect_anomaly).

  /// "1, 0 "x"": values, each followed by the label of its statement.
  std::string inputs_text(const T* values, const index_type* indices, std::size_t count) const {
    constexpr std::size_t shown = 8;
    std::string text;
    for (std::size_t i = 0; i < count && i < shown; ++i) {
      if (i > 0) text += ", ";
      text += janus::detail::number_text(values[i]);
      if (indices[i] != 0 && indices[i] < statement_count_) text += janus::detail::label_text(label(indices[i]));
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
        label(static_cast<index_type>(statement)));
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
                                           *names_.data()[statement], label(static_cast<index_type>(statement))) +
        " gave a gradient of " + janus::detail::number_text(before + added) + ": it held " +
        janus::detail::number_text(before) + " from earlier backward() calls and this one adds " +
        janus::detail::number_text(added) + statement_text(statement));
  }

  /// `backward` under janus::detect_anomaly: statement by statement, every
  /// contribution and sum checked before it is stored. Gradients are written
  /// only once the whole sweep has passed, so a sweep that throws leaves
  /// them as they were (and the adjoint scratch cleared). `fresh` is where
  /// the gradient slots stood before `backward` added the ones from there on.
  [[gnu::noinline]] void checked_backward(index_type root, index_type first, std::size_t fresh) {
    T* adjoint = adjoint_.data();
    T* gradient = gradient_.data();
    const index_type* operand_end = operand_end_.data();
    const index_type* operand_index = operand_index_.data();
    const T* operand_partial = operand_partial_.data();
    const auto clear_scratch = [&] {
      for (std::size_t statement = first; statement <= root; ++statement) adjoint[statement] = T(0);
      for (std::size_t k = operand_end[first - 1]; k < operand_end[root]; ++k) adjoint[operand_index[k]] = T(0);
    };
    const auto before = [&](std::size_t statement) { return statement >= fresh ? T(0) : gradient[statement]; };
    adjoint[root] = T(1);
    try {
      for (std::size_t statement = root; statement >= first; --statement) {
        const T upstream = adjoint[statement];
        if (!std::isfinite(before(statement) + upstream)) [[unlikely]]
          throw_gradient_anomaly(statement, before(statement), upstream);
        // The rule of every engine: an adjoint of 0 propagates nothing.
        if (upstream == T(0)) continue;
        for (std::size_t k = operand_end[statement - 1]; k < operand_end[statement]; ++k) {
          const T contribution = operand_partial[k] * upstream;
          const T sum = adjoint[operand_index[k]] + contribution;
          if (!std::isfinite(sum)) [[unlikely]] throw_backward_anomaly(statement, k, upstream, contribution, sum);
          adjoint[operand_index[k]] = sum;
        }
      }
    } catch (...) {
      clear_scratch();
      // The slots `backward` added hold nothing yet: they stay out of reach.
      gradient_size_ = static_cast<index_type>(std::min<std::size_t>(gradient_size_, fresh));
      throw;
    }
    for (std::size_t statement = first; statement <= root; ++statement)
      gradient[statement] = before(statement) + adjoint[statement];
    clear_scratch();
  }

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
  detail::growing_array<index_type> operand_end_;  // end of its operands in the operand arrays
  detail::growing_array<const std::string_view*> names_;
  detail::growing_array<T> values_;
  // The counts are not index_type on purpose: a count of another type than
  // the index arrays cannot alias them, so the compiler keeps it in a register
  // while it writes a statement.
  std::size_t statement_count_ = 0;

  // One entry per operand.
  detail::growing_array<index_type> operand_index_;
  detail::growing_array<T> operand_partial_;
  std::size_t operand_count_ = 0;

  // Filled by backward: the sweep's scratch, and the accumulated gradients.
  detail::growing_array<T> adjoint_;
  detail::growing_array<T> gradient_;
  index_type gradient_size_ = 0;

  std::vector<std::pair<index_type, std::string>> labels_;

  detail::generation_counter generations_;
};

/// This thread's scalar tape for `T`.
template <std::floating_point T = double>
scalar_tape<T>& this_thread_tape() {
  return scalar_tape<T>::this_thread();
}

/// Where this thread's tape stands now.
template <std::floating_point T = double>
position mark() {
  return this_thread_tape<T>().mark();
}

/// Forgets what this thread's tape recorded after `point`.
template <std::floating_point T = double>
void rewind(position point) {
  this_thread_tape<T>().rewind(point);
}

/// Forgets everything this thread's tape recorded; every `var` made so far
/// becomes unusable. Memory is kept, so the next iteration allocates nothing.
template <std::floating_point T = double>
void reset() {
  this_thread_tape<T>().reset();
}

/// Rewinds this thread's tape, when it goes out of scope, to where it stood
/// when the scope began: one iteration of a loop, or a nested computation.
template <std::floating_point T = double>
class basic_scope {
 public:
  basic_scope() : start_(mark<T>()) {}
  // A reset inside the scope already forgot more than the scope would; then
  // there is nothing left to rewind (and a destructor must not throw).
  ~basic_scope() { this_thread_tape<T>().try_rewind(start_); }
  basic_scope(const basic_scope&) = delete;
  basic_scope& operator=(const basic_scope&) = delete;

 private:
  position start_;
};

using scope = basic_scope<double>;

}  // namespace janus::tape
