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
#pragma once

#include <concepts>
#include <string_view>

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

}  // namespace janus::rules
