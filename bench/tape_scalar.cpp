// The scalar tape against plain double code: the cost of one recorded
// operation, and five computations with their gradients, each with its
// primal (the same code on doubles) beside it. Recording and the reverse
// sweep are both inside the timed loop, as a user pays for them.
//
// Each computation has three variants on the same formula and data:
//   *_primal      plain double code;
//   *_tape        the per-operation tape: the formula on janus::var, one
//                 statement per operation;
//   *_tape_fused  the same formula with its per-step part wrapped in
//                 janus::tape::fuse (one statement per step, partials from
//                 the static engine), where a user would fuse: the whole
//                 Black-Scholes price, one Rosenbrock term, one likelihood
//                 point, one multiply-add and one tanh of the layer, one
//                 log-sum-exp term. The variants without "fused" in their
//                 name do not use fuse;
//   *_tape_sum    the whole reduction as one statement (janus::tape::sum,
//                 sum_each, sum_windows), where the formula is one.
// Black-Scholes also has janus_static: the static engine alone, no tape, the
// arithmetic of the fused statement, so that the difference between the two
// is what the tape costs.
//
// Every computation but Black-Scholes (bench/static_engine.cpp has its
// hand-written gradients) also has two gradients written by hand in plain
// double code, so that the ratios to hand-written code come from one run:
//   expert       what a person who knows the calculus writes (closed forms,
//                shared subexpressions);
//   mechanical   the reverse sweep of the same formula written by hand, line
//                by line, with each operation's local derivative and no
//                algebraic identity: the floor for any tape.
// Each checks once, outside the timed loop, that its gradient is right (the
// expert's against central differences of the primal, the mechanical one
// against the expert's) and reports an error instead of a time otherwise.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "janus/static.hpp"
#include "janus/tape.hpp"
#include "janus/tape/fuse.hpp"
#include "janus/tape/sum.hpp"

#include "formulas.hpp"

namespace {

using janus::var;

// The double versions of what the formulas call, beside the var ones.
using bench_problems::square;
double value_of(double x) { return x; }
double value_of(const var& x) { return x.value(); }

std::vector<double> uniform_values(std::size_t count, double low, double high, unsigned seed) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<double> distribution(low, high);
  std::vector<double> values(count);
  for (auto& value : values) value = distribution(generator);
  return values;
}

// The hand-written variants. A problem for them is a struct with `point`,
// every input the gradient is taken with respect to, in one array; `primal`,
// the function of such an array; `expert` and `mechanical`, which write the
// gradient at a point into an array of the same size; and `counter`, the name
// of the per-unit counter of the problem's other variants (nullptr where they
// have none), with, where it is set, `units`, how many units one gradient
// covers. (A problem without a counter has no `units`: clang warns of an
// unused constant, -Wunused-const-variable, when only a discarded
// `if constexpr` branch names it.)

// Whether two gradients agree to `tolerance` relative to their largest
// component: the components of a gradient can be far below its largest (the
// log-sum-exp one's are all below 0.01), and the rounding of a finite
// difference is relative to the function, not to the component.
bool agree(std::span<const double> a, std::span<const double> b, double tolerance) {
  if (a.size() != b.size()) return false;
  double largest = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max({largest, std::abs(a[i]), std::abs(b[i])});
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::abs(a[i] - b[i]) <= tolerance * largest)) return false;  // false on NaN too
  return true;
}

// The gradient of `problem.primal` at `problem.point` by central differences,
// with a step relative to each input.
template <class Problem>
std::vector<double> central_differences(const Problem& problem) {
  std::vector<double> point = problem.point, slopes(point.size());
  for (std::size_t i = 0; i < point.size(); ++i) {
    const double x = point[i], step = 1e-4 * std::max(1.0, std::abs(x));
    point[i] = x + step;
    const double above = problem.primal(point);
    point[i] = x - step;
    const double below = problem.primal(point);
    point[i] = x;
    // The step actually taken, not 2 * step: x + step rounds.
    slopes[i] = (above - below) / ((x + step) - (x - step));
  }
  return slopes;
}

