// janus/rules/activation.hpp: sigmoid, softplus, relu.
#pragma once

#include <cmath>

#include "janus/rules/rule.hpp"

namespace janus::rules {

// Written so that exp never overflows: exp(-|x|) is at most 1.
struct sigmoid {
  static constexpr std::string_view name = "sigmoid";
  static constexpr auto reads = pullback_reads::output;
  template <class T> static constexpr T value(T x) {
    using std::exp;
    if (x >= T(0)) return T(1) / (T(1) + exp(-x));
    const T e = exp(x);
    return e / (T(1) + e);
  }
  template <class T> static constexpr T pullback(T, T y, T g) { return g * y * (T(1) - y); }
};

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact for large |x|.
struct softplus {
  static constexpr std::string_view name = "softplus";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) {
    using std::exp;
    using std::log1p;
    return (x > T(0) ? x : T(0)) + log1p(exp(x > T(0) ? -x : x));
  }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * sigmoid::value(x); }
};

// The gradient at 0 is taken as 0.
struct relu {
  static constexpr std::string_view name = "relu";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x > T(0) ? x : T(0); }
  template <class T> static constexpr T pullback(T x, T, T g) { return x > T(0) ? g : T(0); }
};

}  // namespace janus::rules
