// bench/peers/problems.hpp: the scalar problems that the peer programs
// (bench_peer_adolc, bench_peer_libtorch, bench_peer_fastad) time, so that
// janus and each peer see the same inputs. For each problem: its inputs, its
// plain double primal, and janus's fastest gradient of it (the static engine
// where the variables are few enough to be compile-time leaves, otherwise the
// scalar tape: a fused statement per term, and the whole sum as one
// statement, as in bench/tape_scalar.cpp); for Rosenbrock over a vector and
// the pair potential, also a gradient written by hand.
//
// The formulas and inputs are those of bench/static_engine.cpp (Black-Scholes,
// the likelihood) and bench/tape_scalar.cpp (Rosenbrock, log-sum-exp); the
// pair potential is timed by the peer programs only.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <janus/janus.hpp>
#include <janus/tape.hpp>
#include <janus/tape/fuse.hpp>
#include <janus/tape/sum.hpp>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../formulas.hpp"

namespace peers {

using janus::var;

/// Whether two gradients agree to `tolerance`, relative to their size.
template <class T>
bool agree(std::span<const T> a, std::span<const T> b, double tolerance) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = a[i], y = b[i];
    const double scale = std::max({1.0, std::abs(x), std::abs(y)});
    if (!(std::abs(x - y) <= tolerance * scale)) return false;
  }
  return true;
}

/// The start-up checks: a figure of a peer that computes something else
/// would mean nothing, so the program stops before timing anything.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "bench_peer: %s; no figures are reported\n", what);
  std::exit(1);
}

inline std::vector<double> uniform_values(std::size_t count, double low, double high, unsigned seed) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<double> distribution(low, high);
  std::vector<double> values(count);
  for (auto& value : values) value = distribution(generator);
  return values;
}

/// A benchmark's name, problem/variant[/size]: the one scheme of every
/// benchmark program, which bench/report.py splits into problems and variants.
struct bench_name {
  std::string problem;
  std::string size;  // empty for a problem of one size
  std::string of(const std::string& variant) const {
    return problem + "/" + variant + (size.empty() ? "" : "/" + size);
  }
  std::string label() const { return size.empty() ? problem : problem + " " + size; }
};

/// Registers a benchmark that runs `compute(inputs)` once per iteration, the
/// inputs reloaded from memory the compiler cannot see through (so nothing
/// is folded to a constant) and the result and what it wrote kept.
template <class Inputs, class Compute>
void add(const std::string& name, Inputs inputs, Compute compute) {
  benchmark::RegisterBenchmark(name.c_str(), [inputs, compute](benchmark::State& state) mutable {
    for (auto _ : state) {
      benchmark::DoNotOptimize(inputs);
      auto result = compute(inputs);
      benchmark::DoNotOptimize(result);
      benchmark::ClobberMemory();
    }
  });
}

/// For a problem over a vector of inputs: registers its `primal`,
/// `janus_tape_fused` and `janus_tape_sum` variants, and returns janus's
/// gradient at `x`, the reference the peer's is checked against.
/// `tape_fused(x, leaves, g)` (one fused statement per term) and
/// `tape_sum(x, leaves, g)` (the whole sum as one statement) write the
/// gradient at x into g, reusing `leaves` from call to call; the two must
/// agree before either is timed.
template <class Primal, class TapeFused, class TapeSum>
std::vector<double> add_vector_problem(const bench_name& prefix, const std::vector<double>& x, Primal primal,
                                       TapeFused tape_fused, TapeSum tape_sum) {
  std::vector<var> leaves;
  std::vector<double> gradient(x.size()), from_sum(x.size());
  tape_fused(x, leaves, gradient);
  tape_sum(x, leaves, from_sum);
  // The terms are added in other orders: 1e-10, as the static engine's check.
  require(agree<double>(gradient, from_sum, 1e-10),
          (prefix.label() + ": janus's fused and one-statement tapes disagree").c_str());
  add(prefix.of("primal"), x, [primal](const std::vector<double>& point) { return primal(point); });
  const auto add_tape = [&](const char* variant, auto tape_gradient) {
    add(prefix.of(variant), x, [tape_gradient, leaves, g = gradient](const std::vector<double>& point) mutable {
      tape_gradient(point, leaves, g);
      return g.data();
    });
  };
  add_tape("janus_tape_fused", tape_fused);
  add_tape("janus_tape_sum", tape_sum);
  return gradient;
}

