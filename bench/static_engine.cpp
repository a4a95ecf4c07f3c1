// bench/static_engine.cpp: the static engine against hand-written gradients.
//
// Five problems (Black-Scholes, a rational function, Rosenbrock over ten
// variables, a normal log-likelihood, a normal mixture's), each timed in these
// variants side by side, so that one run gives ratios that hold on a noisy
// machine (the mixture has no mechanical variant: its goal is against the
// expert's):
//   primal       the function value only, plain double code;
//   expert       a gradient written by a person who knows the calculus
//                (closed forms, shared subexpressions);
//   mechanical   the reverse sweep of the same formula written by hand, line
//                by line, using only each operation's local derivative and no
//                algebraic identity: the floor for any automatic method;
//   grad         janus::grad(f), the gradient only;
//   value_and_grad  janus::value_and_grad(f), the value and the gradient.
//
// Each variant checks once, outside the timed loop, that its result matches
// the expert's (the expert's is checked against finite differences of the
// primal, the primal against janus::value), and reports an error instead of
// a time otherwise. Inputs pass through benchmark::DoNotOptimize on every
// iteration, so the compiler cannot fold the computation to a constant.
#include <benchmark/benchmark.h>

#include <janus/janus.hpp>

#include "formulas.hpp"
#include "static_checks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using namespace bench_checks;

// ---------------------------------------------------------------------------
// P1. Black-Scholes: the price of a European call and its five first-order
// sensitivities, with respect to (S, K, T, r, sigma).

using bench_problems::black_scholes;
using bench_problems::inv_sqrt2;
constexpr double inv_sqrt2pi = std::numbers::inv_sqrtpi * inv_sqrt2;
constexpr double two_over_sqrtpi = 2 * std::numbers::inv_sqrtpi;

// The same with `const auto` intermediates. GCC 12 does not break up (SRA) a
// const local aggregate that an inlined call stores into, so the expression
// objects named d1, d2 and sd stay in memory; this variant keeps that cost visible.
const auto black_scholes_const_locals = [](auto S, auto K, auto T, auto r, auto sigma) {
  using std::erfc;
  using std::exp;
  using std::log;
  using std::sqrt;
  const auto sd = sigma * sqrt(T);
  const auto d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  const auto d2 = d1 - sd;
  return S * (0.5 * erfc(-inv_sqrt2 * d1)) - K * exp(-r * T) * (0.5 * erfc(-inv_sqrt2 * d2));
};

using bs_inputs = vec<5>;  // S, K, T, r, sigma
constexpr bs_inputs bs_point{100.0, 105.0, 0.75, 0.03, 0.25};

[[gnu::noinline]] double bs_primal(const bs_inputs& p) { return black_scholes(p[0], p[1], p[2], p[3], p[4]); }

