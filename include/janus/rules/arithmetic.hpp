// janus/rules/arithmetic.hpp: neg, add, sub, mul, div.
#pragma once

#include "janus/rules/rule.hpp"

namespace janus::rules {

struct neg {
  static constexpr std::string_view name = "neg";
  static constexpr auto reads = pullback_reads::nothing;
  template <class T> static constexpr T value(T x) { return -x; }
  template <class T> static constexpr T pullback(T, T, T g) { return -g; }
};

struct add {
  static constexpr std::string_view name = "add";
  static constexpr auto reads = pullback_reads::nothing;
  template <class T> static constexpr T value(T a, T b) { return a + b; }
  template <class T> static constexpr adjoints<T> pullback(T, T, T, T g) { return {g, g}; }
};

struct sub {
  static constexpr std::string_view name = "sub";
  static constexpr auto reads = pullback_reads::nothing;
  template <class T> static constexpr T value(T a, T b) { return a - b; }
  template <class T> static constexpr adjoints<T> pullback(T, T, T, T g) { return {g, -g}; }
};

struct mul {
  static constexpr std::string_view name = "mul";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T a, T b) { return a * b; }
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T, T g) { return {g * b, g * a}; }
};

// d(a/b)/db = -a/b^2 = -y/b: reading the output saves a multiplication.
// The pullback multiplies by 1/b rather than dividing g by b: 1/b reads b
// alone, so the division can start in the forward pass, where g / b waited
// for g, and with it for everything between this node and the output (the
// pair potential of docs/benchmarks.md, where it was a second division on
// each pair's path: 59-65 us before, 55 us after, g++ 12).
struct div {
  static constexpr std::string_view name = "div";
  static constexpr auto reads = pullback_reads::both;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T a, T b) { return a / b; }
  template <class T> static constexpr adjoints<T> pullback(T, T b, T y, T g) {
    const T ga = g * (T(1) / b);
    return {ga, -ga * y};
  }
};

}  // namespace janus::rules