using bench_problems::square;

// ---------------------------------------------------------------------------
// P1. Black-Scholes: a European call and its five first-order sensitivities
// with respect to (S, K, T, r, sigma); N(x) = erfc(-x / sqrt 2) / 2.

using bench_problems::black_scholes;
using bench_problems::inv_sqrt2;

using bs_inputs = std::array<double, 5>;
inline constexpr bs_inputs bs_point{100.0, 105.0, 0.75, 0.03, 0.25};

[[gnu::noinline]] inline double bs_primal(const bs_inputs& p) { return std::apply(black_scholes, p); }

[[gnu::noinline]] inline bs_inputs bs_janus_grad(const bs_inputs& p) {
  return std::apply(janus::grad(black_scholes), p);
}

// The tape functions start from an empty tape: backward() sweeps all that
// was recorded before its variable, so leftovers of another problem would be
// swept too.

/// The whole price as one fused tape statement with five operands.
[[gnu::noinline]] inline bs_inputs bs_janus_tape_fused(const bs_inputs& p) {
  janus::tape::reset();
  const var S = p[0], K = p[1], T = p[2], r = p[3], sigma = p[4];
  const var price = janus::tape::fuse(black_scholes, S, K, T, r, sigma);
  price.backward();
  return {S.grad(), K.grad(), T.grad(), r.grad(), sigma.grad()};
}

// ---------------------------------------------------------------------------
// P2. Rosenbrock: sum over i < N - 1 of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2.

using bench_problems::rosenbrock_term;

inline std::vector<double> rosenbrock_point(std::size_t n) { return uniform_values(n, -2.0, 2.0, 1); }

[[gnu::noinline]] inline double rosenbrock_primal(std::span<const double> x) {
  double total = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) total += rosenbrock_term(x[i], x[i + 1]);
  return total;
}