// The Greeks in closed form: delta = N(d1), dC/dK = -e^{-rT} N(d2),
// dC/dT = S phi(d1) sigma / (2 sqrt T) + r K e^{-rT} N(d2) (theta is its
// negative), rho = T K e^{-rT} N(d2), vega = S phi(d1) sqrt T.
[[gnu::noinline]] bs_inputs bs_expert(const bs_inputs& p) {
  const double S = p[0], K = p[1], T = p[2], r = p[3], sigma = p[4];
  const double sqrt_t = std::sqrt(T);
  const double sd = sigma * sqrt_t;
  const double d1 = (std::log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  const double d2 = d1 - sd;
  const double n1 = 0.5 * std::erfc(-inv_sqrt2 * d1);
  const double n2 = 0.5 * std::erfc(-inv_sqrt2 * d2);
  const double s_phi = S * inv_sqrt2pi * std::exp(-0.5 * d1 * d1);
  const double disc_n2 = std::exp(-r * T) * n2;
  const double k_disc_n2 = K * disc_n2;
  return {n1, -disc_n2, s_phi * sigma / (2 * sqrt_t) + r * k_disc_n2, T * k_disc_n2, s_phi * sqrt_t};
}

// The reverse sweep of `black_scholes`, one line per local derivative. Only
// the forward values that some pullback reads are computed.
[[gnu::noinline]] bs_inputs bs_mechanical(const bs_inputs& p) {
  const double S = p[0], K = p[1], T = p[2], r = p[3], sigma = p[4];
  constexpr double c = -inv_sqrt2;
  // forward
  const double t1 = std::sqrt(T);
  const double sd = sigma * t1;
  const double q = S / K;
  const double lq = std::log(q);
  const double a = 0.5 * sigma;
  const double b = a * sigma;
  const double rb = r + b;
  const double e = rb * T;
  const double num = lq + e;
  const double d1 = num / sd;
  const double d2 = d1 - sd;
  const double u1 = c * d1;
  const double e1 = std::erfc(u1);
  const double n1 = 0.5 * e1;
  const double nr = -r;
  const double m = nr * T;
  const double disc = std::exp(m);
  const double kd = K * disc;
  const double u2 = c * d2;
  const double e2 = std::erfc(u2);
  const double n2 = 0.5 * e2;
  // reverse: price = p1 - p2, p1 = S * n1, p2 = kd * n2
  const double g_p1 = 1.0;
  const double g_p2 = -1.0;
  const double g_kd = g_p2 * n2;
  const double g_n2 = g_p2 * kd;
  const double g_e2 = g_n2 * 0.5;
  const double g_u2 = -g_e2 * two_over_sqrtpi * std::exp(-u2 * u2);
  const double g_d2 = g_u2 * c;
  double g_K = g_kd * disc;
  const double g_disc = g_kd * K;
  const double g_m = g_disc * disc;
  const double g_nr = g_m * T;
  double g_T = g_m * nr;
  double g_r = -g_nr;
  double g_S = g_p1 * n1;
  const double g_n1 = g_p1 * S;
  const double g_e1 = g_n1 * 0.5;
  const double g_u1 = -g_e1 * two_over_sqrtpi * std::exp(-u1 * u1);
  double g_d1 = g_u1 * c;
  g_d1 += g_d2;
  double g_sd = -g_d2;
  const double g_num_ = g_d1 / sd;
  g_sd += -g_num_ * d1;
  const double g_lq = g_num_;
  const double g_e = g_num_;
  const double g_rb = g_e * T;
  g_T += g_e * rb;
  g_r += g_rb;
  const double g_b = g_rb;
  const double g_a = g_b * sigma;
  double g_sigma = g_b * a;
  g_sigma += g_a * 0.5;
  const double g_q = g_lq / q;
  const double g_qk = g_q / K;
  g_S += g_qk;
  g_K += -g_qk * q;
  g_sigma += g_sd * t1;
  const double g_t1 = g_sd * sigma;
  g_T += g_t1 / (t1 + t1);
  return {g_S, g_K, g_T, g_r, g_sigma};
}

[[gnu::noinline]] bs_inputs bs_grad(const bs_inputs& p) {
  return janus::grad(black_scholes)(p[0], p[1], p[2], p[3], p[4]);
}

[[gnu::noinline]] auto bs_value_and_grad(const bs_inputs& p) {
  return janus::value_and_grad(black_scholes, p[0], p[1], p[2], p[3], p[4]);
}

[[gnu::noinline]] bs_inputs bs_grad_const_locals(const bs_inputs& p) {
  return janus::grad(black_scholes_const_locals)(p[0], p[1], p[2], p[3], p[4]);
}

// ---------------------------------------------------------------------------
// P2. A rational function of four variables, 20 arithmetic operations.

const auto rational = [](auto x, auto y, auto z, auto w) {
  return (x * y + z * w) / (x - y + 3.0) + (x * z - y * w) / (z * z + 1.0) - (x + y + z + w) / (x * w + 2.0);
};

using rational_inputs = vec<4>;
constexpr rational_inputs rational_point{1.5, -0.7, 0.9, 2.3};

[[gnu::noinline]] double rational_primal(const rational_inputs& p) {
  return rational(p[0], p[1], p[2], p[3]);
}

// f = A/B + C/D - E/F, by the quotient rule with the three reciprocals shared.
[[gnu::noinline]] rational_inputs rational_expert(const rational_inputs& p) {
  const double x = p[0], y = p[1], z = p[2], w = p[3];
  const double ib = 1.0 / (x - y + 3.0);
  const double id = 1.0 / (z * z + 1.0);
  const double iff = 1.0 / (x * w + 2.0);
  const double q1 = (x * y + z * w) * ib;
  const double q2 = (x * z - y * w) * id;
  const double q3 = (x + y + z + w) * iff;
  return {(y - q1) * ib + z * id - (1.0 - w * q3) * iff, (x + q1) * ib - w * id - iff,
          w * ib + (x - 2.0 * z * q2) * id - iff, z * ib - y * id - (1.0 - x * q3) * iff};
}

[[gnu::noinline]] rational_inputs rational_mechanical(const rational_inputs& p) {
  const double x = p[0], y = p[1], z = p[2], w = p[3];
  // forward (values that a pullback reads)
  const double a1 = x * y;
  const double a2 = z * w;
  const double a3 = a1 + a2;
  const double a4 = x - y;
  const double a5 = a4 + 3.0;
  const double a6 = a3 / a5;
  const double a7 = x * z;
  const double a8 = y * w;
  const double a9 = a7 - a8;
  const double a11 = z * z + 1.0;
  const double a12 = a9 / a11;
  const double a16 = x + y + z + w;
  const double a18 = x * w + 2.0;
  const double a19 = a16 / a18;
  // reverse: f = a13 - a19, a13 = a6 + a12
  const double g13 = 1.0;
  const double g19 = -1.0;
  const double t19 = g19 / a18;
  const double g16 = t19;
  const double g18 = -t19 * a19;
  const double g17 = g18;  // a18 = a17 + 2, a17 = x * w
  double gx = g17 * w;
  double gw = g17 * x;
  const double g15 = g16;  // a16 = a15 + w
  gw += g16;
  const double g14 = g15;  // a15 = a14 + z, a14 = x + y
  double gz = g15;
  gx += g14;
  double gy = g14;
  const double g6 = g13;
  const double g12 = g13;
  const double t12 = g12 / a11;
  const double g9 = t12;
  const double g11 = -t12 * a12;
  const double g10 = g11;  // a11 = a10 + 1, a10 = z * z
  gz += g10 * z;
  gz += g10 * z;
  const double g7 = g9;
  const double g8 = -g9;
  gy += g8 * w;
  gw += g8 * y;
  gx += g7 * z;
  gz += g7 * x;
  const double t6 = g6 / a5;
  const double g3 = t6;
  const double g5 = -t6 * a6;
  const double g4 = g5;
  gx += g4;
  gy += -g4;
  const double g1 = g3;
  const double g2 = g3;
  gz += g2 * w;
  gw += g2 * z;
  gx += g1 * y;
  gy += g1 * x;
  return {gx, gy, gz, gw};
}

[[gnu::noinline]] rational_inputs rational_grad(const rational_inputs& p) {
  return janus::grad(rational)(p[0], p[1], p[2], p[3]);
}

[[gnu::noinline]] auto rational_value_and_grad(const rational_inputs& p) {
  return janus::value_and_grad(rational, p[0], p[1], p[2], p[3]);
}

// ---------------------------------------------------------------------------
// Rosenbrock over 10 variables: the sum over i < 9 of
// 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, one static expression of ten leaves.

using bench_problems::rosenbrock_term;

constexpr std::size_t rosenbrock_size = 10;
using rosenbrock_inputs = vec<rosenbrock_size>;
constexpr rosenbrock_inputs rosenbrock_point{-1.2, 1.0, 0.3, -0.7, 2.0, 0.5, -0.4, 1.1, 0.8, -1.5};

const auto rosenbrock = [](auto... x) {
  const std::tuple args{x...};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return (rosenbrock_term(std::get<I>(args), std::get<I + 1>(args)) + ...);
  }(std::make_index_sequence<sizeof...(x) - 1>{});
};

