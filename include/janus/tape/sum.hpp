// janus/tape/sum.hpp: reductions recorded as one tape statement, their
// partials from the static engine.
//
// `janus::tape::fuse` makes one statement of one formula. A reduction over
// data, a dot product or a log-sum-exp, recorded term by term, still costs a
// statement per term, and every statement costs stores while recording and a
// dependent load, multiply-add and store in the sweep. These two make the
// whole reduction one statement:
//
// - `sum(elements, fn, vars...)`: the sum over the elements of
//   fn(element, vars...), one statement whose operands are `vars` (the
//   log-likelihood of a data set in (mu, sigma): two operands, however many
//   points). The tape's counterpart of the static engine's `janus::sum`.
// - `sum_each(xs, fn)`: the sum over i of fn(xs[i], i), one statement with
//   one operand per x (a row of a dense layer, w . x + b, or the sum of
//   exponentials of a log-sum-exp).
// - `sum_windows<W>(xs, fn)`: the sum over i of fn(xs[i], ..., xs[i+W-1], i),
//   terms that couple neighbours (Rosenbrock's function, a smoothness
//   penalty, the residuals of a discretised equation), one statement with one
//   operand per x, its partial added up over the windows that hold it.
//
// Each term's value and partials come from the static engine's sweep of `fn`,
// as in `fuse` (detail::statement_sweep); the partials are added up while the
// terms are evaluated, so recording writes each operand once and the reverse
// sweep visits one statement.
#pragma once

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <ranges>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "janus/static.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/fuse.hpp"
#include "janus/tape/recorder.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

namespace detail {
/// The name of a reduction statement in drawings of the graph.
inline constexpr std::string_view sum_name = "sum";
}  // namespace detail

/// The sum over `elements` of fn(element, vars...) as one statement of the
/// tape whose operands are `vars`. `fn` is a generic lambda, as for
/// `janus::grad`, that takes an element and then the vars:
/// `janus::tape::sum(points, [](double p, auto m, auto s) { return square((p - m) / s); }, mu, sigma)`.
template <std::ranges::input_range Range, class F, std::floating_point T, class... Rest>
  requires(std::same_as<Rest, basic_var<T>> && ...)
basic_var<T> sum(const Range& elements, const F& fn, const basic_var<T>& first, const Rest&... rest) {
  constexpr std::size_t count = 1 + sizeof...(Rest);
  T total(0);
  T partials[count]{};
  for (auto&& element : elements) {
    const auto term = detail::statement_sweep(
        [&](auto... v) { return fn(element, v...); }, first.value(), rest.value()...);
    total += term.value;
    for (std::size_t i = 0; i < count; ++i) partials[i] += term.gradient[i];
  }
  if ((first.index() | ... | rest.index()) == 0 || !is_recording()) return basic_var<T>::constant(total);
  const index_type inputs[count]{first.index(), rest.index()...};
  detail::recorder::check_value_recorded<T>(detail::sum_name, total, {first.value(), rest.value()...}, inputs);
  const index_type index =
      detail::recorder::record(this_thread_tape<T>(), &detail::sum_name, total, inputs, partials);
  return detail::var_access::recorded<T>(total, index, detail::operands_generation(first, rest...));
}

/// The sum over i of fn(xs[i], xs[i + 1], ..., xs[i + Width - 1], i) for the
/// xs.size() - Width + 1 windows of Width consecutive vars, as one statement
/// of the tape with one operand per recorded x, whose partial is the sum of
/// its partials in the windows that hold it. Fewer vars than Width make no
/// term (the sum is 0). `fn` is a generic lambda of Width variables and the
/// window's first index:
/// `janus::tape::sum_windows<2>(x, [](auto a, auto b, std::size_t) { return 100.0 * square(b - a * a) + square(1.0 - a); })`.
template <std::size_t Width, std::floating_point T, class F>
  requires(Width >= 1)
