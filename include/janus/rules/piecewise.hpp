// janus/rules/piecewise.hpp: abs, max, min.
#pragma once

#include "janus/rules/rule.hpp"

namespace janus::rules {

// The gradient at 0 is taken as 0.
struct abs {
  static constexpr std::string_view name = "abs";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x < T(0) ? -x : x; }
  template <class T> static constexpr T pullback(T x, T, T g) {
    return x > T(0) ? g : (x < T(0) ? -g : T(0));
  }
};

// On a tie the whole gradient goes to the first argument.
struct max {
  static constexpr std::string_view name = "max";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T a, T b) { return a >= b ? a : b; }
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T, T g) {
    return a >= b ? adjoints<T>{g, T(0)} : adjoints<T>{T(0), g};
  }
};

// On a tie the whole gradient goes to the first argument.
struct min {
  static constexpr std::string_view name = "min";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T a, T b) { return a <= b ? a : b; }
  template <class T> static constexpr adjoints<T> pullback(T a, T b, T, T g) {
    return a <= b ? adjoints<T>{g, T(0)} : adjoints<T>{T(0), g};
  }
};

}  // namespace janus::rules