[[gnu::noinline]] double rosenbrock_primal(const rosenbrock_inputs& p) { return std::apply(rosenbrock, p); }

// Closed form: each term adds to the gradient of its two variables.
[[gnu::noinline]] rosenbrock_inputs rosenbrock_expert(const rosenbrock_inputs& p) {
  rosenbrock_inputs g{};
  for (std::size_t i = 0; i + 1 < rosenbrock_size; ++i) {
    const double r = p[i + 1] - p[i] * p[i];
    g[i] += -400.0 * p[i] * r - 2.0 * (1.0 - p[i]);
    g[i + 1] += 200.0 * r;
  }
  return g;
}

// Line by line: forward the locals of each term, then their adjoints in
// reverse, with each operation's local derivative only.
[[gnu::noinline]] rosenbrock_inputs rosenbrock_mechanical(const rosenbrock_inputs& p) {
  rosenbrock_inputs g{};
  for (std::size_t i = 0; i + 1 < rosenbrock_size; ++i) {
    const double a = p[i], b = p[i + 1];
    const double aa = a * a;      // v1
    const double r = b - aa;      // v2
    const double s = 1.0 - a;     // v3
    // term = 100 * r^2 + s^2; its adjoint is 1
    const double r_bar = 100.0 * 2.0 * r;
    const double s_bar = 2.0 * s;
    const double aa_bar = -r_bar;
    g[i + 1] += r_bar;
    g[i] += aa_bar * 2.0 * a - s_bar;
  }
  return g;
}

