// bench_peer_tapes and bench_peer_tapes_adept_unsafe: janus::var against two
// operator-overloading tapes that record a whole statement at a time through
// expression templates, Adept 2.1.3 and CoDiPack 3.1.1 (the unmodified
// copies in ../shared/peers), on the same source text. Each problem is one
// function template on the scalar type, written as a user of any of the three
// writes it: plain arithmetic and named functions on the scalar, no
// janus::tape::fuse or tape::sum. It is instantiated with double (the
// primal), janus::var, adept::adouble and codi::RealReverse.
//
// Locals and results are declared with the scalar type, never `auto`: with
// expression templates `auto` would be an unevaluated expression holding
// references to operands that are gone by the time it is read.
//
// The problems, with the formulas and inputs of bench/tape_scalar.cpp and
// bench/formulas.hpp:
//   tape_p1_black_scholes       a European call's price and its five
//                               sensitivities;
//   tape_p2_rosenbrock/1000     Rosenbrock's function of 1000 variables;
//   tape_p3_log_sum_exp/1000    log(sum(exp(x))) of 1000 inputs;
//   tape_p4_likelihood/1000     the normal log-likelihood of formulas.hpp's
//                               1000 observations, in (mu, sigma);
//   tape_p5_dense_layer/32      sum(tanh(W x + b)), W 32x32, in W and b.
// The variants:
//   primal        the template on double;
//   janus_var     janus's scalar tape;
//   adept         Adept's stack as it ships (a thread-local stack), in
//                 bench_peer_tapes;
//   adept_unsafe  the same with ADEPT_STACK_THREAD_UNSAFE, Adept's fastest
//                 setting (one global stack), in bench_peer_tapes_adept_unsafe:
//                 the macro holds for a whole program, so bench/peers/tapes.cmake
//                 builds this source twice, and each program times janus and
//                 CoDiPack too, so that every ratio comes from one process;
//   codipack      CoDiPack's Jacobian tape with linear indices,
//                 codi::RealReverse.
// An iteration of a tape variant is what a user pays for one gradient: a new
// recording, the inputs made active, the function recorded, the reverse sweep
// and the gradient read out. Beside the time, the counters give what the
// recording left on the tape: `statements`, `operands` (the entries of the
// argument stream), `tape_bytes` (the bytes of the statement and operand
// streams) and `bytes_per_statement`.
//
// Before anything is timed, each tape's gradient and value are checked
// against a reference (janus's static engine or scalar tape, or a gradient
// written by hand) and the primal's value; the program stops with a message
// if one disagrees.
#include <adept.h>
#include <codi.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "problems.hpp"

namespace {

// ---------------------------------------------------------------------------
// The formulas, one source for every scalar type.

using bench_problems::half_log_2pi;
using bench_problems::inv_sqrt2;
using bench_problems::observations;

// janus has `square` for its variables (found by argument-dependent lookup)
// and bench/formulas.hpp for doubles; Adept and CoDiPack have none, so for
// their variables and expressions it is pow(x, 2), the fastest way their users
// have with g++: the product written out, x * x, evaluates and records its
// operand twice, and took about 1.5 times as long on Rosenbrock and the
// likelihood. (clang 16 leaves pow(x, 2.0) a call to libm inside Adept.)
using bench_problems::square;

template <class Real, class E>
auto square(const adept::Expression<Real, E>& x) {
  return pow(x, 2.0);
}

template <class Real, class Impl>
auto square(const codi::ExpressionInterface<Real, Impl>& x) {
  return pow(x, 2.0);
}

// A variable's value, for the log-sum-exp's shift (a constant of the formula).
double value_of(double x) { return x; }
double value_of(const janus::var& x) { return x.value(); }
double value_of(const adept::adouble& x) { return x.value(); }
double value_of(const codi::RealReverse& x) { return x.getValue(); }

/// bench_problems::black_scholes with its intermediates declared Scalar.
template <class Scalar>
Scalar black_scholes_call(const Scalar& S, const Scalar& K, const Scalar& T, const Scalar& r, const Scalar& sigma) {
  using std::erfc;
  using std::exp;
  using std::log;
  using std::sqrt;
  const Scalar sd = sigma * sqrt(T);
  const Scalar d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  const Scalar d2 = d1 - sd;
  return S * (0.5 * erfc(-inv_sqrt2 * d1)) - K * exp(-r * T) * (0.5 * erfc(-inv_sqrt2 * d2));
}

/// The sum of bench_problems::rosenbrock_term over neighbours, the term
/// written out in the loop: that lambda takes its arguments by value, which an
/// Adept or CoDiPack variable records as a copy statement, and returns `auto`,
/// which for them is an expression of those copies after they are gone.
template <class Scalar>
Scalar rosenbrock(const std::vector<Scalar>& x) {
  Scalar total = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) total += 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
  return total;
}

