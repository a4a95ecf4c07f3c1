// janus/rules/exponential.hpp: exp, expm1, log, log1p, log2, log10.
#pragma once

#include <cmath>
#include <numbers>

#include "janus/rules/rule.hpp"

namespace janus::rules {

struct exp {
  static constexpr std::string_view name = "exp";
  static constexpr auto reads = pullback_reads::output;
  template <class T> static constexpr T value(T x) { using std::exp; return exp(x); }
  template <class T> static constexpr T pullback(T, T y, T g) { return g * y; }
};

struct expm1 {
  static constexpr std::string_view name = "expm1";
  static constexpr auto reads = pullback_reads::output;
  template <class T> static constexpr T value(T x) { using std::expm1; return expm1(x); }
  template <class T> static constexpr T pullback(T, T y, T g) { return g * (y + T(1)); }
};

struct log {
  static constexpr std::string_view name = "log";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::log; return log(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { return g / x; }
};

struct log1p {
  static constexpr std::string_view name = "log1p";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::log1p; return log1p(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { return g / (T(1) + x); }
};

struct log2 {
  static constexpr std::string_view name = "log2";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::log2; return log2(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { return g / (x * T(std::numbers::ln2)); }
};

struct log10 {
  static constexpr std::string_view name = "log10";
  static constexpr auto reads = pullback_reads::input;
  static constexpr bool unbounded_derivative = true;
  template <class T> static constexpr T value(T x) { using std::log10; return log10(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { return g / (x * T(std::numbers::ln10)); }
};

}  // namespace janus::rules