[[gnu::noinline]] rosenbrock_inputs rosenbrock_grad(const rosenbrock_inputs& p) {
  return std::apply([](auto... x) { return janus::grad(rosenbrock)(x...); }, p);
}

// ---------------------------------------------------------------------------
// P3. The log-likelihood of n normal observations as a function of
// (mu, sigma): -1/2 sum ((x_i - mu) / sigma)^2 - n log sigma - n log sqrt(2 pi).

using bench_problems::half_log_2pi;
using bench_problems::log_likelihood;
using bench_problems::observations;

using likelihood_inputs = vec<2>;  // mu, sigma
constexpr likelihood_inputs likelihood_point{1.2, 1.8};

[[gnu::noinline]] double likelihood_primal(const std::vector<double>& data, const likelihood_inputs& p) {
  const double mu = p[0], sigma = p[1];
  double total = 0;
  for (double x : data) {
    const double z = (x - mu) / sigma;
    total += z * z;
  }
  const double n = static_cast<double>(data.size());
  return -0.5 * total - n * std::log(sigma) - n * half_log_2pi;
}

// dL/dmu = sum(x - mu) / sigma^2, dL/dsigma = -n / sigma + sum (x - mu)^2 / sigma^3.
[[gnu::noinline]] likelihood_inputs likelihood_expert(const std::vector<double>& data,
                                                      const likelihood_inputs& p) {
  const double mu = p[0], sigma = p[1];
  double s1 = 0, s2 = 0;
  for (double x : data) {
    const double d = x - mu;
    s1 += d;
    s2 += d * d;
  }
  const double n = static_cast<double>(data.size());
  const double inv_var = 1.0 / (sigma * sigma);
  return {s1 * inv_var, (s2 * inv_var - n) / sigma};
}

// The sum's adjoint is the constant -1/2 (the outer pullbacks read no sum
// value), so one pass over the data does each term's forward and reverse.
[[gnu::noinline]] likelihood_inputs likelihood_mechanical(const std::vector<double>& data,
                                                          const likelihood_inputs& p) {
  const double mu = p[0], sigma = p[1];
  const double n = static_cast<double>(data.size());
  const double g_sum = 1.0 * -0.5;
  double g_mu = 0, g_sigma = 0;
  for (double x : data) {
    const double d = x - mu;
    const double z = d / sigma;
    const double g_z = g_sum * (z + z);
    const double g_d = g_z / sigma;
    g_sigma += -g_d * z;
    g_mu += -g_d;
  }
  const double g_log = -1.0 * n;
  g_sigma += g_log / sigma;
  return {g_mu, g_sigma};
}

