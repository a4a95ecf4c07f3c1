// janus/tape/array_sum.hpp: `janus::sum(range, body)` when the body gives
// vars, so that one function of arrays serves doubles, the static engine and
// the tape (janus::tape::grad(f)(xs), tape/functional.hpp):
//
//   auto rosenbrock = [](const auto& x) {
//     return janus::sum(janus::indices(0, x.size() - 1), [&](std::size_t i) {
//       return 100.0 * janus::square(x[i + 1] - x[i] * x[i]) + janus::square(1.0 - x[i]);
//     });
//   };
//
// The whole sum is one statement. A term the body gives as a statement not
// yet recorded (tape/statement.hpp) is not recorded: its partials with
// respect to its vars become operands of the sum's statement directly. A term
// that is a var (a recorded value, or an inner sum) is one operand with the
// partial 1. So Rosenbrock's sum is one statement of two or three operands
// per term, and nothing else. Sums nest (a pair potential over i < j: a sum
// in the body of a sum); the inner sum is then a term of the outer one. The
// range is any range a range-for loop walks: `janus::indices(begin, end)`,
// or data (a std::vector<double>) with a body that captures vars.
//
// This overload takes the bodies that give vars; the static engine's
// `janus::sum` (static/sum.hpp) keeps the ones that give numbers or static
// expressions (its constraint is a part of this one's, so this one is the
// more specialised where both apply).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "janus/static/indices.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/recorder.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/statement.hpp"
#include "janus/tape/var.hpp"

namespace janus {

namespace tape::detail {

/// The name of the statement of a `janus::sum` in drawings of the graph.
inline constexpr std::string_view range_sum_name = "sum";

/// The operands of the sums this thread is recording, the innermost last.
/// A sum appends its terms' (index, partial) pairs while its body runs, and
/// takes them off again once its statement is written, so nested sums share
/// one buffer (only offsets into it are kept across a body's call, which may
/// grow it), and a loop that reuses it allocates nothing once warm.
template <class T>
struct sum_operand_stack {
  std::vector<index_type> index;
  std::vector<T> partial;
  std::size_t size = 0;

  static sum_operand_stack& this_thread() {
    thread_local sum_operand_stack stack;
    return stack;
  }

  /// Room for `count` more operands.
  [[gnu::always_inline]] void reserve(std::size_t count) {
    if (size + count > index.size()) [[unlikely]] grow(size + count);
  }

  [[gnu::noinline]] void grow(std::size_t needed) {
    const std::size_t capacity = std::max<std::size_t>(needed, 2 * index.size());
    index.resize(capacity);
    partial.resize(capacity);
  }
};

/// A sum's part of the stack: from where the stack stood when the sum began
/// to its end, given back however the sum ends (a body may throw).
template <class T>
class sum_operands {
 public:
  sum_operands() : stack_(sum_operand_stack<T>::this_thread()), start_(stack_.size) {}
  ~sum_operands() { stack_.size = start_; }
  sum_operands(const sum_operands&) = delete;
  sum_operands& operator=(const sum_operands&) = delete;

  /// Adds a term: a var (one operand of partial 1), or a statement, whose
  /// partials with respect to its vars become operands. Returns the term's
  /// value; `generations` collects those of the recorded vars.
  template <class Term>
  [[gnu::always_inline]] T add(const Term& term, statement_writer<T>& generations) {
    if constexpr (statement<Term>) {
      stack_.reserve(Term::leaves);
      statement_writer<T> writer{stack_.index.data() + stack_.size, stack_.partial.data() + stack_.size};
      writer.all = generations.all;
      writer.any = generations.any;
      term.propagate(T(1), writer);
      generations.all = writer.all;
      generations.any = writer.any;
      stack_.size += writer.count;
    } else {
      stack_.reserve(1);
      statement_writer<T> writer{stack_.index.data() + stack_.size, stack_.partial.data() + stack_.size,
                                 0, generations.all, generations.any};
      writer.leaf(term, T(1));
      generations.all = writer.all;
      generations.any = writer.any;
      stack_.size += writer.count;
    }
    return term.value();
  }

  std::size_t size() const { return stack_.size - start_; }
  const index_type* index() const { return stack_.index.data() + start_; }
  const T* partial() const { return stack_.partial.data() + start_; }

 private:
  sum_operand_stack<T>& stack_;
  std::size_t start_;
};

/// Under janus::detect_anomaly, numeric_error unless the sum `total` of the
/// vars at `indices` (with their partials) is finite.
template <class T>
[[gnu::noinline, gnu::cold]] void check_sum(T total, const index_type* indices, std::size_t count) {
  if (!is_detecting_anomalies()) return;
  const auto& tape = this_thread_tape<T>();
  std::vector<T> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = tape.value(indices[i]);
  recorder::check_value_recorded<T>(range_sum_name, total, values.data(), indices, count);
}

/// What the body gives for an element of `Range`.
template <class Range, class Body>
using sum_term_t = std::invoke_result_t<const Body&, janus::detail::element_of<Range>>;

}  // namespace tape::detail

/// The sum over `range` of `body(element)` for a body that gives vars (or
/// statements not yet recorded): a var, recorded as one statement. Constant
/// terms add to the value only; a sum of constants only is a constant.
template <detail::iterable Range, class Body>
  requires tape::detail::var_like<tape::detail::sum_term_t<Range, Body>>
auto sum(Range&& range, const Body& body) {
  using var_type = tape::detail::var_of_t<tape::detail::sum_term_t<Range, Body>>;
  using T = typename var_type::value_type;
  tape::detail::sum_operands<T> operands;
  tape::detail::statement_writer<T> generations{nullptr, nullptr};
  T total(0);
  for (auto&& element : range) total += operands.add(body(element), generations);
  const std::size_t count = operands.size();
  if (count == 0 || tape::detail::paused()) return var_type::constant(total);
  // Under detect_anomaly every term was checked as the body made it; the sum
  // is checked as a statement of the vars it reads.
  if (!janus::detail::records_unchecked()) [[unlikely]]
    tape::detail::check_sum(total, operands.index(), count);
  auto& tape = tape::this_thread_tape<T>();
  const auto space = tape::detail::recorder::reserve_operands(tape, count);
  std::copy(operands.index(), operands.index() + count, space.index);
  std::copy(operands.partial(), operands.partial() + count, space.partial);
  const tape::index_type index =
      tape::detail::recorder::close_written(tape, &tape::detail::range_sum_name, total, count);
  return tape::detail::var_access::recorded<T>(total, index, generations.generation());
}

}  // namespace janus
