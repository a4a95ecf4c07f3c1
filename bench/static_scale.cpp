// bench/static_scale.cpp: how the static engine scales with the number of
// arguments, on Rosenbrock's function folded over N scalar arguments,
// N = 10, 20, 40, 64: one static expression of N leaves and N - 1 terms.
//
// Each size is timed in these variants side by side (as in
// bench/static_engine.cpp, whose helpers and style this file follows):
//   primal       the function value only, plain double code;
//   expert       the gradient in closed form, a loop over the terms;
//   mechanical   the reverse sweep of the same formula written by hand, line
//                by line, a loop over the terms, using only each operation's
//                local derivative and no algebraic identity;
//   grad         janus::grad(rosenbrock)(x...), the gradient only.
//
// Each variant checks once, outside the timed loop, that its result matches
// the expert's (the expert's is checked against finite differences of the
// primal, the primal against janus::value), and reports an error instead of
// a time otherwise.
//
// Compile cost grows with N: the N = 64 gradient is one expression type of 64
// leaves; bench/compile_time/fold_compile.py measures that cost alone.
#include <benchmark/benchmark.h>

#include <janus/janus.hpp>

#include "formulas.hpp"
#include "static_checks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <utility>

namespace {

using namespace bench_checks;

// ---------------------------------------------------------------------------
// Rosenbrock over N variables: the sum over i < N - 1 of
// 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, as in bench/static_engine.cpp.

using bench_problems::rosenbrock_term;

const auto rosenbrock = [](auto... x) {
  const std::tuple args{x...};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return (rosenbrock_term(std::get<I>(args), std::get<I + 1>(args)) + ...);
  }(std::make_index_sequence<sizeof...(x) - 1>{});
};

/// The point: bench/static_engine.cpp's ten values, repeated with a small
/// shift per repetition so that no two terms are the same.
template <std::size_t N>
constexpr vec<N> point() {
  constexpr vec<10> base{-1.2, 1.0, 0.3, -0.7, 2.0, 0.5, -0.4, 1.1, 0.8, -1.5};
  vec<N> p{};
  for (std::size_t i = 0; i < N; ++i) p[i] = base[i % 10] + 0.05 * static_cast<double>(i / 10);
  return p;
}

template <std::size_t N>
[[gnu::noinline]] double primal(const vec<N>& p) {
  return std::apply(rosenbrock, p);
}

// Closed form: each term adds to the gradient of its two variables.
template <std::size_t N>
[[gnu::noinline]] vec<N> expert(const vec<N>& p) {
  vec<N> g{};
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double r = p[i + 1] - p[i] * p[i];
    g[i] += -400.0 * p[i] * r - 2.0 * (1.0 - p[i]);
    g[i + 1] += 200.0 * r;
  }
  return g;
}

// Line by line: forward the locals of each term, then their adjoints in
// reverse, with each operation's local derivative only.
template <std::size_t N>
[[gnu::noinline]] vec<N> mechanical(const vec<N>& p) {
  vec<N> g{};
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double a = p[i], b = p[i + 1];
    const double aa = a * a;   // v1
    const double r = b - aa;   // v2
    const double s = 1.0 - a;  // v3
    // term = 100 * r^2 + s^2; its adjoint is 1
    const double r_bar = 100.0 * 2.0 * r;
    const double s_bar = 2.0 * s;
    const double aa_bar = -r_bar;
    g[i + 1] += r_bar;
    g[i] += aa_bar * 2.0 * a - s_bar;
  }
  return g;
}

template <std::size_t N>
[[gnu::noinline]] vec<N> grad(const vec<N>& p) {
  return std::apply([](auto... x) { return janus::grad(rosenbrock)(x...); }, p);
}

// ---------------------------------------------------------------------------
// The benchmarks.

constexpr double tolerance = 1e-10;

template <std::size_t N>
void primal_bench(benchmark::State& state) {
  constexpr vec<N> p = point<N>();
  if (!agree(primal<N>(p), value_with_janus(rosenbrock, p), tolerance)) {
    state.SkipWithError("the primal disagrees with the static engine's value");
    return;
  }
  time_it(state, p, primal<N>);
}
template <std::size_t N>
void expert_bench(benchmark::State& state) {
  constexpr vec<N> p = point<N>();
  if (check_expert(state, p, primal<N>, expert<N>)) time_it(state, p, expert<N>);
}
template <std::size_t N>
void mechanical_bench(benchmark::State& state) {
  constexpr vec<N> p = point<N>();
  if (check(state, p, expert<N>, mechanical<N>, tolerance)) time_it(state, p, mechanical<N>);
}
template <std::size_t N>
void grad_bench(benchmark::State& state) {
  constexpr vec<N> p = point<N>();
  if (check(state, p, expert<N>, grad<N>, tolerance)) time_it(state, p, grad<N>);
}

}  // namespace

BENCHMARK(primal_bench<10>)->Name("rosenbrock_fold/primal/10");
BENCHMARK(expert_bench<10>)->Name("rosenbrock_fold/expert/10");
BENCHMARK(mechanical_bench<10>)->Name("rosenbrock_fold/mechanical/10");
BENCHMARK(grad_bench<10>)->Name("rosenbrock_fold/grad/10");

BENCHMARK(primal_bench<20>)->Name("rosenbrock_fold/primal/20");
BENCHMARK(expert_bench<20>)->Name("rosenbrock_fold/expert/20");
BENCHMARK(mechanical_bench<20>)->Name("rosenbrock_fold/mechanical/20");
BENCHMARK(grad_bench<20>)->Name("rosenbrock_fold/grad/20");

BENCHMARK(primal_bench<40>)->Name("rosenbrock_fold/primal/40");
BENCHMARK(expert_bench<40>)->Name("rosenbrock_fold/expert/40");
BENCHMARK(mechanical_bench<40>)->Name("rosenbrock_fold/mechanical/40");
BENCHMARK(grad_bench<40>)->Name("rosenbrock_fold/grad/40");

BENCHMARK(primal_bench<64>)->Name("rosenbrock_fold/primal/64");
BENCHMARK(expert_bench<64>)->Name("rosenbrock_fold/expert/64");
BENCHMARK(mechanical_bench<64>)->Name("rosenbrock_fold/mechanical/64");
BENCHMARK(grad_bench<64>)->Name("rosenbrock_fold/grad/64");

BENCHMARK_MAIN();