[[gnu::noinline]] likelihood_inputs likelihood_grad(const std::vector<double>& data,
                                                    const likelihood_inputs& p) {
  return janus::grad(log_likelihood{&data})(p[0], p[1]);
}

[[gnu::noinline]] auto likelihood_value_and_grad(const std::vector<double>& data,
                                                 const likelihood_inputs& p) {
  return janus::value_and_grad(log_likelihood{&data}, p[0], p[1]);
}

// ---------------------------------------------------------------------------
// P3b. The log-likelihood of a two-component normal mixture (formulas.hpp):
// its weight and scales are subexpressions captured by the sum's body.

using bench_problems::mixture_log_likelihood;

using mixture_inputs = vec<5>;  // a, mu1, mu2, log s1, log s2
constexpr mixture_inputs mixture_point{0.3, 0.5, 2.5, 0.2, 0.6};

[[gnu::noinline]] double mixture_primal(const std::vector<double>& data, const mixture_inputs& p) {
  const double w = 1.0 / (1.0 + std::exp(-p[0]));
  const double s1 = std::exp(p[3]), s2 = std::exp(p[4]);
  double total = 0;
  for (double x : data) {
    const double z1 = (x - p[1]) / s1, z2 = (x - p[2]) / s2;
    total += std::log(w * std::exp(-0.5 * z1 * z1) / s1 + (1.0 - w) * std::exp(-0.5 * z2 * z2) / s2);
  }
  return total;
}

// Per point, with the responsibilities r_i = w_i phi_i / m of m = w phi1 +
// (1 - w) phi2: dL/dmu_i = r_i z_i / s_i, dL/dlog s_i = r_i (z_i^2 - 1),
// dL/dw = (phi1 - phi2) / m, and dw/da = w (1 - w). The weight, the scales
// and their reciprocals are computed once.
[[gnu::noinline]] mixture_inputs mixture_expert(const std::vector<double>& data, const mixture_inputs& p) {
  const double w = 1.0 / (1.0 + std::exp(-p[0]));
  const double inv_s1 = std::exp(-p[3]), inv_s2 = std::exp(-p[4]);
  double g_w = 0, g_mu1 = 0, g_mu2 = 0, g_l1 = 0, g_l2 = 0;
  for (double x : data) {
    const double z1 = (x - p[1]) * inv_s1, z2 = (x - p[2]) * inv_s2;
    const double phi1 = std::exp(-0.5 * z1 * z1) * inv_s1, phi2 = std::exp(-0.5 * z2 * z2) * inv_s2;
    const double inv_m = 1.0 / (w * phi1 + (1.0 - w) * phi2);
    const double r1 = w * phi1 * inv_m, r2 = (1.0 - w) * phi2 * inv_m;
    g_w += (phi1 - phi2) * inv_m;
    g_mu1 += r1 * z1;
    g_mu2 += r2 * z2;
    g_l1 += r1 * (z1 * z1 - 1.0);
    g_l2 += r2 * (z2 * z2 - 1.0);
  }
  return {g_w * w * (1.0 - w), g_mu1 * inv_s1, g_mu2 * inv_s2, g_l1, g_l2};
}