/// log(sum(exp(x))), shifted by the largest input for stability.
template <class Scalar>
Scalar log_sum_exp(const std::vector<Scalar>& x) {
  using std::exp;
  using std::log;
  double largest = -std::numeric_limits<double>::infinity();
  for (const Scalar& xi : x) largest = std::max(largest, value_of(xi));
  Scalar sum = 0.0;
  for (const Scalar& xi : x) sum += exp(xi - largest);
  return log(sum) + largest;
}

/// -1/2 sum ((x_i - mu) / sigma)^2 - n log sigma - n log sqrt(2 pi).
template <class Scalar>
Scalar log_likelihood(const Scalar& mu, const Scalar& sigma, const std::vector<double>& data) {
  using std::log;
  Scalar total = 0.0;
  for (const double x : data) total += square((x - mu) / sigma);
  const double n = static_cast<double>(data.size());
  return -0.5 * total - n * log(sigma) - n * half_log_2pi;
}

constexpr std::size_t layer_size = 32;

/// sum(tanh(W x + b)), W row by row.
template <class Scalar>
Scalar dense_layer_sum(std::span<const Scalar> weights, std::span<const Scalar> bias,
                       const std::vector<double>& input) {
  using std::tanh;
  Scalar total = 0.0;
  for (std::size_t row = 0; row < layer_size; ++row) {
    Scalar pre_activation = bias[row];
    for (std::size_t column = 0; column < layer_size; ++column)
      pre_activation += weights[row * layer_size + column] * input[column];
    total += tanh(pre_activation);
  }
  return total;
}

// ---------------------------------------------------------------------------
// The problems: each has a name, its point (every input the gradient is taken
// with respect to, in one array), the function of such an array on any
// scalar type, and a reference gradient at the point, with whose it is and
// the tolerance of the checks (relative, as peers::agree has it).

struct black_scholes_problem {
  peers::bench_name name{"tape_p1_black_scholes", ""};
  const char* whose = "janus's static engine";
  double tolerance = 1e-10;
  std::vector<double> point{100.0, 95.0, 0.75, 0.03, 0.25};  // S, K, T, r, sigma

  template <class Scalar>
  Scalar operator()(const std::vector<Scalar>& x) const {
    return black_scholes_call(x[0], x[1], x[2], x[3], x[4]);
  }
  std::vector<double> reference() const {
    const auto g = peers::bs_janus_grad({point[0], point[1], point[2], point[3], point[4]});
    return {g.begin(), g.end()};
  }
};

struct rosenbrock_problem {
  peers::bench_name name{"tape_p2_rosenbrock", "1000"};
  const char* whose = "the hand-written";
  double tolerance = 1e-9;  // sums of 999 terms, added in other orders
  std::vector<double> point = peers::rosenbrock_point(1000);

  template <class Scalar>
  Scalar operator()(const std::vector<Scalar>& x) const {
    return rosenbrock(x);
  }
  std::vector<double> reference() const {
    std::vector<double> g(point.size());
    peers::rosenbrock_expert(point, g);
    return g;
  }
};

struct log_sum_exp_problem {
  peers::bench_name name{"tape_p3_log_sum_exp", "1000"};
  const char* whose = "janus's one-statement tape";
  double tolerance = 1e-9;
  std::vector<double> point = peers::log_sum_exp_point();

  template <class Scalar>
  Scalar operator()(const std::vector<Scalar>& x) const {
    return log_sum_exp(x);
  }
  std::vector<double> reference() const {
    std::vector<janus::var> leaves;
    std::vector<double> g(point.size());
    peers::log_sum_exp_janus_tape_sum(point, leaves, g);
    return g;
  }
};

struct likelihood_problem {
  peers::bench_name name{"tape_p4_likelihood", "1000"};
  const char* whose = "janus's static engine";
  double tolerance = 1e-9;
  std::vector<double> point{peers::likelihood_point.begin(), peers::likelihood_point.end()};  // mu, sigma

  template <class Scalar>
  Scalar operator()(const std::vector<Scalar>& x) const {
    return log_likelihood(x[0], x[1], observations());
  }
  std::vector<double> reference() const {
    const auto g = peers::likelihood_janus_grad({point[0], point[1]});
    return {g.begin(), g.end()};
  }
};

