// janus/tape/leaves.hpp: a whole array of inputs made leaves in one call,
// and their gradients read out in one call.
//
// `std::vector<var> w(values.begin(), values.end())` records one leaf per
// element, and `w[i].grad()` reads one gradient per call. Each call looks the
// thread's tape up and checks its room anew; where every weight of a layer is
// an input, that costs about as much as the layer's own statements. These two
// do it once per array:
//
//   janus::tape::make_leaves(values, w);       // w: a std::vector<var> of the same size
//   ... record, y.backward() ...
//   janus::tape::read_gradients(w, gradient);  // gradient: a std::vector<double>
//
// The vars are written into the caller's storage, so a loop that reuses it
// allocates nothing once warm.
#pragma once

#include <concepts>
#include <cstddef>
#include <ranges>
#include <stdexcept>
#include <string>

#include "janus/tape/recorder.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

namespace detail {
[[noreturn, gnu::cold]] inline void throw_size_mismatch(const char* operation, std::size_t from, std::size_t to) {
  throw std::invalid_argument(std::string("janus::tape::") + operation + ": " + std::to_string(from) +
                              " elements to write into " + std::to_string(to));
}
}  // namespace detail

/// vars[i] = a leaf holding values[i], recorded at consecutive indices on this
/// thread's tape (constants under `janus::no_grad`). `values` is a contiguous
/// range of T (a std::vector<double>, a span), `vars` one of basic_var<T> of
/// the same size; std::invalid_argument, naming both sizes, when they differ.
template <std::ranges::contiguous_range Values, std::ranges::contiguous_range Vars>
  requires std::floating_point<std::ranges::range_value_t<Values>> &&
           std::same_as<std::ranges::range_value_t<Vars>, basic_var<std::ranges::range_value_t<Values>>>
void make_leaves(const Values& values, Vars&& vars) {
  using T = std::ranges::range_value_t<Values>;
  const std::size_t count = std::ranges::size(values);
  if (count != std::ranges::size(vars)) detail::throw_size_mismatch("make_leaves", count, std::ranges::size(vars));
  const T* value = std::ranges::data(values);
  basic_var<T>* var = std::ranges::data(vars);
  if (!is_recording()) {
    for (std::size_t i = 0; i < count; ++i) var[i] = basic_var<T>::constant(value[i]);
    return;
  }
  auto& tape = this_thread_tape<T>();
  const index_type first = detail::recorder::record_leaves(tape, value, count);
  detail::var_access::recorded_run(value, count, first, tape.generation(), var);
}

/// gradients[i] = vars[i].grad(), with the same checks, for contiguous ranges
/// of basic_var<T> and of T; std::invalid_argument, naming both sizes, when
/// they differ.
template <std::ranges::contiguous_range Vars, std::ranges::contiguous_range Gradients>
  requires std::floating_point<std::ranges::range_value_t<Gradients>> &&
           std::same_as<std::ranges::range_value_t<Vars>, basic_var<std::ranges::range_value_t<Gradients>>>
void read_gradients(const Vars& vars, Gradients&& gradients) {
  using T = std::ranges::range_value_t<Gradients>;
  const std::size_t count = std::ranges::size(vars);
  if (count != std::ranges::size(gradients))
    detail::throw_size_mismatch("read_gradients", count, std::ranges::size(gradients));
  this_thread_tape<T>().gradients(std::ranges::data(vars), count, std::ranges::data(gradients));
}

}  // namespace janus::tape
