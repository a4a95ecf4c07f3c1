// janus/rules/rule.hpp: what a derivative rule is, for every engine.
//
// A rule is a small struct with a `name`, a `value` and a `pullback`, generic
// in the scalar type. The static engine, the scalar tape and the tensor tape
// all call the same rule objects; no engine spells out a derivative.
//
//   unary:  T value(T x);            T pullback(T x, T y, T g);
//   binary: T value(T a, T b);       adjoints<T> pullback(T a, T b, T y, T g);
//
// `y` is value(...) and `g` the upstream adjoint. A pullback is linear in `g`,
// so pullback(..., 1) is the local partial derivative (the tapes use that).
// `reads` says which of x and y the pullback looks at, so that an engine can
// skip computing a value that nobody needs.
//
// A rule whose local derivative can be infinite or NaN at finite inputs (sqrt
// and log at 0, division by 0) declares
// `static constexpr bool unbounded_derivative = true;`. Every engine then
// calls its pullback through `rules::pullback_of`, which holds the rule of
// all engines: an adjoint of exactly 0 propagates nothing, so that
// d/dx (0 * sqrt(x)) at 0 is 0, not 0 times infinity. Other rules need not
// pay for the comparison.
#pragma once

#include <bit>
#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace janus::rules {

/// Which values a pullback reads besides the upstream adjoint.
enum class pullback_reads : unsigned char { nothing = 0, input = 1, output = 2, both = 3 };

constexpr bool reads_input(pullback_reads r) { return (static_cast<unsigned>(r) & 1u) != 0; }
constexpr bool reads_output(pullback_reads r) { return (static_cast<unsigned>(r) & 2u) != 0; }

/// The adjoints of the two inputs of a binary rule.
template <class T>
struct adjoints {
  T first;
  T second;
};

template <class R, class T = double>
concept unary_rule = requires(const R& rule, T x) {
  { R::name } -> std::convertible_to<std::string_view>;
  { R::reads } -> std::convertible_to<pullback_reads>;
  { rule.value(x) } -> std::convertible_to<T>;
  { rule.pullback(x, x, x) } -> std::convertible_to<T>;
};

template <class R, class T = double>
concept binary_rule = requires(const R& rule, T x) {
  { R::name } -> std::convertible_to<std::string_view>;
  { R::reads } -> std::convertible_to<pullback_reads>;
  { rule.value(x, x) } -> std::convertible_to<T>;
  { rule.pullback(x, x, x, x) } -> std::same_as<adjoints<T>>;
};

template <class R, class T = double>
concept rule = unary_rule<R, T> || binary_rule<R, T>;

/// Whether `R` declares that its local derivative can be infinite or NaN at
/// finite inputs; false when it declares nothing.
template <class R>
inline constexpr bool has_unbounded_derivative = requires {
  requires R::unbounded_derivative;
};

namespace detail {
/// `g == 0 ? 0 : value`. For float and double as a mask on the bits: from a
/// ternary, GCC 12 masks the pullback's own arithmetic in vectorised sums
/// (masked divisions and moves), which costs more than the compare and the
/// and of the mask (docs/design.md, "The sweep").
template <class T>
[[gnu::always_inline]] constexpr T zero_where_zero(T g, T value) {
  if constexpr (std::is_same_v<T, double>) {
    const std::uint64_t keep = std::uint64_t{0} - static_cast<std::uint64_t>(g != T(0));
    return std::bit_cast<T>(std::bit_cast<std::uint64_t>(value) & keep);
  } else if constexpr (std::is_same_v<T, float>) {
    const std::uint32_t keep = std::uint32_t{0} - static_cast<std::uint32_t>(g != T(0));
    return std::bit_cast<T>(std::bit_cast<std::uint32_t>(value) & keep);
  } else {
    return g == T(0) ? T(0) : value;
  }
}
}  // namespace detail

/// rule.pullback(x, y, g), except that an adjoint g of exactly 0 gives 0 even
/// where the local derivative is infinite or NaN. A select, not a branch: the
/// pullback is computed either way, so generated sweeps stay branch-free.
template <class R, class T>
[[gnu::always_inline]] constexpr T pullback_of(const R& rule, T x, T y, T g) {
  if constexpr (has_unbounded_derivative<R>) {
    return detail::zero_where_zero(g, rule.pullback(x, y, g));
  } else {
    return rule.pullback(x, y, g);
  }
}

/// The binary form: both adjoints are 0 where g is exactly 0.
template <class R, class T>
[[gnu::always_inline]] constexpr adjoints<T> pullback_of(const R& rule, T a, T b, T y, T g) {
  if constexpr (has_unbounded_derivative<R>) {
    const adjoints<T> result = rule.pullback(a, b, y, g);
    return {detail::zero_where_zero(g, result.first), detail::zero_where_zero(g, result.second)};
  } else {
    return rule.pullback(a, b, y, g);
  }
}

}  // namespace janus::rules
