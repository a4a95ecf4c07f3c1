// janus/static/array_sums.hpp: what a functional call with array arguments
// knows about the sums over array elements that f makes.
//
// A sum runs its loop where it is made (sum.hpp), and the elements of array
// arguments take their partials straight into the gradient buffers: there is
// no node per element to keep for later. Those partials must be scaled by
// the derivative of f's result with respect to the sum, which is known only
// when the whole expression is swept, after f has returned. So:
//
// - f is called, and each sum made outside any other sum's body (a top-level
//   sum) gets a number, in the order f makes them. Its elements' partials go
//   into the buffers with scale 1.
// - The sweep of f's expression adds each top-level sum's adjoint to its
//   seed. When every seed is 1 (a sum that is the result, or a term of it:
//   the usual case), the buffers are right and the call is done.
// - Otherwise (`-janus::sum(...)`, `log(janus::sum(...))`, a sum f made but
//   did not use, whose seed is 0) the buffers are cleared and f is called
//   once more, each top-level sum scaling its elements' partials by its seed.
//
// f must therefore compute the same thing when called twice, which a pure
// function does. A sum inside another sum's body is scaled with the outer
// one; it must be a term of that body (derivative 1 there), which the body's
// sweep checks.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "janus/static/expression.hpp"

namespace janus::detail {

/// How many top-level sums over array elements one call of f may make.
inline constexpr std::size_t max_array_sums = 64;

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_too_many_array_sums() {
  throw std::length_error("janus: a function makes more than " + std::to_string(max_array_sums) +
                          " janus::sum over elements of array arguments in one call; combine them into fewer sums");
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_nested_array_sum_not_a_term(double adjoint) {
  throw std::logic_error(
      "janus::sum over elements of an array argument inside another sum's body must be a term of that body "
      "(derivative 1), but its derivative there is " +
      std::to_string(adjoint) + "; move the factor into the inner sum's body");
}

/// The sums over array elements of one functional call (see above).
template <class T>
struct array_sums_record {
  std::size_t made = 0;   // top-level sums made so far by this call of f
  std::size_t depth = 0;  // sums whose loop is running now
  bool replaying = false;  // the second call: each sum scales by its seed
  T scale = T(1);          // what the running sums' element partials are scaled by
  std::array<T, max_array_sums> seeds{};

  /// Whether the partials already in the buffers are right: every top-level
  /// sum entered f's result with derivative 1.
  constexpr bool unscaled_is_right() const {
    for (std::size_t k = 0; k < made; ++k)
      if (seeds[k] != T(1)) return false;
    return true;
  }

  /// Readies the record for the second call of f.
  constexpr void start_replay() {
    made = 0;
    depth = 0;
    replaying = true;
    scale = T(1);
  }
};

/// The record of the innermost functional call with arrays on this thread
/// (calls nest: f may itself take a gradient).
template <class T>
array_sums_record<T>*& current_array_sums() {
  thread_local array_sums_record<T>* record = nullptr;
  return record;
}

template <class T>
class array_sums_scope {
 public:
  explicit array_sums_scope(array_sums_record<T>& record) : previous_(current_array_sums<T>()) {
    current_array_sums<T>() = &record;
  }
  ~array_sums_scope() { current_array_sums<T>() = previous_; }
  array_sums_scope(const array_sums_scope&) = delete;
  array_sums_scope& operator=(const array_sums_scope&) = delete;

 private:
  array_sums_record<T>* previous_;
};

inline constexpr std::size_t nested_sum = static_cast<std::size_t>(-1);

/// One sum's loop over its elements: takes the sum's number (or none, inside
/// another sum's body), sets the scale of its elements' partials, and puts
/// back the outer state when the loop ends, or throws.
template <class T>
class array_sum_loop {
 public:
  constexpr array_sum_loop() {
    // A sum over array elements is made only inside a functional call, which
    // keeps a record; without one (constant evaluation) nothing is scaled.
    if (std::is_constant_evaluated()) return;
    record_ = current_array_sums<T>();
    if (record_ == nullptr) return;
    outer_scale_ = record_->scale;
    if (record_->depth == 0) {
      if (record_->made == max_array_sums) throw_too_many_array_sums();
      number_ = record_->made++;
      record_->scale = record_->replaying ? record_->seeds[number_] : T(1);
    }
    ++record_->depth;
  }
  constexpr ~array_sum_loop() {
    if (record_ == nullptr) return;
    --record_->depth;
    record_->scale = outer_scale_;
  }
  array_sum_loop(const array_sum_loop&) = delete;
  array_sum_loop& operator=(const array_sum_loop&) = delete;

  constexpr std::size_t number() const { return number_; }
  constexpr T scale() const { return record_ == nullptr ? T(1) : record_->scale; }

 private:
  array_sums_record<T>* record_ = nullptr;
  T outer_scale_ = T(1);
  std::size_t number_ = nested_sum;
};

/// The sweep of f's expression met top-level sum `number` with `adjoint`
/// (a sum used twice in f's result is met twice); a nested sum must have
/// derivative 1 in its body.
template <class T>
constexpr void record_array_sum_adjoint(std::size_t number, T adjoint) {
  if (number == nested_sum) {
    if (adjoint != T(1)) throw_nested_array_sum_not_a_term(static_cast<double>(adjoint));
    return;
  }
  if (std::is_constant_evaluated()) return;
  array_sums_record<T>* record = current_array_sums<T>();
  if (record != nullptr && !record->replaying) record->seeds[number] += adjoint;
}

/// The values a sum's body is swept with: the call's argument block (its
/// scalars), copies of its arrays' addresses, and the scale of the elements'
/// partials (`array_sum_loop`).
template <class T, std::size_t N>
struct scaled_argument_values {
  const argument_block<T, N>* block = nullptr;
  std::array<const T*, N> array_data{};
  std::array<T*, N> array_gradient{};
  T scale{};
};

/// (A tree that reads no variable of its own, such as a sum, points at no block.)
template <class T, std::size_t N>
constexpr scaled_argument_values<T, N> scaled_values(const argument_block<T, N>* block, T scale) {
  if (block == nullptr) return {nullptr, {}, {}, scale};
  return {block, block->array_data, block->array_gradient, scale};
}

/// The scaled values for trees over `Values` (none where they read no arrays).
template <class Values>
struct scaled_argument_values_for {
  struct type {};
};
template <class T, std::size_t N>
struct scaled_argument_values_for<argument_values<T, N>> {
  using type = scaled_argument_values<T, N>;
};
template <class Values>
using scaled_argument_values_of = typename scaled_argument_values_for<Values>::type;

template <class T, std::size_t N>
constexpr T scalar_value(const scaled_argument_values<T, N>& values, std::size_t id) {
  return values.block->scalars[id];
}
template <class T, std::size_t N>
constexpr T element_value(const scaled_argument_values<T, N>& values, std::size_t id, std::size_t index) {
  return values.array_data[id][index];
}
template <class T, std::size_t N>
constexpr void add_to_element_gradient(const scaled_argument_values<T, N>& values, std::size_t id,
                                       std::size_t index, T adjoint) {
  values.array_gradient[id][index] += values.scale * adjoint;
}

}  // namespace janus::detail