/// The gradient written by hand, over any N: each term adds to the gradient of
/// its two variables, d/da = -400 a (b - a^2) - 2 (1 - a), d/db = 200 (b - a^2)
/// (the `expert` of bench/tape_scalar.cpp, which bench/static_engine.cpp has
/// for ten compile-time inputs).
[[gnu::noinline]] inline void rosenbrock_expert(std::span<const double> x, std::span<double> g) {
  std::fill(g.begin(), g.end(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * r;
  }
}

/// The static engine over N compile-time leaves: the sum of N - 1 terms is
/// one expression, its sweep straight-line code.
template <std::size_t N>
[[gnu::noinline]] std::array<double, N> rosenbrock_janus_grad(std::span<const double> x) {
  const auto f = [](auto... leaves) {
    const std::tuple args{leaves...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (rosenbrock_term(std::get<I>(args), std::get<I + 1>(args)) + ...);
    }
    (std::make_index_sequence<N - 1>{});
  };
  return [&]<std::size_t... I>(std::index_sequence<I...>) { return janus::grad(f)(x[I]...); }
  (std::make_index_sequence<N>{});
}

/// The gradient at x by the scalar tape: x made leaves, `record(leaves)`
/// giving the function's value, the sweep, the gradients read into
/// `gradient`. `leaves` is kept between calls so that its memory is reused,
/// as a loop calling this would.
template <class Record>
[[gnu::always_inline]] inline void tape_gradient(std::span<const double> x, std::vector<var>& leaves,
                                                 std::span<double> gradient, Record record) {
  janus::tape::reset();
  leaves.resize(x.size());
  janus::tape::make_leaves(x, leaves);
  record(std::as_const(leaves)).backward();
  janus::tape::read_gradients(leaves, gradient);
}

/// One fused statement per term.
[[gnu::noinline]] inline void rosenbrock_janus_tape_fused(std::span<const double> x, std::vector<var>& leaves,
                                                          std::span<double> gradient) {
  tape_gradient(x, leaves, gradient, [](const std::vector<var>& v) {
    var total = 0.0;
    for (std::size_t i = 0; i + 1 < v.size(); ++i)
      total = janus::tape::fuse([](auto sum, auto a, auto b) { return sum + rosenbrock_term(a, b); }, total, v[i],
                                v[i + 1]);
    return total;
  });
}

/// The whole sum as one statement, over the windows of two neighbours.
[[gnu::noinline]] inline void rosenbrock_janus_tape_sum(std::span<const double> x, std::vector<var>& leaves,
                                                        std::span<double> gradient) {
  tape_gradient(x, leaves, gradient, [](const std::vector<var>& v) {
    return janus::tape::sum_windows<2>(v, [](auto a, auto b, std::size_t) { return rosenbrock_term(a, b); });
  });
}

// ---------------------------------------------------------------------------
// P3. log(sum(exp(x))) over 1000 inputs, shifted by the largest for
// stability (a constant shift: the gradient does not depend on it).

inline std::vector<double> log_sum_exp_point() { return uniform_values(1000, -5.0, 5.0, 6); }

[[gnu::noinline]] inline double log_sum_exp_primal(std::span<const double> x) {
  const double largest = *std::max_element(x.begin(), x.end());
  double sum = 0;
  for (const double xi : x) sum += std::exp(xi - largest);
  return std::log(sum) + largest;
}

[[gnu::noinline]] inline void log_sum_exp_janus_tape_fused(std::span<const double> x, std::vector<var>& leaves,
                                                           std::span<double> gradient) {
  const double largest = *std::max_element(x.begin(), x.end());
  tape_gradient(x, leaves, gradient, [largest](const std::vector<var>& v) {
    var sum = 0.0;
    for (const auto& xi : v) sum = janus::tape::fuse([largest](auto s, auto e) { return s + exp(e - largest); }, sum, xi);
    return log(sum) + largest;
  });
}

/// The sum of exponentials as one statement (janus::tape::sum_each).
[[gnu::noinline]] inline void log_sum_exp_janus_tape_sum(std::span<const double> x, std::vector<var>& leaves,
                                                         std::span<double> gradient) {
  const double largest = *std::max_element(x.begin(), x.end());
  tape_gradient(x, leaves, gradient, [largest](const std::vector<var>& v) {
    return log(janus::tape::sum_each(v, [largest](auto e, std::size_t) { return exp(e - largest); })) + largest;
  });
}

// ---------------------------------------------------------------------------
// P4. The normal log-likelihood of 1000 observations as a function of
// (mu, sigma): -1/2 sum ((x_i - mu) / sigma)^2 - n log sigma - n log sqrt(2 pi).

using bench_problems::half_log_2pi;
using bench_problems::observations;

using likelihood_inputs = std::array<double, 2>;  // mu, sigma
inline constexpr likelihood_inputs likelihood_point{1.2, 1.8};

[[gnu::noinline]] inline double likelihood_primal(const likelihood_inputs& p) {
  const double mu = p[0], sigma = p[1];
  double total = 0;
  for (const double x : observations()) total += square((x - mu) / sigma);
  const double n = static_cast<double>(observations().size());
  return -0.5 * total - n * std::log(sigma) - n * half_log_2pi;
}

/// The static engine, the sum over the data written with janus::sum.
[[gnu::noinline]] inline likelihood_inputs likelihood_janus_grad(const likelihood_inputs& p) {
  return janus::grad(bench_problems::log_likelihood{&observations()})(p[0], p[1]);
}

[[gnu::noinline]] inline likelihood_inputs likelihood_janus_tape_fused(const likelihood_inputs& p) {
  janus::tape::reset();
  const var mu = p[0], sigma = p[1];
  var sum_of_squares = 0.0;
  for (const double x : observations())
    sum_of_squares = janus::tape::fuse([x](auto sum, auto m, auto s) { return sum + square((x - m) / s); },
                                       sum_of_squares, mu, sigma);
  const double n = static_cast<double>(observations().size());
  const var likelihood = -0.5 * sum_of_squares - n * log(sigma) - n * half_log_2pi;
  likelihood.backward();
  return {mu.grad(), sigma.grad()};
}

/// The sum over the observations as one statement (janus::tape::sum).
[[gnu::noinline]] inline likelihood_inputs likelihood_janus_tape_sum(const likelihood_inputs& p) {
  janus::tape::reset();
  const var mu = p[0], sigma = p[1];
  const var sum_of_squares =
      janus::tape::sum(observations(), [](double x, auto m, auto s) { return square((x - m) / s); }, mu, sigma);
  const double n = static_cast<double>(observations().size());
  const var likelihood = -0.5 * sum_of_squares - n * log(sigma) - n * half_log_2pi;
  likelihood.backward();
  return {mu.grad(), sigma.grad()};
}

// ---------------------------------------------------------------------------
// The Lennard-Jones pair potential of n atoms in reduced units: the sum over
// pairs i < j of 4 (s6^2 - s6), s6 = 1 / r^6, r^2 = dx^2 + dy^2 + dz^2, as a
// function of the 3n coordinates (x0, y0, z0, x1, ...).

inline constexpr std::size_t pair_atoms = 100;

/// 100 atoms on a 5 x 5 x 4 lattice of spacing 1.1 (the potential's minimum
/// is at 2^(1/6) = 1.12), each coordinate moved by up to 0.1: no two atoms
/// come closer than 0.9, where the terms and their derivatives stay moderate.
inline std::vector<double> pair_point() {
  const std::vector<double> jitter = uniform_values(3 * pair_atoms, -0.1, 0.1, 7);
  std::vector<double> r(3 * pair_atoms);
  for (std::size_t a = 0; a < pair_atoms; ++a) {
    const std::size_t cell[3] = {a % 5, a / 5 % 5, a / 25};
    for (std::size_t k = 0; k < 3; ++k) r[3 * a + k] = 1.1 * static_cast<double>(cell[k]) + jitter[3 * a + k];
  }
  return r;
}

[[gnu::noinline]] inline double pair_primal(std::span<const double> r) {
  const std::size_t n = r.size() / 3;
  double total = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = r[3 * i] - r[3 * j], dy = r[3 * i + 1] - r[3 * j + 1], dz = r[3 * i + 2] - r[3 * j + 2];
      const double r2 = dx * dx + dy * dy + dz * dz;
      const double s6 = 1.0 / (r2 * r2 * r2);
      total += 4.0 * (s6 * s6 - s6);
    }
  return total;
}

