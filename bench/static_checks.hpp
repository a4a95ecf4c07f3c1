// bench/static_checks.hpp: what the static engine's benchmark programs share:
// comparing gradients, checking each variant before it is timed, and the
// timing loop.
#pragma once

#include <benchmark/benchmark.h>

#include <janus/janus.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>

namespace bench_checks {

template <std::size_t N>
using vec = std::array<double, N>;

/// Whether two gradients agree to `tolerance`, relative to their size.
template <std::size_t N>
bool agree(const vec<N>& a, const vec<N>& b, double tolerance) {
  for (std::size_t i = 0; i < N; ++i) {
    const double scale = std::max({1.0, std::abs(a[i]), std::abs(b[i])});
    if (!(std::abs(a[i] - b[i]) <= tolerance * scale)) return false;
  }
  return true;
}

inline bool agree(double a, double b, double tolerance) { return agree(vec<1>{a}, vec<1>{b}, tolerance); }

/// f at p, evaluated by the static engine (to check the primal against).
template <class F, std::size_t N>
double value_with_janus(const F& f, const vec<N>& p) {
  return janus::value(std::apply(f, std::apply([](auto... v) { return janus::variables(v...); }, p)));
}

/// Times `compute(inputs)`; the inputs are reloaded from memory the compiler
/// cannot see through on every iteration, and the result is kept.
template <class Inputs, class Compute>
void time_it(benchmark::State& state, Inputs inputs, Compute compute) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(inputs);
    auto result = compute(inputs);
    benchmark::DoNotOptimize(result);
  }
}

// The expert's gradient is the reference of the others; it is checked in turn
// against central differences of the primal (Richardson-extrapolated).
template <std::size_t N, class Primal, class Expert>
bool check_expert(benchmark::State& state, const vec<N>& p, Primal primal, Expert expert) {
  vec<N> differences{};
  for (std::size_t i = 0; i < N; ++i) {
    const auto at = [&](double step) {
      vec<N> q = p;
      q[i] += step;
      return primal(q);
    };
    const double h = 1e-3 * std::max(0.1, std::abs(p[i]));
    const double wide = (at(h) - at(-h)) / (2 * h);
    const double narrow = (at(h / 2) - at(-h / 2)) / h;
    differences[i] = (4 * narrow - wide) / 3;
  }
  if (agree(expert(p), differences, 1e-8)) return true;
  state.SkipWithError("the expert's gradient disagrees with finite differences of the primal");
  return false;
}

template <class Inputs, class Expert, class Candidate>
bool check(benchmark::State& state, const Inputs& p, Expert expert, Candidate candidate, double tolerance) {
  if (agree(candidate(p), expert(p), tolerance)) return true;
  state.SkipWithError("the gradient disagrees with the expert's");
  return false;
}

}  // namespace bench_checks
