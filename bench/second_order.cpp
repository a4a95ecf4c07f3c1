// bench/second_order.cpp: second derivatives from the static engine
// (forward over reverse: janus::grad on dual numbers) against the gradient
// and against a hand-written set of second-order formulas.
//
//   grad        janus::grad(f), the reference time;
//   hvp         janus::hvp(f, x, v), one Hessian-vector product;
//   hessian     janus::hessian(f), the whole Hessian (one sweep on
//               multiduals where the arguments travel by value, N products
//               past that);
//   hessian_multidual  the Hessian in one sweep: janus::grad(f) on
//               janus::multidual<double, N> seeded with the unit vectors;
//   hessian_by_hvps    the Hessian as N calls of janus::hvp;
//   expert      Black-Scholes only: the 15 distinct second derivatives of the
//               call price written out in closed form, sharing d1, d2 and
//               the densities, as a person would.
//
// Each variant is checked once, outside the timed loop, against a reference
// (the expert against central differences of janus::grad, janus's Hessian
// against the expert, janus's products against the expert's Hessian times
// the vector, Rosenbrock's against its closed-form Hessian) and reports an
// error instead of a time where they disagree. Goals (docs/second_order.md):
// hvp at most 4x grad, the Black-Scholes Hessian at most 2x the expert.
#include <benchmark/benchmark.h>

#include <janus/janus.hpp>

#include "formulas.hpp"
#include "static_checks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <tuple>
#include <utility>

namespace {

using namespace bench_checks;

template <std::size_t N>
using matrix = std::array<std::array<double, N>, N>;

using bench_checks::agree;

template <std::size_t N>
bool agree(const matrix<N>& a, const matrix<N>& b, double tolerance) {
  for (std::size_t i = 0; i < N; ++i)
    if (!bench_checks::agree(a[i], b[i], tolerance)) return false;
  return true;
}

template <std::size_t N>
vec<N> times(const matrix<N>& m, const vec<N>& v) {
  vec<N> result{};
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < N; ++j) result[i] += m[i][j] * v[j];
  return result;
}

// ---------------------------------------------------------------------------
// Black-Scholes, with respect to (S, K, T, r, sigma).

using bench_problems::black_scholes;
using bs_inputs = vec<5>;
constexpr bs_inputs bs_point{100.0, 105.0, 0.75, 0.03, 0.25};
constexpr bs_inputs bs_direction{0.4, -0.3, 0.2, 0.5, -0.1};

// The Hessian of the call price C = S N(d1) - K e^(-rT) N(d2), entry by
// entry, from the first-order Greeks differentiated once more: with
// phi = N'(d1), phi2 = N'(d2), D = e^(-rT), sd = sigma sqrt(T) and
// d1_T = (r + sigma^2/2) / sd - d1 / 2T, d2_T = (r - sigma^2/2) / sd - d2 / 2T
// (the derivatives of d1 and d2 in T).
[[gnu::noinline]] matrix<5> bs_expert(const bs_inputs& p) {
  const double S = p[0], K = p[1], T = p[2], r = p[3], sigma = p[4];
  const double sqrt_t = std::sqrt(T);
  const double sd = sigma * sqrt_t;
  const double half_var = 0.5 * sigma * sigma;
  const double d1 = (std::log(S / K) + (r + half_var) * T) / sd;
  const double d2 = d1 - sd;
  const double phi = std::numbers::inv_sqrtpi * bench_problems::inv_sqrt2 * std::exp(-0.5 * d1 * d1);
  const double D = std::exp(-r * T);
  const double n2 = 0.5 * std::erfc(-bench_problems::inv_sqrt2 * d2);
  const double s_phi = S * phi;         // = K D phi2
  const double kd = K * D;
  const double kd_phi2 = s_phi;
  const double d1_T = (r + half_var) / sd - d1 / (2 * T);
  const double d2_T = (r - half_var) / sd - d2 / (2 * T);
  const double t_over_sd = sqrt_t / sigma;
  matrix<5> h{};
  const double ss = phi / (S * sd);
  const double sk = -phi / (K * sd);
  const double st = phi * d1_T;
  const double sr = phi * t_over_sd;
  const double sv = -phi * d2 / sigma;
  const double kk = s_phi / (K * K * sd);
  const double kt = r * D * n2 - kd_phi2 / K * d2_T;
  const double kr = T * D * n2 - kd_phi2 / K * t_over_sd;
  const double kv = kd_phi2 / K * d1 / sigma;
  const double rr = T * T * (kd_phi2 / sd - kd * n2);
  const double rv = -T * kd_phi2 * d1 / sigma;
  const double vv = s_phi * sqrt_t * d1 * d2 / sigma;
  const double rt = kd * n2 * (1 - r * T) + T * kd_phi2 * d2_T;
  const double vt = s_phi * (0.5 / sqrt_t - d1 * d1_T * sqrt_t);
  const double tt = 0.5 * sigma * s_phi / sqrt_t * (-d1 * d1_T - 0.5 / T) + r * (-r * kd * n2 + kd_phi2 * d2_T);
  h[0] = {ss, sk, st, sr, sv};
  h[1] = {sk, kk, kt, kr, kv};
  h[2] = {st, kt, tt, rt, vt};
  h[3] = {sr, kr, rt, rr, rv};
  h[4] = {sv, kv, vt, rv, vv};
  return h;
}