/// The forces written by hand, as a molecular-dynamics code has them: minus
/// the gradient. Per pair, dE/d(r^2) = (12 s6 - 24 s6^2) / r^2, so atom i is
/// pushed by (48 s6^2 - 24 s6) / r^2 (r_i - r_j) and atom j by the opposite;
/// atom i's force is summed in registers over its partners.
[[gnu::noinline]] inline void pair_forces(std::span<const double> r, std::span<double> forces) {
  const std::size_t n = r.size() / 3;
  std::fill(forces.begin(), forces.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = r[3 * i], yi = r[3 * i + 1], zi = r[3 * i + 2];
    double fx = 0, fy = 0, fz = 0;
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = xi - r[3 * j], dy = yi - r[3 * j + 1], dz = zi - r[3 * j + 2];
      const double inv_r2 = 1.0 / (dx * dx + dy * dy + dz * dz);
      const double s6 = inv_r2 * inv_r2 * inv_r2;
      const double c = (48.0 * s6 * s6 - 24.0 * s6) * inv_r2;
      fx += c * dx;
      fy += c * dy;
      fz += c * dz;
      forces[3 * j] -= c * dx;
      forces[3 * j + 1] -= c * dy;
      forces[3 * j + 2] -= c * dz;
    }
    forces[3 * i] += fx;
    forces[3 * i + 1] += fy;
    forces[3 * i + 2] += fz;
  }
}

}  // namespace peers
