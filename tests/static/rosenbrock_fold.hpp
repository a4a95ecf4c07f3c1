// tests/static/rosenbrock_fold.hpp: Rosenbrock's function folded over scalar
// arguments (one expression of N leaves and N - 1 terms with two constants
// each), its gradient in closed form, and a test point.
#pragma once

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <utility>

namespace rosenbrock_fold_test {

inline const auto rosenbrock_fold = [](auto... x) {
  const std::tuple args{x...};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return ((100.0 * janus::square(std::get<I + 1>(args) - std::get<I>(args) * std::get<I>(args)) +
             janus::square(1.0 - std::get<I>(args))) +
            ...);
  }(std::make_index_sequence<sizeof...(x) - 1>{});
};

template <std::size_t N>
std::array<double, N> rosenbrock_gradient(const std::array<double, N>& x) {
  std::array<double, N> g{};
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * r;
  }
  return g;
}

template <std::size_t N>
std::array<double, N> test_point() {
  std::array<double, N> x{};
  for (std::size_t i = 0; i < N; ++i) x[i] = 0.9 * std::sin(1.0 + static_cast<double>(i));
  return x;
}

}  // namespace rosenbrock_fold_test