[[gnu::noinline]] bs_inputs bs_grad(const bs_inputs& p) {
  return janus::grad(black_scholes)(p[0], p[1], p[2], p[3], p[4]);
}

[[gnu::noinline]] bs_inputs bs_hvp(const bs_inputs& p) { return janus::hvp(black_scholes, p, bs_direction); }

[[gnu::noinline]] matrix<5> bs_hessian(const bs_inputs& p) {
  return janus::hessian(black_scholes)(p[0], p[1], p[2], p[3], p[4]);
}

/// The Hessian from one gradient sweep on multiduals, tangent i along x_i.
template <class F, std::size_t N>
matrix<N> hessian_multidual(const F& f, const vec<N>& p) {
  using seeded = janus::multidual<double, N>;
  const auto unit = [](std::size_t i) {
    vec<N> e{};
    e[i] = 1;
    return e;
  };
  const auto g = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return janus::grad(f)(seeded{p[I], unit(I)}...);
  }(std::make_index_sequence<N>{});
  matrix<N> rows{};
  for (std::size_t i = 0; i < N; ++i) rows[i] = g[i].tangents();
  return rows;
}

/// The Hessian as N Hessian-vector products along the unit vectors.
template <class F, std::size_t N>
matrix<N> hessian_by_hvps(const F& f, const vec<N>& p) {
  matrix<N> rows{};
  for (std::size_t i = 0; i < N; ++i) {
    vec<N> unit{};
    unit[i] = 1;
    rows[i] = janus::hvp(f, p, unit);
  }
  return rows;
}

[[gnu::noinline]] matrix<5> bs_hessian_multidual(const bs_inputs& p) { return hessian_multidual(black_scholes, p); }
[[gnu::noinline]] matrix<5> bs_hessian_by_hvps(const bs_inputs& p) { return hessian_by_hvps(black_scholes, p); }

/// The expert's Hessian against central differences of janus::grad
/// (Richardson-extrapolated), which bench/static_engine.cpp checks in turn.
bool check_bs_expert(benchmark::State& state) {
  const matrix<5> expert = bs_expert(bs_point);
  matrix<5> differences{};
  for (std::size_t i = 0; i < 5; ++i) {
    const auto at = [&](double step) {
      bs_inputs above = bs_point;
      bs_inputs below = bs_point;
      above[i] += step;
      below[i] -= step;
      const bs_inputs ga = bs_grad(above);
      const bs_inputs gb = bs_grad(below);
      bs_inputs d{};
      for (std::size_t j = 0; j < 5; ++j) d[j] = (ga[j] - gb[j]) / (2 * step);
      return d;
    };
    const double h = 1e-3 * std::max(0.1, std::abs(bs_point[i]));
    const bs_inputs wide = at(h);
    const bs_inputs narrow = at(h / 2);
    for (std::size_t j = 0; j < 5; ++j) differences[i][j] = (4 * narrow[j] - wide[j]) / 3;
  }
  if (agree(expert, differences, 1e-6)) return true;
  state.SkipWithError("the hand-written Hessian disagrees with differences of the gradient");
  return false;
}

void black_scholes_grad(benchmark::State& state) { time_it(state, bs_point, bs_grad); }

