// bench/black_scholes.hpp: the Black-Scholes call price as one generic
// formula, shared by the benchmark programs that time it (bench/static_engine.cpp,
// bench/peers), so that every program differentiates the same code.
#pragma once

#include <cmath>
#include <numbers>

namespace bench_problems {

inline constexpr double inv_sqrt2 = std::numbers::sqrt2 / 2;

// One formula for doubles and for janus variables, with respect to
// (S, K, T, r, sigma); N(x) = erfc(-x / sqrt 2) / 2. Intermediates are plain
// `auto` locals, as the static engine's docs write them.
inline const auto black_scholes = [](auto S, auto K, auto T, auto r, auto sigma) {
  using std::erfc;
  using std::exp;
  using std::log;
  using std::sqrt;
  auto sd = sigma * sqrt(T);
  auto d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  auto d2 = d1 - sd;
  return S * (0.5 * erfc(-inv_sqrt2 * d1)) - K * exp(-r * T) * (0.5 * erfc(-inv_sqrt2 * d2));
};

}  // namespace bench_problems