// The same with the value, as a user fitting the mixture writes it: one more
// log per point.
[[gnu::noinline]] std::pair<double, mixture_inputs> mixture_expert_value_and_grad(const std::vector<double>& data,
                                                                                const mixture_inputs& p) {
  const double w = 1.0 / (1.0 + std::exp(-p[0]));
  const double inv_s1 = std::exp(-p[3]), inv_s2 = std::exp(-p[4]);
  double total = 0, g_w = 0, g_mu1 = 0, g_mu2 = 0, g_l1 = 0, g_l2 = 0;
  for (double x : data) {
    const double z1 = (x - p[1]) * inv_s1, z2 = (x - p[2]) * inv_s2;
    const double phi1 = std::exp(-0.5 * z1 * z1) * inv_s1, phi2 = std::exp(-0.5 * z2 * z2) * inv_s2;
    const double m = w * phi1 + (1.0 - w) * phi2;
    const double inv_m = 1.0 / m;
    const double r1 = w * phi1 * inv_m, r2 = (1.0 - w) * phi2 * inv_m;
    total += std::log(m);
    g_w += (phi1 - phi2) * inv_m;
    g_mu1 += r1 * z1;
    g_mu2 += r2 * z2;
    g_l1 += r1 * (z1 * z1 - 1.0);
    g_l2 += r2 * (z2 * z2 - 1.0);
  }
  return {total, {g_w * w * (1.0 - w), g_mu1 * inv_s1, g_mu2 * inv_s2, g_l1, g_l2}};
}

[[gnu::noinline]] mixture_inputs mixture_grad(const std::vector<double>& data, const mixture_inputs& p) {
  return janus::grad(mixture_log_likelihood{&data})(p[0], p[1], p[2], p[3], p[4]);
}

[[gnu::noinline]] auto mixture_value_and_grad(const std::vector<double>& data, const mixture_inputs& p) {
  return janus::value_and_grad(mixture_log_likelihood{&data}, p[0], p[1], p[2], p[3], p[4]);
}

// ---------------------------------------------------------------------------
// The benchmarks. Every variant is one out-of-line function, so each pays the
// same call and can be found by name in a profile or a disassembly.

template <class Inputs, class Primal, class Expert, class Candidate>
bool check_value_and_grad(benchmark::State& state, const Inputs& p, Primal primal, Expert expert,
                          Candidate candidate, double tolerance) {
  const auto [value, gradient] = candidate(p);
  if (agree(gradient, expert(p), tolerance) && agree(value, primal(p), tolerance)) return true;
  state.SkipWithError("the value or the gradient disagrees with the primal and the expert's");
  return false;
}

constexpr double tolerance = 1e-10;

void black_scholes_primal(benchmark::State& state) {
  if (!agree(bs_primal(bs_point), value_with_janus(black_scholes, bs_point), tolerance)) {
    state.SkipWithError("the primal disagrees with janus::value");
    return;
  }
  time_it(state, bs_point, bs_primal);
}
void black_scholes_expert(benchmark::State& state) {
  if (check_expert(state, bs_point, bs_primal, bs_expert)) time_it(state, bs_point, bs_expert);
}
void black_scholes_mechanical(benchmark::State& state) {
  if (check(state, bs_point, bs_expert, bs_mechanical, tolerance)) time_it(state, bs_point, bs_mechanical);
}
void black_scholes_grad(benchmark::State& state) {
  if (check(state, bs_point, bs_expert, bs_grad, tolerance)) time_it(state, bs_point, bs_grad);
}
void black_scholes_grad_const_locals(benchmark::State& state) {
  if (check(state, bs_point, bs_expert, bs_grad_const_locals, tolerance))
    time_it(state, bs_point, bs_grad_const_locals);
}
void black_scholes_value_and_grad(benchmark::State& state) {
  if (check_value_and_grad(state, bs_point, bs_primal, bs_expert, bs_value_and_grad, tolerance))
    time_it(state, bs_point, bs_value_and_grad);
}

void rosenbrock_primal_bench(benchmark::State& state) {
  if (!agree(rosenbrock_primal(rosenbrock_point), value_with_janus(rosenbrock, rosenbrock_point), tolerance)) {
    state.SkipWithError("the primal disagrees with the static engine's value");
    return;
  }
  time_it(state, rosenbrock_point, rosenbrock_primal);
}
void rosenbrock_expert_bench(benchmark::State& state) {
  if (check_expert(state, rosenbrock_point, rosenbrock_primal, rosenbrock_expert))
    time_it(state, rosenbrock_point, rosenbrock_expert);
}
void rosenbrock_mechanical_bench(benchmark::State& state) {
  if (check(state, rosenbrock_point, rosenbrock_expert, rosenbrock_mechanical, tolerance))
    time_it(state, rosenbrock_point, rosenbrock_mechanical);
}
void rosenbrock_grad_bench(benchmark::State& state) {
  if (check(state, rosenbrock_point, rosenbrock_expert, rosenbrock_grad, tolerance))
    time_it(state, rosenbrock_point, rosenbrock_grad);
}

