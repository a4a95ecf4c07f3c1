// janus/rules/trigonometric.hpp: sin, cos, tan, asin, acos, atan, atan2.
#pragma once

#include <cmath>

#include "janus/rules/rule.hpp"

namespace janus::rules {

struct sin {
  static constexpr std::string_view name = "sin";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::sin; return sin(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { using std::cos; return g * cos(x); }
};

struct cos {
  static constexpr std::string_view name = "cos";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::cos; return cos(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { using std::sin; return -g * sin(x); }
};

struct tan {
  static constexpr std::string_view name = "tan";
  static constexpr auto reads = pullback_reads::output;
  template <class T> static constexpr T value(T x) { using std::tan; return tan(x); }
  template <class T> static constexpr T pullback(T, T y, T g) { return g * (T(1) + y * y); }
};

struct asin {
  static constexpr std::string_view name = "asin";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::asin; return asin(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { using std::sqrt; return g / sqrt(T(1) - x * x); }
};

struct acos {
  static constexpr std::string_view name = "acos";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::acos; return acos(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { using std::sqrt; return -g / sqrt(T(1) - x * x); }
};

struct atan {
  static constexpr std::string_view name = "atan";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::atan; return atan(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { return g / (T(1) + x * x); }
};

// y = atan2(a, b), the angle of the point (b, a).
struct atan2 {
  static constexpr std::string_view name = "atan2";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T a, T b) { using std::atan2; return atan2(a, b); }
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T, T g) {
    const T scale = g / (a * a + b * b);
    return {scale * b, -scale * a};
  }
};

}  // namespace janus::rules