void black_scholes_hvp(benchmark::State& state) {
  if (!check_bs_expert(state)) return;
  if (!agree(bs_hvp(bs_point), times(bs_expert(bs_point), bs_direction), 1e-10)) {
    state.SkipWithError("janus::hvp disagrees with the hand-written Hessian");
    return;
  }
  time_it(state, bs_point, bs_hvp);
}

void black_scholes_hessian(benchmark::State& state) {
  if (!check_bs_expert(state)) return;
  if (!agree(bs_hessian(bs_point), bs_expert(bs_point), 1e-10)) {
    state.SkipWithError("janus::hessian disagrees with the hand-written Hessian");
    return;
  }
  time_it(state, bs_point, bs_hessian);
}

void black_scholes_hessian_multidual(benchmark::State& state) {
  if (!check_bs_expert(state)) return;
  if (!agree(bs_hessian_multidual(bs_point), bs_expert(bs_point), 1e-10)) {
    state.SkipWithError("the Hessian on multiduals disagrees with the hand-written Hessian");
    return;
  }
  time_it(state, bs_point, bs_hessian_multidual);
}

void black_scholes_hessian_by_hvps(benchmark::State& state) {
  if (!check_bs_expert(state)) return;
  if (!agree(bs_hessian_by_hvps(bs_point), bs_expert(bs_point), 1e-10)) {
    state.SkipWithError("the Hessian from janus::hvp disagrees with the hand-written Hessian");
    return;
  }
  time_it(state, bs_point, bs_hessian_by_hvps);
}

void black_scholes_hessian_expert(benchmark::State& state) {
  if (check_bs_expert(state)) time_it(state, bs_point, bs_expert);
}

// ---------------------------------------------------------------------------
// Rosenbrock over 10 scalar variables, as in bench/static_engine.cpp.

using bench_problems::rosenbrock_term;
constexpr std::size_t rosenbrock_size = 10;
using rosenbrock_inputs = vec<rosenbrock_size>;
constexpr rosenbrock_inputs rosenbrock_point{-1.2, 1.0, 0.3, -0.7, 2.0, 0.5, -0.4, 1.1, 0.8, -1.5};
constexpr rosenbrock_inputs rosenbrock_direction{0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.7, -0.8, 0.2, 0.6};

const auto rosenbrock = [](auto... x) {
  const auto args = std::tuple{x...};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return (rosenbrock_term(std::get<I>(args), std::get<I + 1>(args)) + ...);
  }(std::make_index_sequence<sizeof...(x) - 1>{});
};