void rational_primal_bench(benchmark::State& state) {
  if (!agree(rational_primal(rational_point), value_with_janus(rational, rational_point), tolerance)) {
    state.SkipWithError("the primal disagrees with janus::value");
    return;
  }
  time_it(state, rational_point, rational_primal);
}
void rational_expert_bench(benchmark::State& state) {
  if (check_expert(state, rational_point, rational_primal, rational_expert))
    time_it(state, rational_point, rational_expert);
}
void rational_mechanical_bench(benchmark::State& state) {
  if (check(state, rational_point, rational_expert, rational_mechanical, tolerance))
    time_it(state, rational_point, rational_mechanical);
}
void rational_grad_bench(benchmark::State& state) {
  if (check(state, rational_point, rational_expert, rational_grad, tolerance))
    time_it(state, rational_point, rational_grad);
}
void rational_value_and_grad_bench(benchmark::State& state) {
  if (check_value_and_grad(state, rational_point, rational_primal, rational_expert, rational_value_and_grad,
                           tolerance))
    time_it(state, rational_point, rational_value_and_grad);
}

// Sums of 1000 terms in different orders: a looser tolerance.
constexpr double sum_tolerance = 1e-9;

void likelihood_primal_bench(benchmark::State& state) {
  const auto& data = observations();
  const double with_janus = value_with_janus(log_likelihood{&data}, likelihood_point);
  if (!agree(likelihood_primal(data, likelihood_point), with_janus, sum_tolerance)) {
    state.SkipWithError("the primal disagrees with janus::value");
    return;
  }
  time_it(state, likelihood_point, [&](const likelihood_inputs& p) { return likelihood_primal(data, p); });
}
void likelihood_expert_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto primal = [&](const likelihood_inputs& p) { return likelihood_primal(data, p); };
  const auto expert = [&](const likelihood_inputs& p) { return likelihood_expert(data, p); };
  if (check_expert(state, likelihood_point, primal, expert)) time_it(state, likelihood_point, expert);
}
void likelihood_mechanical_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto expert = [&](const likelihood_inputs& p) { return likelihood_expert(data, p); };
  const auto mechanical = [&](const likelihood_inputs& p) { return likelihood_mechanical(data, p); };
  if (check(state, likelihood_point, expert, mechanical, sum_tolerance))
    time_it(state, likelihood_point, mechanical);
}
void likelihood_grad_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto expert = [&](const likelihood_inputs& p) { return likelihood_expert(data, p); };
  const auto grad = [&](const likelihood_inputs& p) { return likelihood_grad(data, p); };
  if (check(state, likelihood_point, expert, grad, sum_tolerance)) time_it(state, likelihood_point, grad);
}
void likelihood_value_and_grad_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto primal = [&](const likelihood_inputs& p) { return likelihood_primal(data, p); };
  const auto expert = [&](const likelihood_inputs& p) { return likelihood_expert(data, p); };
  const auto both = [&](const likelihood_inputs& p) { return likelihood_value_and_grad(data, p); };
  if (check_value_and_grad(state, likelihood_point, primal, expert, both, sum_tolerance))
    time_it(state, likelihood_point, both);
}

