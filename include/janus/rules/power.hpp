// janus/rules/power.hpp: pow (variable exponent), pow_constant, square, sqrt, cbrt.
#pragma once

#include <cmath>

#include "janus/rules/rule.hpp"

namespace janus::rules {

// y = a^b with both a and b differentiated; d/db needs log(a), so a > 0 there.
struct pow {
  static constexpr std::string_view name = "pow";
  static constexpr auto reads = pullback_reads::both;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T a, T b) { using std::pow; return pow(a, b); }
  // d/da = b a^(b-1) is 0 where b = 0, at a = 0 too (where a^(b-1) is
  // infinite); d/db = a^b log a is 0 where a^b = 0 (a = 0, b > 0), where
  // log a is minus infinity. Both products would otherwise be 0 times
  // infinity, NaN.
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T y, T g) {
    using std::log;
    using std::pow;
    const T da = b == T(0) ? T(0) : b * pow(a, b - T(1));
    const T db = y == T(0) ? T(0) : y * log(a);
    return {g * da, g * db};
  }
};

// y = x^p for a constant exponent p: a rule with a parameter, so it is called
// through an object (`rule.value(x)`) like every other rule.
struct pow_constant {
  static constexpr std::string_view name = "pow";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  double exponent;
  constexpr bool operator==(const pow_constant&) const = default;
  template <class T> constexpr T value(T x) const { return power(x, exponent); }
  // x^0 is the constant 1: its derivative is 0, at x = 0 too, where
  // x^(0 - 1) is infinite.
  template <class T> constexpr T pullback(T x, T, T g) const {
    if (exponent == 0) return T(0);
    return g * T(exponent) * power(x, exponent - 1);
  }

 private:
  // Small integer exponents (the 3 of 1 / r^6 = pow(r2, -3), squares, cubes)
  // by repeated multiplication: a call of std::pow costs tens of multiplies.
  template <class T> static constexpr T power(T x, double p) {
    if (p >= 0 && p <= 8 && p == static_cast<double>(static_cast<int>(p))) {
      T result(1);
      for (int i = 0; i < static_cast<int>(p); ++i) result *= x;
      return result;
    }
    using std::pow;
    return pow(x, T(p));
  }
};

struct square {
  static constexpr std::string_view name = "square";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * (x + x); }
};

struct sqrt {
  static constexpr std::string_view name = "sqrt";
  static constexpr auto reads = pullback_reads::output;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::sqrt; return sqrt(x); }
  template <class T> static constexpr T pullback(T, T y, T g) { return g / (y + y); }
};

struct cbrt {
  static constexpr std::string_view name = "cbrt";
  static constexpr auto reads = pullback_reads::output;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::cbrt; return cbrt(x); }
  template <class T> static constexpr T pullback(T, T y, T g) { return g / (T(3) * y * y); }
};

}  // namespace janus::rules
