// janus/rules/special.hpp: hypot, erf, erfc.
#pragma once

#include <cmath>
#include <numbers>

#include "janus/rules/rule.hpp"

namespace janus::rules {

struct hypot {
  static constexpr std::string_view name = "hypot";
  static constexpr auto reads = pullback_reads::both;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T a, T b) { using std::hypot; return hypot(a, b); }
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T y, T g) {
    const T scale = g / y;
    return {scale * a, scale * b};
  }
};

struct erf {
  static constexpr std::string_view name = "erf";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::erf; return erf(x); }
  template <class T> static constexpr T pullback(T x, T, T g) {
    using std::exp;
    return g * T(2 * std::numbers::inv_sqrtpi) * exp(-x * x);
  }
};

struct erfc {
  static constexpr std::string_view name = "erfc";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::erfc; return erfc(x); }
  template <class T> static constexpr T pullback(T x, T, T g) {
    using std::exp;
    return -g * T(2 * std::numbers::inv_sqrtpi) * exp(-x * x);
  }
};

}  // namespace janus::rules