/// The point is W row by row, then b (bench/tape_scalar.cpp's values); the
/// gradient is laid out the same.
struct dense_layer_problem {
  static constexpr std::size_t bias_offset = layer_size * layer_size;
  peers::bench_name name{"tape_p5_dense_layer", std::to_string(layer_size)};
  const char* whose = "the hand-written";
  double tolerance = 1e-10;
  std::vector<double> point = [] {
    auto values = peers::uniform_values(layer_size * layer_size, -0.2, 0.2, 3);
    const auto bias = peers::uniform_values(layer_size, -0.1, 0.1, 4);
    values.insert(values.end(), bias.begin(), bias.end());
    return values;
  }();
  std::vector<double> input = peers::uniform_values(layer_size, -1.0, 1.0, 5);

  template <class Scalar>
  Scalar operator()(const std::vector<Scalar>& x) const {
    const std::span<const Scalar> parameters(x);
    return dense_layer_sum(parameters.first(bias_offset), parameters.subspan(bias_offset), input);
  }
  // Row i: d/db_i = 1 - tanh(z_i)^2, d/dW_ij = (1 - tanh(z_i)^2) x_j.
  std::vector<double> reference() const {
    std::vector<double> g(point.size());
    for (std::size_t row = 0; row < layer_size; ++row) {
      double z = point[bias_offset + row];
      for (std::size_t column = 0; column < layer_size; ++column)
        z += point[row * layer_size + column] * input[column];
      const double slope = 1.0 - std::tanh(z) * std::tanh(z);
      g[bias_offset + row] = slope;
      for (std::size_t column = 0; column < layer_size; ++column) g[row * layer_size + column] = slope * input[column];
    }
    return g;
  }
};

// ---------------------------------------------------------------------------
// The tapes. A recorder<Scalar> keeps its active inputs from call to call (as
// a loop that takes gradients would), and `gradient(problem, x, g)` takes
// one gradient the way the library's documentation does it, writes it into g
// and returns the function's value. `usage()` gives what the last recording
// left on the tape.

/// A recording's size: statements, operands and the bytes of the two streams.
struct tape_usage {
  double statements;
  double operands;
  double bytes;
};

template <class Scalar>
class recorder;

template <>
class recorder<janus::var> {
 public:
  static constexpr const char* variant = "janus_var";

  explicit recorder(std::size_t inputs) : leaves_(inputs) {}

  template <class Problem>
  double gradient(const Problem& problem, const std::vector<double>& x, std::span<double> g) {
    janus::tape::reset();
    janus::tape::make_leaves(x, leaves_);
    const janus::var y = problem(leaves_);
    y.backward();
    janus::tape::read_gradients(leaves_, g);
    return y.value();
  }

  // include/janus/tape/scalar_tape.hpp: per statement the end of its operands
  // (an index), its rule's name (a pointer) and its value; per operand the
  // input's index and the partial.
  static tape_usage usage() {
    const janus::tape::position end = janus::tape::mark();
    constexpr double statement_bytes =
        sizeof(janus::tape::index_type) + sizeof(const std::string_view*) + sizeof(double);
    constexpr double operand_bytes = sizeof(janus::tape::index_type) + sizeof(double);
    return {static_cast<double>(end.statements), static_cast<double>(end.operands),
            end.statements * statement_bytes + end.operands * operand_bytes};
  }

 private:
  std::vector<janus::var> leaves_;
};

/// The program's Adept stack, made before the first adouble (every adouble
/// registers with the stack when it is made).
adept::Stack& adept_stack() {
  static adept::Stack stack;
  return stack;
}

template <>
class recorder<adept::adouble> {
 public:
#ifdef ADEPT_STACK_THREAD_UNSAFE
  static constexpr const char* variant = "adept_unsafe";
#else
  static constexpr const char* variant = "adept";
#endif

  explicit recorder(std::size_t inputs) : stack_(adept_stack()), leaves_(inputs) {}

  // As Adept's documentation does it for an array of inputs: their values
  // set without a statement (set_values), then a new recording.
  template <class Problem>
  double gradient(const Problem& problem, const std::vector<double>& x, std::span<double> g) {
    const auto n = static_cast<adept::Index>(x.size());
    adept::set_values(leaves_.data(), n, x.data());
    stack_.new_recording();
    const adept::adouble y = problem(leaves_);
    y.set_gradient(1.0);
    stack_.compute_adjoint();
    adept::get_gradients(leaves_.data(), n, g.data());
    return y.value();
  }

  // Adept's own Stack::memory() less the gradients: per statement a
  // Statement (the left-hand side's index and the end of its operations),
  // per operation a multiplier and an index.
  tape_usage usage() const {
    const double statements = stack_.n_statements(), operands = stack_.n_operations();
    return {statements, operands,
            statements * sizeof(adept::internal::Statement) + operands * (sizeof(adept::Real) + sizeof(adept::uIndex))};
  }

