// bench/tape_second_order.cpp: second derivatives on the scalar tape
// (janus::tape::hvp, janus::tape::hessian) against its gradient.
//
//   grad/N      janus::tape::grad of Rosenbrock's function of N variables
//               (one range), the reference time;
//   hvp/N       janus::tape::hvp, one Hessian-vector product;
//   hessian/N   janus::tape::hessian, the dense N x N Hessian (N products).
//
// Each is checked once against Rosenbrock's closed-form Hessian before it is
// timed. The counter `statements` is what the tape holds at the end of one
// product: linear in N means the memory of a Hessian is linear in N.
// Goals (docs/second_order.md): hvp at most 4x grad at N = 1000, the dense
// Hessian at N = 400 in under 0.5 s.
#include <benchmark/benchmark.h>

#include <janus/janus.hpp>
#include <janus/tape.hpp>

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace {

const auto rosenbrock = [](const auto& x) {
  // The element type, not `auto`: on the tape `0.0 * x[0]` is a statement
  // not yet recorded, whose type the sum's next step would not have.
  std::remove_cvref_t<decltype(x[0])> total = 0.0 * x[0];
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    total = total + 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
  return total;
};

std::vector<double> point(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.1 * static_cast<double>(i % 7) - 0.3;
  return x;
}

std::vector<double> direction(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(static_cast<double>(i));
  return v;
}

/// Rosenbrock's Hessian times v, from the closed form (tridiagonal).
std::vector<double> exact_product(const std::vector<double>& x, const std::vector<double>& v) {
  std::vector<double> out(x.size(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    out[i] += (1200 * x[i] * x[i] - 400 * x[i + 1] + 2) * v[i] - 400 * x[i] * v[i + 1];
    out[i + 1] += -400 * x[i] * v[i] + 200 * v[i + 1];
  }
  return out;
}

bool agree(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::abs(a[i] - b[i]) <= 1e-10 * std::max(1.0, std::abs(b[i])))) return false;
  return true;
}

/// The gradient on the tape: leaves, one recording, one backward sweep.
std::vector<double> tape_grad(const std::vector<double>& x) {
  const janus::tape::scope scope;
  std::vector<janus::var> leaves(x.size());
  janus::tape::make_leaves(x, leaves);
  const janus::var y = rosenbrock(leaves);
  y.backward();
  std::vector<double> g(x.size());
  janus::tape::read_gradients(leaves, g);
  return g;
}

void grad(benchmark::State& state) {
  const auto x = point(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto g = tape_grad(x);
    benchmark::DoNotOptimize(g.data());
  }
}

void hvp(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const auto x = point(n);
  const auto v = direction(n);
  if (!agree(janus::tape::hvp(rosenbrock, x, v), exact_product(x, v))) {
    state.SkipWithError("janus::tape::hvp disagrees with the closed-form Hessian");
    return;
  }
  for (auto _ : state) {
    auto hv = janus::tape::hvp(rosenbrock, x, v);
    benchmark::DoNotOptimize(hv.data());
  }
  // What one product records: f and its tangent on dual<var>.
  const janus::tape::scope scope;
  const auto before = janus::tape::mark<double>().statements;
  std::vector<janus::dual<janus::var>> arguments;
  for (std::size_t i = 0; i < n; ++i) arguments.emplace_back(janus::var(x[i]), janus::var::constant(v[i]));
  (void)rosenbrock(arguments);
  state.counters["statements"] = static_cast<double>(janus::tape::mark<double>().statements - before);
}

void hessian(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const auto x = point(n);
  const auto H = janus::tape::hessian(rosenbrock)(x);
  std::vector<double> unit(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    unit[i] = 1;
    if (!agree(H[i], exact_product(x, unit))) {
      state.SkipWithError("janus::tape::hessian disagrees with the closed-form Hessian");
      return;
    }
    unit[i] = 0;
  }
  for (auto _ : state) {
    auto rows = janus::tape::hessian(rosenbrock)(x);
    benchmark::DoNotOptimize(rows.data());
  }
}

}  // namespace

BENCHMARK(grad)->Name("tape_rosenbrock/grad")->Arg(100)->Arg(400)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(hvp)->Name("tape_rosenbrock/hvp")->Arg(100)->Arg(400)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(hessian)->Name("tape_rosenbrock/hessian")->Arg(100)->Arg(400)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
