// bench_peer_adolc: janus against ADOL-C (operator overloading on a tape) on
// the scalar problems of problems.hpp, in one binary so that one run gives
// ratios. Per problem:
//   primal            the function value, plain double code;
//   janus_grad        the static engine, where the variables are few;
//   janus_tape_fused  janus's scalar tape, one fused statement per formula;
//   adolc_gradient    ADOL-C's fast path: the function taped once with
//                     trace_on/trace_off at start-up, then gradient(), which
//                     re-evaluates the tape forward and sweeps it back, per call;
//   adolc_retape      taping anew on every call (as code whose control flow
//                     depends on the point must), trace_on with the forward
//                     values kept, then one reverse() sweep.
// Before timing, every gradient is checked against janus's (1e-10 relative);
// the program stops with a message if one disagrees.
#include <adolc/adolc.h>

#include "problems.hpp"

namespace {

// ADOL-C has erf but no erfc on its active type; erfc(u) = 1 - erf(u) has the
// same derivative.
adub erfc(const badouble& u) { return 1.0 - erf(u); }
adub square(const badouble& u) { return u * u; }

// ---------------------------------------------------------------------------
// The formulas of problems.hpp on ADOL-C's active type, written as ADOL-C's
// users write them: active arguments by reference and named intermediates as
// adouble (copying an adouble records an assignment on the tape, and ADOL-C's
// expression temporaries cannot be copied).

adouble black_scholes(const std::vector<adouble>& x) {
  const adouble &S = x[0], &K = x[1], &T = x[2], &r = x[3], &sigma = x[4];
  const adouble sd = sigma * sqrt(T);
  const adouble d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  const adouble d2 = d1 - sd;
  return S * (0.5 * erfc(-peers::inv_sqrt2 * d1)) - K * exp(-r * T) * (0.5 * erfc(-peers::inv_sqrt2 * d2));
}

adouble rosenbrock(const std::vector<adouble>& x) {
  adouble total = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) total += 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
  return total;
}

/// `largest` is taken from the taping point; any constant shift gives the
/// same function, so the tape stays right at other points.
adouble log_sum_exp(const std::vector<adouble>& x, double largest) {
  adouble sum = 0.0;
  for (const adouble& xi : x) sum += exp(xi - largest);
  return log(sum) + largest;
}

adouble likelihood(const std::vector<adouble>& p) {
  const adouble &mu = p[0], &sigma = p[1];
  adouble total = 0.0;
  for (const double x : peers::observations()) total += square((x - mu) / sigma);
  const double n = static_cast<double>(peers::observations().size());
  return -0.5 * total - n * log(sigma) - n * peers::half_log_2pi;
}

/// Records `f` at `point` on tape `tag`; with `keep`, the forward values stay
/// for a reverse() sweep straight after.
template <class F>
void record(short tag, std::span<const double> point, const F& f, int keep = 0) {
  trace_on(tag, keep);
  std::vector<adouble> x(point.size());
  for (std::size_t i = 0; i < point.size(); ++i) x[i] <<= point[i];
  adouble y = f(x);
  double value = 0;
  y >>= value;
  trace_off();
}

/// One problem on ADOL-C: taped once under `tag` for gradient(), and taped
/// anew per call under `tag + 1` for the retaping variant.
template <class F>
struct adolc_problem {
  short tag;
  F f;

  adolc_problem(short tag_, std::span<const double> point, F f_) : tag(tag_), f(f_) { record(tag, point, f); }

  void gradient(std::span<const double> x, std::span<double> g) const {
    peers::require(::gradient(tag, static_cast<int>(x.size()), x.data(), g.data()) >= 0, "ADOL-C's gradient() failed");
  }

  void retape(std::span<const double> x, std::span<double> g) const {
    record(static_cast<short>(tag + 1), x, f, 1);
    peers::require(reverse(static_cast<short>(tag + 1), 1, static_cast<int>(x.size()), 0, 1.0, g.data()) >= 0,
                   "ADOL-C's reverse() failed");
  }
};

/// Checks both ADOL-C variants against janus's gradient at `point`, then
/// registers them under `prefix`.
template <class F>
void add_adolc(const peers::bench_name& prefix, const adolc_problem<F>& problem, const std::vector<double>& point,
               std::span<const double> janus_gradient) {
  std::vector<double> g(point.size());
  problem.gradient(point, g);
  peers::require(peers::agree<double>(g, janus_gradient, 1e-10),
                 (prefix.label() + ": ADOL-C's gradient and janus's disagree").c_str());
  problem.retape(point, g);
  peers::require(peers::agree<double>(g, janus_gradient, 1e-10),
                 (prefix.label() + ": ADOL-C's retaped gradient and janus's disagree").c_str());
  peers::add(prefix.of("adolc_gradient"), point, [problem, g](const std::vector<double>& x) mutable {
    problem.gradient(x, g);
    return g.data();
  });
  peers::add(prefix.of("adolc_retape"), point, [problem, g](const std::vector<double>& x) mutable {
    problem.retape(x, g);
    return g.data();
  });
}