// Times `(problem.*variant)`, writing the gradient into an array kept on
// every iteration, and sets the problem's per-unit counter.
template <auto variant, class Problem>
void time_gradient(benchmark::State& state, const Problem& problem) {
  std::vector<double> gradient(problem.point.size());
  for (auto _ : state) {
    (problem.*variant)(problem.point, gradient);
    benchmark::DoNotOptimize(gradient.data());
  }
  if constexpr (Problem::counter != nullptr)
    state.counters[Problem::counter] =
        benchmark::Counter(static_cast<double>(state.iterations()) * Problem::units,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <class Problem>
void time_expert(benchmark::State& state) {
  const Problem problem;
  std::vector<double> expert(problem.point.size());
  problem.expert(problem.point, expert);
  if (!agree(expert, central_differences(problem), 1e-6)) {
    state.SkipWithError("the expert's gradient disagrees with central differences of the primal");
    return;
  }
  time_gradient<&Problem::expert>(state, problem);
}

template <class Problem>
void time_mechanical(benchmark::State& state) {
  const Problem problem;
  std::vector<double> expert(problem.point.size()), mechanical(problem.point.size());
  problem.expert(problem.point, expert);
  problem.mechanical(problem.point, mechanical);
  if (!agree(mechanical, expert, 1e-10)) {
    state.SkipWithError("the mechanical gradient disagrees with the expert's");
    return;
  }
  time_gradient<&Problem::mechanical>(state, problem);
}

// One operation: a chain of 1000 multiply-by-a-var, recorded, then swept.

void record_one_operation(benchmark::State& state) {
  janus::tape::reset();
  const var factor = 1.0000001;
  const auto start = janus::tape::mark();
  for (auto _ : state) {
    janus::tape::rewind(start);
    var y = factor;
    for (int i = 0; i < 1000; ++i) y = y * factor;
    // The value only: asking for `y` itself would keep it in memory, and
    // time a store and a load per operation that a real loop does not pay.
    const double value = y.value();
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.counters["ns_per_operation"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 1000, benchmark::Counter::kIsRate |
                                                                         benchmark::Counter::kInvert);
}
BENCHMARK(record_one_operation)->Name("tape_operation/record");

void record_and_sweep_one_operation(benchmark::State& state) {
  janus::tape::reset();
  const var factor = 1.0000001;
  const auto start = janus::tape::mark();
  for (auto _ : state) {
    janus::tape::rewind(start);
    factor.zero_grad();
    var y = factor;
    for (int i = 0; i < 1000; ++i) y = y * factor;
    y.backward();
    benchmark::DoNotOptimize(factor.grad());
  }
  state.counters["ns_per_operation"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 1000, benchmark::Counter::kIsRate |
                                                                         benchmark::Counter::kInvert);
}
BENCHMARK(record_and_sweep_one_operation)->Name("tape_operation/record_and_sweep");

// The same under janus::detect_anomaly: every value checked, and the checked
// sweep.
void record_and_sweep_one_operation_detect_anomaly(benchmark::State& state) {
  const janus::detect_anomaly guard;
  record_and_sweep_one_operation(state);
}
BENCHMARK(record_and_sweep_one_operation_detect_anomaly)->Name("tape_operation/record_and_sweep_detect_anomaly");

// Black-Scholes call price and its five first derivatives (delta, strike
// sensitivity, theta, rho, vega): the formula of bench/formulas.hpp.

using bench_problems::black_scholes;
using bench_problems::rosenbrock_term;

// All five inputs are hidden from the optimiser every iteration: with
// strike, time and rate left as constants, it would fold exp(-r T), sqrt(T)
// and part of log(S / K) out of the primal loop, which then no longer
// computes the function that the gradient variants differentiate.
//
// Each input's address escapes instead of the input itself: given the
// double, benchmark::DoNotOptimize's "+m,r" constraint made GCC 12 with
// -march=native run the tape's Black-Scholes on wrong inputs (a price of 5,
// a delta of 1; under janus::detect_anomaly, a division by a time of 0).
template <class... Inputs>
void opaque(Inputs&... inputs) {
  (benchmark::DoNotOptimize(&inputs), ...);
}

void black_scholes_primal(benchmark::State& state) {
  double spot = 100.0, strike = 95.0, time = 0.75, rate = 0.03, vol = 0.25;
  for (auto _ : state) {
    opaque(spot, strike, time, rate, vol);
    benchmark::DoNotOptimize(black_scholes(spot, strike, time, rate, vol));
  }
}
BENCHMARK(black_scholes_primal)->Name("black_scholes/primal");

void black_scholes_tape(benchmark::State& state) {
  janus::tape::reset();
  double spot = 100.0, strike = 95.0, time = 0.75, rate = 0.03, vol = 0.25;
  for (auto _ : state) {
    opaque(spot, strike, time, rate, vol);
    const auto [price, greeks] = janus::tape::value_and_grad(black_scholes, spot, strike, time, rate, vol);
    benchmark::DoNotOptimize(price);
    benchmark::DoNotOptimize(greeks.data());
  }
}
BENCHMARK(black_scholes_tape)->Name("black_scholes/janus_tape");

void black_scholes_tape_detect_anomaly(benchmark::State& state) {
  const janus::detect_anomaly guard;
  black_scholes_tape(state);
}
BENCHMARK(black_scholes_tape_detect_anomaly)->Name("black_scholes/janus_tape_detect_anomaly");

// The same price and Greeks from the static engine alone, no tape: what
// the fused statement below computes, so the difference is the tape's cost
// (leaves, the statement, the sweep, the gradients read).
void black_scholes_static(benchmark::State& state) {
  double spot = 100.0, strike = 95.0, time = 0.75, rate = 0.03, vol = 0.25;
  for (auto _ : state) {
    opaque(spot, strike, time, rate, vol);
    const auto [price, greeks] = janus::value_and_grad(black_scholes, spot, strike, time, rate, vol);
    benchmark::DoNotOptimize(price);
    benchmark::DoNotOptimize(greeks.data());
  }
}
BENCHMARK(black_scholes_static)->Name("black_scholes/janus_static");

// The static engine's checked sweep (janus::checked_value_and_grad).
void black_scholes_static_checked(benchmark::State& state) {
  double spot = 100.0, strike = 95.0, time = 0.75, rate = 0.03, vol = 0.25;
  for (auto _ : state) {
    opaque(spot, strike, time, rate, vol);
    const auto [price, greeks] = janus::checked_value_and_grad(black_scholes, spot, strike, time, rate, vol);
    benchmark::DoNotOptimize(price);
    benchmark::DoNotOptimize(greeks.data());
  }
}
BENCHMARK(black_scholes_static_checked)->Name("black_scholes/janus_static_checked");

// The whole price as one fused statement: the static engine computes the
// partials, the tape records one entry with five operands.
void black_scholes_tape_fused(benchmark::State& state) {
  janus::tape::reset();
  double spot = 100.0, strike = 95.0, time = 0.75, rate = 0.03, vol = 0.25;
  for (auto _ : state) {
    opaque(spot, strike, time, rate, vol);
    const janus::tape::scope iteration;
    const var s = spot, k = strike, t = time, r = rate, v = vol;
    const var price = janus::tape::fuse(black_scholes, s, k, t, r, v);
    price.backward();
    const std::array<double, 5> greeks{s.grad(), k.grad(), t.grad(), r.grad(), v.grad()};
    benchmark::DoNotOptimize(price);
    benchmark::DoNotOptimize(greeks.data());
  }
}
BENCHMARK(black_scholes_tape_fused)->Name("black_scholes/janus_tape_fused");

// Rosenbrock over 1000 variables: sum of 999 terms
// 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2.

template <class Scalar>
Scalar rosenbrock(const std::vector<Scalar>& x) {
  Scalar total = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) total += rosenbrock_term(x[i], x[i + 1]);
  return total;
}

void rosenbrock_primal(benchmark::State& state) {
  const auto point = uniform_values(1000, -2.0, 2.0, 1);
  for (auto _ : state) benchmark::DoNotOptimize(rosenbrock(point));
  state.counters["ns_per_term"] = benchmark::Counter(static_cast<double>(state.iterations()) * 999,
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(rosenbrock_primal)->Name("rosenbrock/primal/1000");

// Times one way of recording the sum, `record(x)` returning it: the
// variables made leaves, the sweep, the gradient read, every iteration.
template <class Record>
void time_rosenbrock(benchmark::State& state, Record record) {
  const auto point = uniform_values(1000, -2.0, 2.0, 1);
  std::vector<var> x(point.size());
  std::vector<double> gradient(point.size());
  for (auto _ : state) {
    janus::tape::reset();
    janus::tape::make_leaves(point, x);
    record(x).backward();
    janus::tape::read_gradients(x, gradient);
    benchmark::DoNotOptimize(gradient.data());
  }
  state.counters["ns_per_term"] = benchmark::Counter(static_cast<double>(state.iterations()) * 999,
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void rosenbrock_tape(benchmark::State& state) { time_rosenbrock(state, rosenbrock<var>); }
BENCHMARK(rosenbrock_tape)->Name("rosenbrock/janus_tape/1000");

void rosenbrock_tape_fused(benchmark::State& state) {
  time_rosenbrock(state, [](const std::vector<var>& x) {
    var total = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
      total = janus::tape::fuse([](auto sum, auto a, auto b) { return sum + rosenbrock_term(a, b); }, total, x[i],
                                x[i + 1]);
    return total;
  });
}
BENCHMARK(rosenbrock_tape_fused)->Name("rosenbrock/janus_tape_fused/1000");

// The whole sum as one statement: janus::tape::sum_windows over the windows
// of two neighbours, one operand per variable.
void rosenbrock_tape_sum(benchmark::State& state) {
  time_rosenbrock(state, [](const std::vector<var>& x) {
    return janus::tape::sum_windows<2>(x, [](auto a, auto b, std::size_t) { return rosenbrock_term(a, b); });
  });
}
BENCHMARK(rosenbrock_tape_sum)->Name("rosenbrock/janus_tape_sum/1000");

struct rosenbrock_by_hand {
  static constexpr const char* counter = "ns_per_term";
  static constexpr double units = 999;
  std::vector<double> point = uniform_values(1000, -2.0, 2.0, 1);

  double primal(const std::vector<double>& x) const { return rosenbrock(x); }

  // Each term adds to the gradient of its two variables:
  // d/da = -400 a (b - a^2) - 2 (1 - a), d/db = 200 (b - a^2).
  void expert(const std::vector<double>& x, std::span<double> g) const {
    std::fill(g.begin(), g.end(), 0.0);
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
      const double r = x[i + 1] - x[i] * x[i];
      g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
      g[i + 1] += 200.0 * r;
    }
  }

  // The total's adjoint is 1 and no term's adjoint reads another term, so
  // each term is swept on its own: its locals forward, then their adjoints.
  void mechanical(const std::vector<double>& x, std::span<double> g) const {
    std::fill(g.begin(), g.end(), 0.0);
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
      const double a = x[i], b = x[i + 1];
      const double aa = a * a;  // term = 100 * square(r) + square(s)
      const double r = b - aa;
      const double s = 1.0 - a;
      const double r_bar = 100.0 * (2.0 * r);
      const double s_bar = 2.0 * s;
      const double aa_bar = -r_bar;
      g[i + 1] += r_bar;
      g[i] += aa_bar * a + aa_bar * a - s_bar;  // a * a: one product rule term per operand
    }
  }
};

BENCHMARK(time_expert<rosenbrock_by_hand>)->Name("rosenbrock/expert/1000");
BENCHMARK(time_mechanical<rosenbrock_by_hand>)->Name("rosenbrock/mechanical/1000");

// The log-likelihood of 1000 points under N(mu, sigma^2), up to a constant.

template <class Scalar>
Scalar normal_log_likelihood(const std::vector<double>& points, Scalar mu, Scalar sigma) {
  Scalar sum_of_squares = 0.0;
  for (const double point : points) sum_of_squares += square((point - mu) / sigma);
  return -0.5 * sum_of_squares - static_cast<double>(points.size()) * log(sigma);
}

void likelihood_primal(benchmark::State& state) {
  const auto points = uniform_values(1000, -1.0, 3.0, 2);
  double mu = 0.8, sigma = 1.3;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mu);
    benchmark::DoNotOptimize(normal_log_likelihood(points, mu, sigma));
  }
  state.counters["ns_per_point"] = benchmark::Counter(static_cast<double>(state.iterations()) * 1000,
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(likelihood_primal)->Name("likelihood/primal/1000");

// Times one way of recording the likelihood, `likelihood(points, mu, sigma)`
// returning its value, with the sweep, every iteration.
template <class Likelihood>
void time_likelihood(benchmark::State& state, Likelihood likelihood) {
  const auto points = uniform_values(1000, -1.0, 3.0, 2);
  for (auto _ : state) {
    janus::tape::reset();
    const var mu = 0.8, sigma = 1.3;
    likelihood(points, mu, sigma).backward();
    benchmark::DoNotOptimize(mu.grad());
    benchmark::DoNotOptimize(sigma.grad());
  }
  state.counters["ns_per_point"] = benchmark::Counter(static_cast<double>(state.iterations()) * 1000,
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void likelihood_tape(benchmark::State& state) { time_likelihood(state, normal_log_likelihood<var>); }
BENCHMARK(likelihood_tape)->Name("likelihood/janus_tape/1000");

void likelihood_tape_detect_anomaly(benchmark::State& state) {
  const janus::detect_anomaly guard;
  time_likelihood(state, normal_log_likelihood<var>);
}
BENCHMARK(likelihood_tape_detect_anomaly)->Name("likelihood/janus_tape_detect_anomaly/1000");

// One statement per point.
void likelihood_tape_fused(benchmark::State& state) {
  time_likelihood(state, [](const std::vector<double>& points, const var& mu, const var& sigma) {
    var sum_of_squares = 0.0;
    for (const double point : points)
      sum_of_squares = janus::tape::fuse(
          [point](auto sum, auto m, auto s) { return sum + square((point - m) / s); }, sum_of_squares, mu, sigma);
    return -0.5 * sum_of_squares - static_cast<double>(points.size()) * log(sigma);
  });
}
BENCHMARK(likelihood_tape_fused)->Name("likelihood/janus_tape_fused/1000");

// The whole sum as one statement with two operands (janus::tape::sum).
void likelihood_tape_sum(benchmark::State& state) {
  time_likelihood(state, [](const std::vector<double>& points, const var& mu, const var& sigma) {
    const var sum_of_squares = janus::tape::sum(
        points, [](double point, auto m, auto s) { return square((point - m) / s); }, mu, sigma);
    return -0.5 * sum_of_squares - static_cast<double>(points.size()) * log(sigma);
  });
}
BENCHMARK(likelihood_tape_sum)->Name("likelihood/janus_tape_sum/1000");

// The point is (mu, sigma).
struct likelihood_by_hand {
  static constexpr const char* counter = "ns_per_point";
  static constexpr double units = 1000;
  std::vector<double> point{0.8, 1.3};
  std::vector<double> points = uniform_values(1000, -1.0, 3.0, 2);

  double primal(const std::vector<double>& p) const { return normal_log_likelihood(points, p[0], p[1]); }

  // dL/dmu = sum(x - mu) / sigma^2, dL/dsigma = sum((x - mu)^2) / sigma^3 - n / sigma:
  // two sums over the data, then four operations.
  void expert(const std::vector<double>& p, std::span<double> g) const {
    const double mu = p[0], sigma = p[1];
    double sum = 0.0, sum_of_squares = 0.0;
    for (const double x : points) {
      const double d = x - mu;
      sum += d;
      sum_of_squares += d * d;
    }
    const double inverse_variance = 1.0 / (sigma * sigma);
    g[0] = sum * inverse_variance;
    g[1] = (sum_of_squares * inverse_variance - static_cast<double>(points.size())) / sigma;
  }

  // The sum's adjoint is the constant -1/2 (no later operation reads the
  // sum's value), so one pass over the data does each point's locals and
  // their adjoints; the log term's adjoint comes last, as it was recorded last.
  void mechanical(const std::vector<double>& p, std::span<double> g) const {
    const double mu = p[0], sigma = p[1];
    const double sum_bar = -0.5;
    double mu_bar = 0.0, sigma_bar = 0.0;
    for (const double x : points) {
      const double d = x - mu;
      const double z = d / sigma;
      const double z_bar = sum_bar * (2.0 * z);  // square(z)
      const double d_bar = z_bar / sigma;        // d / sigma, w.r.t. d
      sigma_bar += -z_bar * z / sigma;           // d / sigma, w.r.t. sigma: -(d / sigma) / sigma
      mu_bar += -d_bar;
    }
    const double log_bar = -static_cast<double>(points.size());
    sigma_bar += log_bar / sigma;
    g[0] = mu_bar;
    g[1] = sigma_bar;
  }
};

BENCHMARK(time_expert<likelihood_by_hand>)->Name("likelihood/expert/1000");
BENCHMARK(time_mechanical<likelihood_by_hand>)->Name("likelihood/mechanical/1000");

// sum(tanh(W x + b)) with W 32x32 and b as scalars; the gradient is taken
// with respect to W and b (x is data).

constexpr std::size_t layer_size = 32;

template <class Scalar>
Scalar dense_layer_sum(const std::vector<Scalar>& weights, const std::vector<Scalar>& bias,
                       const std::vector<double>& input) {
  Scalar total = 0.0;
  for (std::size_t row = 0; row < layer_size; ++row) {
    Scalar pre_activation = bias[row];
    for (std::size_t column = 0; column < layer_size; ++column)
      pre_activation += weights[row * layer_size + column] * input[column];
    total += tanh(pre_activation);
  }
  return total;
}

void dense_layer_primal(benchmark::State& state) {
  const auto weights = uniform_values(layer_size * layer_size, -0.2, 0.2, 3);
  const auto bias = uniform_values(layer_size, -0.1, 0.1, 4);
  const auto input = uniform_values(layer_size, -1.0, 1.0, 5);
  for (auto _ : state) benchmark::DoNotOptimize(dense_layer_sum(weights, bias, input));
  state.counters["ns_per_multiply_add"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * layer_size * layer_size,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(dense_layer_primal)->Name("dense_layer/primal/32");

// How the inputs become leaves and their gradients are read: an array at a
// time (janus::tape::make_leaves, read_gradients), or a var at a time
// (vector assignment from doubles, grad() per var).
enum class leaves { by_array, one_by_one };

// Times one way of recording the layer, `layer(weights, bias, input)`
// returning the sum: the weights and biases made leaves, the sweep, the
// gradients read out, every iteration.
template <class Layer>
void time_dense_layer(benchmark::State& state, Layer layer, leaves made = leaves::by_array) {
  const auto weight_values = uniform_values(layer_size * layer_size, -0.2, 0.2, 3);
  const auto bias_values = uniform_values(layer_size, -0.1, 0.1, 4);
  const auto input = uniform_values(layer_size, -1.0, 1.0, 5);
  std::vector<var> weights(weight_values.size()), bias(bias_values.size());
  std::vector<double> weight_gradient(weight_values.size()), bias_gradient(bias_values.size());
  for (auto _ : state) {
    janus::tape::reset();
    if (made == leaves::by_array) {
      janus::tape::make_leaves(weight_values, weights);
      janus::tape::make_leaves(bias_values, bias);
    } else {
      weights.assign(weight_values.begin(), weight_values.end());
      bias.assign(bias_values.begin(), bias_values.end());
    }
    layer(weights, bias, input).backward();
    if (made == leaves::by_array) {
      janus::tape::read_gradients(weights, weight_gradient);
      janus::tape::read_gradients(bias, bias_gradient);
    } else {
      for (std::size_t i = 0; i < weights.size(); ++i) weight_gradient[i] = weights[i].grad();
      for (std::size_t i = 0; i < bias.size(); ++i) bias_gradient[i] = bias[i].grad();
    }
    benchmark::DoNotOptimize(weight_gradient.data());
    benchmark::DoNotOptimize(bias_gradient.data());
  }
  state.counters["ns_per_multiply_add"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * layer_size * layer_size,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void dense_layer_tape(benchmark::State& state) { time_dense_layer(state, dense_layer_sum<var>); }
BENCHMARK(dense_layer_tape)->Name("dense_layer/janus_tape/32");

// One statement per multiply-add, one per tanh.
var dense_layer_fused(const std::vector<var>& weights, const std::vector<var>& bias, const std::vector<double>& input) {
  var total = 0.0;
  for (std::size_t row = 0; row < layer_size; ++row) {
    var pre_activation = bias[row];
    for (std::size_t column = 0; column < layer_size; ++column)
      pre_activation = janus::tape::fuse([x = input[column]](auto sum, auto w) { return sum + w * x; },
                                         pre_activation, weights[row * layer_size + column]);
    total = janus::tape::fuse([](auto sum, auto z) { return sum + tanh(z); }, total, pre_activation);
  }
  return total;
}

void dense_layer_tape_fused(benchmark::State& state) { time_dense_layer(state, dense_layer_fused); }
BENCHMARK(dense_layer_tape_fused)->Name("dense_layer/janus_tape_fused/32");

// One statement per row: w . x with janus::tape::sum_each, then the bias and
// the tanh fused.
var dense_layer_rows(const std::vector<var>& weights, const std::vector<var>& bias, const std::vector<double>& input) {
  var total = 0.0;
  for (std::size_t row = 0; row < layer_size; ++row) {
    const std::span<const var> row_weights(weights.data() + row * layer_size, layer_size);
    const var product =
        janus::tape::sum_each(row_weights, [&input](auto w, std::size_t column) { return w * input[column]; });
    total = janus::tape::fuse([](auto sum, auto p, auto b) { return sum + tanh(p + b); }, total, product, bias[row]);
  }
  return total;
}

void dense_layer_tape_sum(benchmark::State& state) { time_dense_layer(state, dense_layer_rows); }
BENCHMARK(dense_layer_tape_sum)->Name("dense_layer/janus_tape_sum/32");

// The same, with the weights made leaves and their gradients read one var at
// a time: what the array calls save.
void dense_layer_tape_sum_one_by_one(benchmark::State& state) {
  time_dense_layer(state, dense_layer_rows, leaves::one_by_one);
}
BENCHMARK(dense_layer_tape_sum_one_by_one)->Name("dense_layer/janus_tape_sum_leaf_by_leaf/32");

// The point is W row by row, then b; the gradient is laid out the same.
struct dense_layer_by_hand {
  static constexpr const char* counter = "ns_per_multiply_add";
  static constexpr double units = layer_size * layer_size;
  static constexpr std::size_t bias_offset = layer_size * layer_size;
  std::vector<double> point = [] {
    auto values = uniform_values(layer_size * layer_size, -0.2, 0.2, 3);
    const auto bias = uniform_values(layer_size, -0.1, 0.1, 4);
    values.insert(values.end(), bias.begin(), bias.end());
    return values;
  }();
  std::vector<double> input = uniform_values(layer_size, -1.0, 1.0, 5);

  // Only the finite differences call it, so it copies the point apart.
  double primal(const std::vector<double>& p) const {
    const auto middle = p.begin() + static_cast<std::ptrdiff_t>(bias_offset);
    return dense_layer_sum(std::vector<double>(p.begin(), middle), std::vector<double>(middle, p.end()), input);
  }

  // Row i: d/db_i = 1 - tanh(z_i)^2, d/dW_ij = (1 - tanh(z_i)^2) x_j.
  void expert(const std::vector<double>& p, std::span<double> g) const {
    for (std::size_t row = 0; row < layer_size; ++row) {
      const double* weights = p.data() + row * layer_size;
      double z = p[bias_offset + row];
      for (std::size_t column = 0; column < layer_size; ++column) z += weights[column] * input[column];
      const double t = std::tanh(z);
      const double slope = 1.0 - t * t;
      g[bias_offset + row] = slope;
      for (std::size_t column = 0; column < layer_size; ++column) g[row * layer_size + column] = slope * input[column];
    }
  }

  // The total's adjoint is 1 and no row reads another row's values, so each
  // row is swept on its own: its multiply-adds and tanh forward, then the
  // adjoints back through them. The tanh's output is the one local the
  // reverse reads (an addition's local derivatives are 1, a product's with
  // respect to a weight is the input).
  void mechanical(const std::vector<double>& p, std::span<double> g) const {
    for (std::size_t row = 0; row < layer_size; ++row) {
      const double* weights = p.data() + row * layer_size;
      double z = p[bias_offset + row];
      for (std::size_t column = 0; column < layer_size; ++column) z = z + weights[column] * input[column];
      const double t = std::tanh(z);
      const double t_bar = 1.0;                  // total += t
      const double z_bar = t_bar * (1.0 - t * t);  // tanh' = 1 - tanh^2, from its output
      for (std::size_t column = layer_size; column-- > 0;) {
        const double product_bar = z_bar;  // z = z + product; the earlier z's adjoint is z_bar again
        g[row * layer_size + column] = product_bar * input[column];
      }
      g[bias_offset + row] = z_bar;
    }
  }
};

BENCHMARK(time_expert<dense_layer_by_hand>)->Name("dense_layer/expert/32");
BENCHMARK(time_mechanical<dense_layer_by_hand>)->Name("dense_layer/mechanical/32");

// log(sum(exp(x))) over 1000 inputs, shifted by the largest for stability.

template <class Scalar>
Scalar log_sum_exp(const std::vector<Scalar>& x) {
  double largest = -INFINITY;
  for (const auto& xi : x) largest = std::max(largest, value_of(xi));
  Scalar sum = 0.0;
  for (const auto& xi : x) sum += exp(xi - largest);
  return log(sum) + largest;
}

void log_sum_exp_primal(benchmark::State& state) {
  const auto point = uniform_values(1000, -5.0, 5.0, 6);
  for (auto _ : state) benchmark::DoNotOptimize(log_sum_exp(point));
}
BENCHMARK(log_sum_exp_primal)->Name("log_sum_exp/primal/1000");

// Times one way of recording log-sum-exp, `lse(x)` returning its value:
// the inputs made leaves, the sweep, the gradient read out, every iteration.
template <class LogSumExp>
void time_log_sum_exp(benchmark::State& state, LogSumExp lse) {
  const auto point = uniform_values(1000, -5.0, 5.0, 6);
  std::vector<var> x(point.size());
  std::vector<double> gradient(point.size());
  for (auto _ : state) {
    janus::tape::reset();
    janus::tape::make_leaves(point, x);
    lse(x).backward();
    janus::tape::read_gradients(x, gradient);
    benchmark::DoNotOptimize(gradient.data());
  }
}

double largest_value(const std::vector<var>& x) {
  double largest = -INFINITY;
  for (const auto& xi : x) largest = std::max(largest, xi.value());
  return largest;
}

void log_sum_exp_tape(benchmark::State& state) { time_log_sum_exp(state, log_sum_exp<var>); }
BENCHMARK(log_sum_exp_tape)->Name("log_sum_exp/janus_tape/1000");

// One statement per term.
void log_sum_exp_tape_fused(benchmark::State& state) {
  time_log_sum_exp(state, [](const std::vector<var>& x) {
    const double largest = largest_value(x);
    var sum = 0.0;
    for (const auto& xi : x)
      sum = janus::tape::fuse([largest](auto s, auto v) { return s + exp(v - largest); }, sum, xi);
    return log(sum) + largest;
  });
}
BENCHMARK(log_sum_exp_tape_fused)->Name("log_sum_exp/janus_tape_fused/1000");

// The sum of exponentials as one statement with an operand per input
// (janus::tape::sum_each).
void log_sum_exp_tape_sum(benchmark::State& state) {
  time_log_sum_exp(state, [](const std::vector<var>& x) {
    const double largest = largest_value(x);
    const var sum = janus::tape::sum_each(x, [largest](auto v, std::size_t) { return exp(v - largest); });
    return log(sum) + largest;
  });
}
BENCHMARK(log_sum_exp_tape_sum)->Name("log_sum_exp/janus_tape_sum/1000");

// The largest input is a constant of the formula (a double in every variant),
// so it has no adjoint.
struct log_sum_exp_by_hand {
  static constexpr const char* counter = nullptr;  // the other variants set none
  std::vector<double> point = uniform_values(1000, -5.0, 5.0, 6);

  double primal(const std::vector<double>& x) const { return log_sum_exp(x); }

  // The softmax: exp(x_i - largest) / sum, the exponentials kept in the
  // gradient array and divided once.
  void expert(const std::vector<double>& x, std::span<double> g) const {
    const double largest = *std::max_element(x.begin(), x.end());
    double sum = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) sum += g[i] = std::exp(x[i] - largest);
    const double inverse = 1.0 / sum;
    for (double& gi : g) gi *= inverse;
  }

  // Forward: the exponentials (kept where their inputs' adjoints will go:
  // each is dead once its adjoint is written) and their sum; then back: the
  // log's local derivative, the sum's (1 to every term), each exp's (its
  // output) and each subtraction's (1).
  void mechanical(const std::vector<double>& x, std::span<double> g) const {
    const double largest = *std::max_element(x.begin(), x.end());
    double sum = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      g[i] = std::exp(x[i] - largest);
      sum += g[i];
    }
    const double sum_bar = 1.0 / sum;  // log(sum) + largest
    for (std::size_t i = x.size(); i-- > 0;) {
      const double exp_bar = sum_bar;
      g[i] = exp_bar * g[i];
    }
  }
};

BENCHMARK(time_expert<log_sum_exp_by_hand>)->Name("log_sum_exp/expert/1000");
BENCHMARK(time_mechanical<log_sum_exp_by_hand>)->Name("log_sum_exp/mechanical/1000");

}  // namespace

BENCHMARK_MAIN();