/// The closed-form Hessian, tridiagonal.
matrix<rosenbrock_size> rosenbrock_exact(const rosenbrock_inputs& x) {
  matrix<rosenbrock_size> h{};
  for (std::size_t i = 0; i + 1 < rosenbrock_size; ++i) {
    h[i][i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
    h[i][i + 1] += -400 * x[i];
    h[i + 1][i] += -400 * x[i];
    h[i + 1][i + 1] += 200;
  }
  return h;
}

[[gnu::noinline]] rosenbrock_inputs rosenbrock_grad(const rosenbrock_inputs& p) {
  return std::apply([](auto... x) { return janus::grad(rosenbrock)(x...); }, p);
}

[[gnu::noinline]] rosenbrock_inputs rosenbrock_hvp(const rosenbrock_inputs& p) {
  return janus::hvp(rosenbrock, p, rosenbrock_direction);
}

[[gnu::noinline]] matrix<rosenbrock_size> rosenbrock_hessian(const rosenbrock_inputs& p) {
  return std::apply([](auto... x) { return janus::hessian(rosenbrock)(x...); }, p);
}

[[gnu::noinline]] matrix<rosenbrock_size> rosenbrock_hessian_multidual(const rosenbrock_inputs& p) {
  return hessian_multidual(rosenbrock, p);
}

[[gnu::noinline]] matrix<rosenbrock_size> rosenbrock_hessian_by_hvps(const rosenbrock_inputs& p) {
  return hessian_by_hvps(rosenbrock, p);
}

void rosenbrock_grad_bench(benchmark::State& state) { time_it(state, rosenbrock_point, rosenbrock_grad); }

void rosenbrock_hvp_bench(benchmark::State& state) {
  if (!agree(rosenbrock_hvp(rosenbrock_point), times(rosenbrock_exact(rosenbrock_point), rosenbrock_direction),
             1e-12)) {
    state.SkipWithError("janus::hvp disagrees with the closed-form Hessian");
    return;
  }
  time_it(state, rosenbrock_point, rosenbrock_hvp);
}

void rosenbrock_hessian_bench(benchmark::State& state) {
  if (!agree(rosenbrock_hessian(rosenbrock_point), rosenbrock_exact(rosenbrock_point), 1e-12)) {
    state.SkipWithError("janus::hessian disagrees with the closed-form Hessian");
    return;
  }
  time_it(state, rosenbrock_point, rosenbrock_hessian);
}

void rosenbrock_hessian_multidual_bench(benchmark::State& state) {
  if (!agree(rosenbrock_hessian_multidual(rosenbrock_point), rosenbrock_exact(rosenbrock_point), 1e-12)) {
    state.SkipWithError("the Hessian on multiduals disagrees with the closed-form Hessian");
    return;
  }
  time_it(state, rosenbrock_point, rosenbrock_hessian_multidual);
}

void rosenbrock_hessian_by_hvps_bench(benchmark::State& state) {
  if (!agree(rosenbrock_hessian_by_hvps(rosenbrock_point), rosenbrock_exact(rosenbrock_point), 1e-12)) {
    state.SkipWithError("the Hessian from janus::hvp disagrees with the closed-form Hessian");
    return;
  }
  time_it(state, rosenbrock_point, rosenbrock_hessian_by_hvps);
}

// Rosenbrock of 4 and 8 arguments, where the choice between one sweep on
// multiduals and N products is made (static/hessian.hpp).
template <std::size_t N>
vec<N> small_point() {
  vec<N> p{};
  for (std::size_t i = 0; i < N; ++i) p[i] = rosenbrock_point[i];
  return p;
}

template <std::size_t N>
[[gnu::noinline]] matrix<N> small_hessian_multidual(const vec<N>& p) {
  return hessian_multidual(rosenbrock, p);
}

template <std::size_t N>
[[gnu::noinline]] matrix<N> small_hessian_by_hvps(const vec<N>& p) {
  return hessian_by_hvps(rosenbrock, p);
}

template <std::size_t N>
void small_rosenbrock_multidual(benchmark::State& state) {
  if (!agree(small_hessian_multidual(small_point<N>()), small_hessian_by_hvps(small_point<N>()), 1e-12)) {
    state.SkipWithError("the Hessian on multiduals disagrees with the one from janus::hvp");
    return;
  }
  time_it(state, small_point<N>(), small_hessian_multidual<N>);
}

template <std::size_t N>
void small_rosenbrock_by_hvps(benchmark::State& state) {
  time_it(state, small_point<N>(), small_hessian_by_hvps<N>);
}

}  // namespace

BENCHMARK(black_scholes_grad)->Name("P1_black_scholes/grad");
BENCHMARK(black_scholes_hvp)->Name("P1_black_scholes/hvp");
BENCHMARK(black_scholes_hessian)->Name("P1_black_scholes/hessian");
BENCHMARK(black_scholes_hessian_multidual)->Name("P1_black_scholes/hessian_multidual");
BENCHMARK(black_scholes_hessian_by_hvps)->Name("P1_black_scholes/hessian_by_hvps");
BENCHMARK(black_scholes_hessian_expert)->Name("P1_black_scholes/hessian_expert");
BENCHMARK(rosenbrock_grad_bench)->Name("P3_rosenbrock10/grad");
BENCHMARK(rosenbrock_hvp_bench)->Name("P3_rosenbrock10/hvp");
BENCHMARK(rosenbrock_hessian_bench)->Name("P3_rosenbrock10/hessian");
BENCHMARK(rosenbrock_hessian_multidual_bench)->Name("P3_rosenbrock10/hessian_multidual");
BENCHMARK(rosenbrock_hessian_by_hvps_bench)->Name("P3_rosenbrock10/hessian_by_hvps");

BENCHMARK(small_rosenbrock_multidual<4>)->Name("rosenbrock4/hessian_multidual");
BENCHMARK(small_rosenbrock_by_hvps<4>)->Name("rosenbrock4/hessian_by_hvps");
BENCHMARK(small_rosenbrock_multidual<8>)->Name("rosenbrock8/hessian_multidual");
BENCHMARK(small_rosenbrock_by_hvps<8>)->Name("rosenbrock8/hessian_by_hvps");

BENCHMARK_MAIN();