/// For a problem over a few inputs: checks janus's tape against its static
/// engine, registers the primal and both janus variants, and returns janus's
/// gradient, the reference of ADOL-C's.
template <std::size_t N, class Primal, class Grad, class TapeFused>
std::vector<double> add_fixed_problem(const peers::bench_name& prefix, const std::array<double, N>& p, Primal primal,
                                      Grad grad, TapeFused tape_fused, double tolerance) {
  const std::array<double, N> gradient = grad(p);
  peers::require(peers::agree<double>(tape_fused(p), gradient, tolerance),
                 (prefix.label() + ": janus's tape and static engine disagree").c_str());
  peers::add(prefix.of("primal"), p, primal);
  peers::add(prefix.of("janus_grad"), p, grad);
  peers::add(prefix.of("janus_tape_fused"), p, tape_fused);
  return {gradient.begin(), gradient.end()};
}

void black_scholes_benchmarks() {
  const peers::bench_name name{"black_scholes", ""};
  const auto p = peers::bs_point;
  const auto janus_gradient =
      add_fixed_problem(name, p, peers::bs_primal, peers::bs_janus_grad, peers::bs_janus_tape_fused, 1e-10);
  add_adolc(name, adolc_problem(1, p, black_scholes), {p.begin(), p.end()}, janus_gradient);
}

template <std::size_t N>
void rosenbrock_benchmarks(short tag) {
  const peers::bench_name name{"rosenbrock", std::to_string(N)};
  const std::vector<double> x = peers::rosenbrock_point(N);
  const auto janus_gradient =
      peers::add_vector_problem(name, x, peers::rosenbrock_primal, peers::rosenbrock_janus_tape_fused,
                                  peers::rosenbrock_janus_tape_sum);
  if constexpr (N <= 10) {
    // The static engine's leaves are compile-time identities: for a few only.
    peers::require(peers::agree<double>(peers::rosenbrock_janus_grad<N>(x), janus_gradient, 1e-10),
                   (name.label() + ": janus's tape and static engine disagree").c_str());
    peers::add(name.of("janus_grad"), x,
               [](const std::vector<double>& point) { return peers::rosenbrock_janus_grad<N>(point); });
  }
  add_adolc(name, adolc_problem(tag, x, rosenbrock), x, janus_gradient);
}

void log_sum_exp_benchmarks() {
  const peers::bench_name name{"log_sum_exp", "1000"};
  const std::vector<double> x = peers::log_sum_exp_point();
  const auto janus_gradient =
      peers::add_vector_problem(name, x, peers::log_sum_exp_primal, peers::log_sum_exp_janus_tape_fused,
                                  peers::log_sum_exp_janus_tape_sum);
  // The shift is read from the point being taped, as the primal does.
  const auto f = [](const std::vector<adouble>& a) {
    double largest = a[0].value();
    for (const adouble& ai : a) largest = std::max(largest, ai.value());
    return log_sum_exp(a, largest);
  };
  add_adolc(name, adolc_problem(30, x, f), x, janus_gradient);
}

void likelihood_benchmarks() {
  const peers::bench_name name{"likelihood", "1000"};
  const auto p = peers::likelihood_point;
  // The sums of 1000 terms are added in other orders: 1e-9, as bench/static_engine.cpp.
  const auto janus_gradient = add_fixed_problem(name, p, peers::likelihood_primal, peers::likelihood_janus_grad,
                                                peers::likelihood_janus_tape_fused, 1e-9);
  peers::require(peers::agree<double>(peers::likelihood_janus_tape_sum(p), janus_gradient, 1e-9),
                 (name.label() + ": janus's fused and one-statement tapes disagree").c_str());
  peers::add(name.of("janus_tape_sum"), p, peers::likelihood_janus_tape_sum);
  add_adolc(name, adolc_problem(40, p, likelihood), {p.begin(), p.end()}, janus_gradient);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  black_scholes_benchmarks();
  rosenbrock_benchmarks<2>(10);
  rosenbrock_benchmarks<10>(12);
  rosenbrock_benchmarks<1000>(14);
  log_sum_exp_benchmarks();
  likelihood_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
