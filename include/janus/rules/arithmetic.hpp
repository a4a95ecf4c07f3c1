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
// Where the optimiser knows a and it is not 0 (`1.0 / u`), -y/b = -y (y/a):
// no second division, which would wait for the first (y), and y/1 is y. On
// the pair potential of docs/benchmarks.md that shortened each pair's chain
// of latencies by a division.
struct div {
  static constexpr std::string_view name = "div";
  static constexpr auto reads = pullback_reads::both;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T a, T b) { return a / b; }
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T y, T g) {
    if (!std::is_constant_evaluated() && __builtin_constant_p(a != T(0)) && a != T(0))
      return {g / b, -g * y * (y / a)};
    const T ga = g / b;
    return {ga, -ga * y};
  }
};

}  // namespace janus::rules