basic_var<T> sum_windows(std::span<const basic_var<T>> xs, const F& fn) {
  // `other` is nonzero once an x is not of the tape's generation `current`
  // (a constant, or another recording); it is folded without a branch, and
  // the statement's generation worked out from the xs only then.
  struct written_terms {
    T total;
    std::size_t written;
    generation_type other;
  };
  const auto add_terms = [&](index_type* inputs, T* partials, generation_type current) {
    written_terms result{T(0), 0, 0};
    if (xs.size() < Width) return result;
    // A var's partial is complete once the window has moved past it: it is
    // written then, so the operands go out in order in one pass, with the
    // partials of the Width vars still in a window kept in `pending`.
    const auto write = [&](const basic_var<T>& x, T partial) {
      if (inputs == nullptr) return;
      // Constants and values made under no_grad are left out.
      inputs[result.written] = x.index();
      partials[result.written] = partial;
      result.written += x.index() != 0 ? 1 : 0;
      result.other |= x.generation() ^ current;
    };
    std::array<T, Width> pending{};
    const std::size_t windows = xs.size() - Width + 1;
    for (std::size_t i = 0; i < windows; ++i) {
      const auto term = [&]<std::size_t... k>(std::index_sequence<k...>) {
        return detail::statement_sweep([&](auto... window) { return fn(window..., i); }, xs[i + k].value()...);
      }(std::make_index_sequence<Width>{});
      result.total += term.value;
      for (std::size_t k = 0; k < Width; ++k) pending[k] += term.gradient[k];
      write(xs[i], pending[0]);
      for (std::size_t k = 0; k + 1 < Width; ++k) pending[k] = pending[k + 1];
      pending[Width - 1] = T(0);
    }
    for (std::size_t k = 0; k + 1 < Width; ++k) write(xs[windows + k], pending[k]);
    return result;
  };
  if (!is_recording()) return basic_var<T>::constant(add_terms(nullptr, nullptr, 0).total);
  auto& tape = this_thread_tape<T>();
  const generation_type current = tape.generation();
  generation_type other = 0;
  T total(0);
  const index_type index = detail::recorder::record_written(
      tape, &detail::sum_name, xs.size(),
      [&](index_type* inputs, T* partials) {
        const written_terms terms = add_terms(inputs, partials, current);
        other = terms.other;
        // Checked here, before the statement is closed: a sum that throws
        // leaves nothing on the tape.
        if (is_detecting_anomalies() && terms.written != 0 && !std::isfinite(terms.total)) [[unlikely]] {
          std::vector<T> values;
          std::vector<index_type> indices;
          for (const basic_var<T>& x : xs) {
            values.push_back(x.value());
            indices.push_back(x.index());
          }
          detail::recorder::check_value_recorded<T>(detail::sum_name, terms.total, values.data(),
                                                    indices.data(), values.size());
        }
        return std::pair{terms.total, terms.written};
      },
      total);
  return detail::var_access::recorded<T>(total, index, other == 0 ? current : detail::operands_generation(xs));
}

/// `sum_windows` for any contiguous range of vars (a std::vector, an array).
template <std::size_t Width, class Vars, class F>
  requires std::ranges::contiguous_range<const Vars&>
auto sum_windows(const Vars& xs, const F& fn) {
  using var_type = std::ranges::range_value_t<const Vars&>;
  return sum_windows<Width>(std::span<const var_type>(std::ranges::data(xs), std::ranges::size(xs)), fn);
}

/// The sum over i of fn(xs[i], i) as one statement of the tape with one
/// operand per recorded x: `sum_windows` with windows of one. `fn` is a
/// generic lambda of one variable and its index:
/// `janus::tape::sum_each(row, [&](auto w, std::size_t j) { return w * input[j]; })`.
/// Any contiguous range of vars (a std::vector, an array, a span).
template <class Vars, class F>
  requires std::ranges::contiguous_range<const Vars&>
auto sum_each(const Vars& xs, const F& fn) {
  return sum_windows<1>(xs, fn);
}

}  // namespace janus::tape