 private:
  adept::Stack& stack_;
  std::vector<adept::adouble> leaves_;
};

template <>
class recorder<codi::RealReverse> {
 public:
  static constexpr const char* variant = "codipack";

  explicit recorder(std::size_t inputs) : leaves_(inputs) {}

  // CoDiPack's documented reverse-mode workflow.
  template <class Problem>
  double gradient(const Problem& problem, const std::vector<double>& x, std::span<double> g) {
    tape().reset();
    tape().setActive();
    for (std::size_t i = 0; i < x.size(); ++i) {
      leaves_[i] = x[i];
      tape().registerInput(leaves_[i]);
    }
    codi::RealReverse y = problem(leaves_);
    tape().registerOutput(y);
    tape().setPassive();
    y.setGradient(1.0);
    tape().evaluate();
    for (std::size_t i = 0; i < x.size(); ++i) g[i] = leaves_[i].getGradient();
    return y.getValue();
  }

  // The entries of the statement stream (the argument count of each statement,
  // the left-hand side's index being implicit with linear indices) and of the
  // Jacobian stream (a partial and an index per argument), at their entry sizes.
  static tape_usage usage() {
    using tape_type = codi::RealReverse::Tape;
    const double statements = tape().getParameter(codi::TapeParameters::StatementSize);
    const double operands = tape().getParameter(codi::TapeParameters::JacobianSize);
    return {statements, operands,
            statements * tape_type::StatementData::Chunk::EntrySize +
                operands * tape_type::JacobianData::Chunk::EntrySize};
  }

 private:
  static codi::RealReverse::Tape& tape() { return codi::RealReverse::getTape(); }

  std::vector<codi::RealReverse> leaves_;
};

// ---------------------------------------------------------------------------
// Checking and registering.

/// Stops the program unless the tape's gradient at the problem's point agrees
/// with the reference and its value with the primal's.
template <class Scalar, class Problem>
void check(const Problem& problem, std::span<const double> reference, double primal) {
  recorder<Scalar> tape(problem.point.size());
  std::vector<double> gradient(problem.point.size());
  const double value = tape.gradient(problem, problem.point, gradient);
  const std::string label = problem.name.label() + ", " + recorder<Scalar>::variant;
  peers::require(peers::agree<double>(gradient, reference, problem.tolerance),
                 (label + ": the gradient disagrees with " + problem.whose + " gradient").c_str());
  peers::require(peers::agree<double>(std::array{value}, std::array{primal}, problem.tolerance),
                 (label + ": the value disagrees with the primal's").c_str());
}

/// Times one gradient per iteration on the Scalar's tape, then reports the
/// last recording's size.
template <class Scalar, class Problem>
void add_tape(const Problem& problem) {
  benchmark::RegisterBenchmark(problem.name.of(recorder<Scalar>::variant).c_str(), [problem](benchmark::State& state) {
    std::vector<double> x = problem.point, gradient(x.size());
    recorder<Scalar> tape(x.size());
    for (auto _ : state) {
      benchmark::DoNotOptimize(x);
      const double value = tape.gradient(problem, x, gradient);
      benchmark::DoNotOptimize(value);
      benchmark::DoNotOptimize(gradient.data());
      benchmark::ClobberMemory();
    }
    const tape_usage usage = tape.usage();
    state.counters["statements"] = usage.statements;
    state.counters["operands"] = usage.operands;
    state.counters["tape_bytes"] = usage.bytes;
    state.counters["bytes_per_statement"] = usage.bytes / usage.statements;
  });
}

template <class Problem>
void add_problem(const Problem& problem) {
  const std::vector<double> reference = problem.reference();
  const double primal = problem(problem.point);
  check<janus::var>(problem, reference, primal);
  check<adept::adouble>(problem, reference, primal);
  check<codi::RealReverse>(problem, reference, primal);

  benchmark::RegisterBenchmark(problem.name.of("primal").c_str(), [problem](benchmark::State& state) {
    std::vector<double> x = problem.point;
    for (auto _ : state) {
      benchmark::DoNotOptimize(x);
      const double value = problem(x);
      benchmark::DoNotOptimize(value);
      benchmark::ClobberMemory();
    }
  });
  add_tape<janus::var>(problem);
  add_tape<adept::adouble>(problem);
  add_tape<codi::RealReverse>(problem);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  add_problem(black_scholes_problem{});
  add_problem(rosenbrock_problem{});
  add_problem(log_sum_exp_problem{});
  add_problem(likelihood_problem{});
  add_problem(dense_layer_problem{});
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