void mixture_primal_bench(benchmark::State& state) {
  const auto& data = observations();
  const double with_janus = value_with_janus(mixture_log_likelihood{&data}, mixture_point);
  if (!agree(mixture_primal(data, mixture_point), with_janus, sum_tolerance)) {
    state.SkipWithError("the primal disagrees with janus::value");
    return;
  }
  time_it(state, mixture_point, [&](const mixture_inputs& p) { return mixture_primal(data, p); });
}
void mixture_expert_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto primal = [&](const mixture_inputs& p) { return mixture_primal(data, p); };
  const auto expert = [&](const mixture_inputs& p) { return mixture_expert(data, p); };
  if (check_expert(state, mixture_point, primal, expert)) time_it(state, mixture_point, expert);
}
void mixture_expert_value_and_grad_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto primal = [&](const mixture_inputs& p) { return mixture_primal(data, p); };
  const auto expert = [&](const mixture_inputs& p) { return mixture_expert(data, p); };
  const auto both = [&](const mixture_inputs& p) {
    const auto [value, gradient] = mixture_expert_value_and_grad(data, p);
    return janus::value_and_grad_result<double, mixture_inputs>{value, gradient};
  };
  if (check_value_and_grad(state, mixture_point, primal, expert, both, sum_tolerance))
    time_it(state, mixture_point, both);
}
void mixture_value_and_grad_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto primal = [&](const mixture_inputs& p) { return mixture_primal(data, p); };
  const auto expert = [&](const mixture_inputs& p) { return mixture_expert(data, p); };
  const auto both = [&](const mixture_inputs& p) { return mixture_value_and_grad(data, p); };
  if (check_value_and_grad(state, mixture_point, primal, expert, both, sum_tolerance))
    time_it(state, mixture_point, both);
}
void mixture_grad_bench(benchmark::State& state) {
  const auto& data = observations();
  const auto expert = [&](const mixture_inputs& p) { return mixture_expert(data, p); };
  const auto grad = [&](const mixture_inputs& p) { return mixture_grad(data, p); };
  if (check(state, mixture_point, expert, grad, sum_tolerance)) time_it(state, mixture_point, grad);
}

}  // namespace

BENCHMARK(black_scholes_primal)->Name("black_scholes/primal");
BENCHMARK(black_scholes_expert)->Name("black_scholes/expert");
BENCHMARK(black_scholes_mechanical)->Name("black_scholes/mechanical");
BENCHMARK(black_scholes_grad)->Name("black_scholes/janus_grad");
BENCHMARK(black_scholes_value_and_grad)->Name("black_scholes/janus_value_and_grad");
BENCHMARK(black_scholes_grad_const_locals)->Name("black_scholes/janus_grad_const_locals");

BENCHMARK(rosenbrock_primal_bench)->Name("rosenbrock/primal/10");
BENCHMARK(rosenbrock_expert_bench)->Name("rosenbrock/expert/10");
BENCHMARK(rosenbrock_mechanical_bench)->Name("rosenbrock/mechanical/10");
BENCHMARK(rosenbrock_grad_bench)->Name("rosenbrock/janus_grad/10");

BENCHMARK(rational_primal_bench)->Name("rational/primal");
BENCHMARK(rational_expert_bench)->Name("rational/expert");
BENCHMARK(rational_mechanical_bench)->Name("rational/mechanical");
BENCHMARK(rational_grad_bench)->Name("rational/janus_grad");
BENCHMARK(rational_value_and_grad_bench)->Name("rational/janus_value_and_grad");

BENCHMARK(likelihood_primal_bench)->Name("likelihood/primal/1000");
BENCHMARK(likelihood_expert_bench)->Name("likelihood/expert/1000");
BENCHMARK(likelihood_mechanical_bench)->Name("likelihood/mechanical/1000");
BENCHMARK(likelihood_grad_bench)->Name("likelihood/janus_grad/1000");
BENCHMARK(likelihood_value_and_grad_bench)->Name("likelihood/janus_value_and_grad/1000");

BENCHMARK(mixture_primal_bench)->Name("mixture/primal/1000");
BENCHMARK(mixture_expert_bench)->Name("mixture/expert/1000");
BENCHMARK(mixture_expert_value_and_grad_bench)->Name("mixture/expert_value_and_grad/1000");
BENCHMARK(mixture_grad_bench)->Name("mixture/janus_grad/1000");
BENCHMARK(mixture_value_and_grad_bench)->Name("mixture/janus_value_and_grad/1000");

BENCHMARK_MAIN();
