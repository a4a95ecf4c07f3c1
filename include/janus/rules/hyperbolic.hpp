// janus/rules/hyperbolic.hpp: sinh, cosh, tanh.
#pragma once

#include <cmath>

#include "janus/rules/rule.hpp"

namespace janus::rules {

struct sinh {
  static constexpr std::string_view name = "sinh";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::sinh; return sinh(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { using std::cosh; return g * cosh(x); }
};

struct cosh {
  static constexpr std::string_view name = "cosh";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { using std::cosh; return cosh(x); }
  template <class T> static constexpr T pullback(T x, T, T g) { using std::sinh; return g * sinh(x); }
};

struct tanh {
  static constexpr std::string_view name = "tanh";
  static constexpr auto reads = pullback_reads::output;
  template <class T> static constexpr T value(T x) { using std::tanh; return tanh(x); }
  template <class T> static constexpr T pullback(T, T y, T g) { return g * (T(1) - y * y); }
};

}  // namespace janus::rules
