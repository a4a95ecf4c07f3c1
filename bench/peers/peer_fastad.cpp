// bench_peer_fastad: janus against FastAD 3.2.1 (reverse mode by compile-time
// expression templates over Eigen; the unmodified copy in ../shared/peers),
// in one binary so that one run gives ratios. The problems, with the inputs,
// primals and janus gradients of problems.hpp:
//   black_scholes           the price of a European call and its five Greeks;
//   rosenbrock/10           Rosenbrock over ten scalar variables;
//   rosenbrock/1000         Rosenbrock over a vector of 1000;
//   likelihood/1000         the normal log-likelihood of 1000 observations as
//                           a function of (mu, sigma);
//   pair_potential/100      the Lennard-Jones energy of 100 atoms as a
//                           function of their 300 coordinates.
// Per problem, the variants it has:
//   primal      the function value, plain double code;
//   expert      the gradient written by hand (the pair potential's is a
//               forces function, minus the gradient: the check negates it);
//   janus       janus::grad: the static engine over scalar arguments, and for
//               Rosenbrock over a vector and the pair potential janus's array
//               API (janus::sum over janus::indices of a std::vector);
//   janus_value_and_grad  Black-Scholes: the price and the Greeks, the two
//               results FastAD's call gives;
//   fastad      FastAD as its documentation and its own benchmark driver
//               write it: the expression built over leaves that view a
//               buffer of values and one of adjoints, and bound to its cache
//               (ad::bind) once; per call the point copied into the values,
//               the adjoints zeroed and ad::autodiff run, which returns the
//               value and leaves the gradient in the adjoints;
//   fastad_*    another way FastAD writes the same problem (see each).
// Every variant's result is checked before it is timed: the gradient against
// the reference (the hand-written one where the problem has one, else
// janus's) and the value, where the variant gives one, against the primal's.
// On a mismatch the benchmark reports an error (SkipWithError) instead of a
// time.
#include <fastad>
#include <memory>
#include <numeric>
#include <optional>

#include "problems.hpp"

namespace {

// ---------------------------------------------------------------------------
// The harness.

/// What a variant gave: its gradient (empty for the primal), and the
/// function's value where the variant computes one.
struct outcome {
  std::vector<double> gradient;
  std::optional<double> value;
};

/// What a problem's variants are checked against.
struct reference {
  std::vector<double> gradient;
  double value;       // the primal's
  std::string whose;  // whose gradient, for the message
  double tolerance;   // relative; sums of many terms are added in other orders
};

/// Why `got` disagrees with `expected`, or nothing.
std::string disagreement(const outcome& got, const reference& expected) {
  if (!got.gradient.empty() && !peers::agree<double>(got.gradient, expected.gradient, expected.tolerance))
    return "the gradient disagrees with " + expected.whose + " gradient";
  if (got.value && !peers::agree<double>(std::array{*got.value}, std::array{expected.value}, expected.tolerance))
    return "the value disagrees with the primal's";
  return {};
}

/// Registers a benchmark that first checks `read(compute(point))` against
/// `expected`, then times `compute(point)` once per iteration, the point
/// reloaded from memory the compiler cannot see through (so nothing is folded
/// to a constant) and the result and what it wrote kept.
template <class Inputs, class Compute, class Read>
void add(const std::string& name, Inputs point, Compute compute, Read read, const reference& expected) {
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) mutable {
    if (const std::string why = disagreement(read(compute(point)), expected); !why.empty()) {
      state.SkipWithError(why.c_str());
      return;
    }
    for (auto _ : state) {
      benchmark::DoNotOptimize(point);
      auto result = compute(point);
      benchmark::DoNotOptimize(result);
      benchmark::ClobberMemory();
    }
  });
}

/// Readers of what a variant returns.
outcome value_only(double value) { return {{}, value}; }

const auto gradient_only = [](const auto& gradient) {
  return outcome{{std::begin(gradient), std::end(gradient)}, std::nullopt};
};

/// A gradient of `n` components that a variant wrote and returned a pointer
/// to, times `sign` (-1 for forces).
auto written_gradient(std::size_t n, double sign = 1.0) {
  return [n, sign](const double* g) {
    outcome got{std::vector<double>(n), std::nullopt};
    for (std::size_t i = 0; i < n; ++i) got.gradient[i] = sign * g[i];
    return got;
  };
}

/// A hand-written gradient `expert(x, g)`, writing into a buffer kept from
/// call to call.
template <class Expert>
void add_expert(const std::string& name, const std::vector<double>& point, Expert expert, double sign,
                const reference& expected) {
  add(
      name, point,
      [expert, g = std::vector<double>(point.size())](const std::vector<double>& x) mutable {
        expert(x, g);
        return g.data();
      },
      written_gradient(point.size(), sign), expected);
}

// ---------------------------------------------------------------------------
// FastAD.

/// One FastAD gradient, set up once as FastAD's documentation and its own
/// benchmark driver do. `make(values, adjoints)` builds the expression over
/// leaves that view the first `inputs` entries of the two buffers, and
/// placeholders (the named intermediates FastAD evaluates once) that view the
/// entries after them. A call copies the point into the leaves' values, zeroes
/// every adjoint (FastAD adds into them, the placeholders' too) and runs
/// ad::autodiff, which returns the value. The object must stay where it was
/// made: the bound expression points into it.
template <class Make>
class fastad_gradient {
 public:
  fastad_gradient(std::size_t inputs, std::size_t placeholders, Make make)
      : inputs_(inputs),
        values_(inputs + placeholders),
        adjoints_(inputs + placeholders),
        expression_(ad::bind(make(values_.data(), adjoints_.data()))) {}
  fastad_gradient(const fastad_gradient&) = delete;
  fastad_gradient& operator=(const fastad_gradient&) = delete;

  double operator()(std::span<const double> x) {
    std::copy(x.begin(), x.end(), values_.begin());
    std::fill(adjoints_.begin(), adjoints_.end(), 0.0);
    return ad::autodiff(expression_);
  }

  std::span<const double> gradient() const { return {adjoints_.data(), inputs_}; }

 private:
  std::size_t inputs_;
  std::vector<double> values_, adjoints_;
  decltype(ad::bind(std::declval<Make&>()(nullptr, nullptr))) expression_;
};

/// Registers the FastAD variant `variant` of a problem: its value and
/// gradient checked, then its calls timed.
template <class Inputs, class Make>
void add_fastad(const peers::bench_name& name, const char* variant, const Inputs& point, std::size_t placeholders,
                Make make, const reference& expected) {
  const auto f = std::make_shared<fastad_gradient<Make>>(std::size(point), placeholders, make);
  add(
      name.of(variant), point, [f](const Inputs& x) { return (*f)(x); },
      [f](double value) {
        const auto g = f->gradient();
        return outcome{{g.begin(), g.end()}, value};
      },
      expected);
}

// FastAD's formulas. FastAD has no erfc; N(d) = (1 + erf(d / sqrt 2)) / 2,
// as FastAD's README writes it. Named intermediates are placeholders
// (`placeholder = expression`, glued with the comma operator), as its README's
// Black-Scholes does, so that each is evaluated once.

inline constexpr std::size_t bs_placeholders = 3;

auto black_scholes_fastad(double* v, double* a) {
  using ad::VarView;
  const VarView<double> S(v, a), K(v + 1, a + 1), T(v + 2, a + 2), r(v + 3, a + 3), sigma(v + 4, a + 4);
  const VarView<double> sd(v + 5, a + 5), d1(v + 6, a + 6), d2(v + 7, a + 7);  // placeholders
  const auto N = [](const auto& d) { return 0.5 * (1.0 + ad::erf(peers::inv_sqrt2 * d)); };
  return (sd = sigma * ad::sqrt(T),                                    //
          d1 = (ad::log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd,  //
          d2 = d1 - sd,                                                //
          S * N(d1) - K * ad::exp(-r * T) * N(d2));
}

/// Rosenbrock over N scalar variables (ad::VarView<double>: an ad::Var that
/// views these buffers instead of owning its value), the N - 1 terms one
/// expression.
template <std::size_t N>
auto rosenbrock_fastad_scalars(double* v, double* a) {
  const auto x = [&](std::size_t i) { return ad::VarView<double>(v + i, a + i); };
  const auto term = [](const auto& p, const auto& q) { return 100.0 * ad::pow<2>(q - p * p) + ad::pow<2>(1.0 - p); };
  return [&]<std::size_t... I>(std::index_sequence<I...>) { return (term(x(I), x(I + 1)) + ...); }
  (std::make_index_sequence<N - 1>{});
}

/// Rosenbrock over a vector with FastAD's vector expressions: x's first and
/// last n - 1 entries (head and tail views), elementwise arithmetic, and the
/// sums of squares as ad::norm (the squared norm). Not ad::sum(ad::pow<2>(v)):
/// on a vector, FastAD's pow<2> goes through Eigen's array pow, std::pow per
/// element forward and a division per element back, several times slower.
auto rosenbrock_fastad_vector(std::size_t n, double* v, double* a) {
  ad::VarView<double, ad::vec> x(v, a, n);
  const auto head = x.head(n - 1), tail = x.tail(n - 1);
  return 100.0 * ad::norm(tail - head * head) + ad::norm(1.0 - head);
}

/// Rosenbrock as a sum over terms, ad::sum(begin, end, f): one scalar
/// expression per term, as FastAD's benchmarks write a sum over indices.
auto rosenbrock_fastad_terms(std::size_t n, double* v, double* a) {
  ad::VarView<double, ad::vec> x(v, a, n);
  std::vector<std::size_t> terms(n - 1);
  std::iota(terms.begin(), terms.end(), std::size_t{0});
  return ad::sum(terms.begin(), terms.end(),
                 [&](std::size_t i) { return 100.0 * ad::pow<2>(x[i + 1] - x[i] * x[i]) + ad::pow<2>(1.0 - x[i]); });
}

/// The likelihood with a vector expression over the observations (a
/// constant view), as the formula reads; the sum of squares is ad::norm, as
/// in Rosenbrock's.
auto likelihood_fastad(double* v, double* a) {
  const std::vector<double>& data = peers::observations();
  const double n = static_cast<double>(data.size());
  const ad::VarView<double> mu(v, a), sigma(v + 1, a + 1);
  const auto x = ad::constant_view(data.data(), data.size());
  return -0.5 * ad::norm((x - mu) / sigma) - n * ad::log(sigma) - n * peers::half_log_2pi;
}

/// The likelihood through FastAD's own normal log-density node (which leaves
/// out the constant, added here). With the observations constant it folds
/// them into their mean and sum of squared deviations once, when the
/// expression is built, so a call costs the same for any number of
/// observations: a closed form, not a derivative of the sum over the data.
auto likelihood_fastad_normal_log_pdf(double* v, double* a) {
  const std::vector<double>& data = peers::observations();
  const double n = static_cast<double>(data.size());
  const ad::VarView<double> mu(v, a), sigma(v + 1, a + 1);
  return ad::normal_adj_log_pdf(ad::constant_view(data.data(), data.size()), mu, sigma) - n * peers::half_log_2pi;
}

/// The pair potential as FastAD writes a double sum: ad::sum over atoms i of
/// ad::sum over atoms j > i (every inner sum has the same expression type, so
/// they nest), s6 of each pair a placeholder because the term uses it twice.
/// FastAD keeps one expression object per pair, built once, with its own
/// cache of every intermediate: the 4950 pairs are 4950 expression trees
/// swept forward and back on every call.
auto pair_fastad(std::size_t n, double* v, double* a) {
  ad::VarView<double, ad::vec> r(v, a, 3 * n);
  double* const s6_values = v + 3 * n;  // the placeholders, one per pair
  double* const s6_adjoints = a + 3 * n;
  std::vector<std::size_t> atoms(n);
  std::iota(atoms.begin(), atoms.end(), std::size_t{0});
  return ad::sum(atoms.begin(), atoms.end() - 1, [&](std::size_t i) {
    return ad::sum(atoms.begin() + static_cast<std::ptrdiff_t>(i) + 1, atoms.end(), [&, i](std::size_t j) {
      const std::size_t pair = i * n - i * (i + 1) / 2 + (j - i - 1);
      const ad::VarView<double> s6(s6_values + pair, s6_adjoints + pair);
      return (s6 = ad::pow<-3>(ad::pow<2>(r[3 * i] - r[3 * j]) + ad::pow<2>(r[3 * i + 1] - r[3 * j + 1]) +
                               ad::pow<2>(r[3 * i + 2] - r[3 * j + 2])),
              4.0 * (s6 * s6 - s6));
    });
  });
}

// ---------------------------------------------------------------------------
// janus's array API, in the form it is being written in; until it lands the
// two variants that use it are not built.
namespace array_api {

auto rosenbrock = [](const auto& x) {
  return janus::sum(janus::indices(0, x.size() - 1), [&](std::size_t i) {
    return 100.0 * janus::square(x[i + 1] - x[i] * x[i]) + janus::square(1.0 - x[i]);
  });
};

auto energy = [](const auto& r) {
  const std::size_t n = r.size() / 3;
  return janus::sum(janus::indices(0, n), [&](std::size_t i) {
    return janus::sum(janus::indices(i + 1, n), [&](std::size_t j) {
      auto dx = r[3 * i] - r[3 * j], dy = r[3 * i + 1] - r[3 * j + 1], dz = r[3 * i + 2] - r[3 * j + 2];
      auto s6 = 1.0 / janus::pow(dx * dx + dy * dy + dz * dz, 3);
      return 4.0 * (s6 * s6 - s6);
    });
  });
};

[[gnu::noinline]] std::vector<double> rosenbrock_gradient(const std::vector<double>& xs) {
  std::vector<double> g = janus::grad(rosenbrock)(xs);
  return g;
}

[[gnu::noinline]] std::vector<double> energy_gradient(const std::vector<double>& r) {
  std::vector<double> g = janus::grad(energy)(r);
  return g;
}

}  // namespace array_api

// ---------------------------------------------------------------------------
// The problems.

/// The price and the Greeks, as FastAD's call gives them.
[[gnu::noinline]] auto bs_janus_value_and_grad(const peers::bs_inputs& p) {
  return janus::value_and_grad(peers::black_scholes, p[0], p[1], p[2], p[3], p[4]);
}

void black_scholes_benchmarks() {
  const peers::bench_name name{"black_scholes", ""};
  const auto p = peers::bs_point;
  const auto janus_gradient = peers::bs_janus_grad(p);
  const reference expected{{janus_gradient.begin(), janus_gradient.end()}, peers::bs_primal(p), "janus's", 1e-10};
  add(name.of("primal"), p, peers::bs_primal, value_only, expected);
  add(name.of("janus"), p, peers::bs_janus_grad, gradient_only, expected);
  add(
      name.of("janus_value_and_grad"), p, bs_janus_value_and_grad,
      [](const auto& result) {
        return outcome{{result.gradient.begin(), result.gradient.end()}, result.value};
      },
      expected);
  add_fastad(name, "fastad", p, bs_placeholders, black_scholes_fastad, expected);
}

void rosenbrock_scalar_benchmarks() {
  constexpr std::size_t n = 10;
  const peers::bench_name name{"rosenbrock", std::to_string(n)};
  const std::vector<double> x = peers::rosenbrock_point(n);
  const auto janus_gradient = peers::rosenbrock_janus_grad<n>(x);
  const reference expected{
      {janus_gradient.begin(), janus_gradient.end()}, peers::rosenbrock_primal(x), "janus's", 1e-10};
  add(
      name.of("primal"), x, [](const std::vector<double>& p) { return peers::rosenbrock_primal(p); }, value_only,
      expected);
  add(
      name.of("janus"), x, [](const std::vector<double>& p) { return peers::rosenbrock_janus_grad<n>(p); },
      gradient_only, expected);
  add_fastad(name, "fastad", x, 0, rosenbrock_fastad_scalars<n>, expected);
}

void rosenbrock_vector_benchmarks() {
  constexpr std::size_t n = 1000;
  const peers::bench_name name{"rosenbrock", std::to_string(n)};
  const std::vector<double> x = peers::rosenbrock_point(n);
  std::vector<double> expert_gradient(n);
  peers::rosenbrock_expert(x, expert_gradient);
  // Sums of 999 terms added in other orders: 1e-9, as the likelihood's.
  const reference expected{expert_gradient, peers::rosenbrock_primal(x), "the hand-written", 1e-9};
  add(
      name.of("primal"), x, [](const std::vector<double>& p) { return peers::rosenbrock_primal(p); }, value_only,
      expected);
  add_expert(name.of("expert"), x, peers::rosenbrock_expert, 1.0, expected);
  add(name.of("janus"), x, array_api::rosenbrock_gradient, gradient_only, expected);
  add_fastad(
      name, "fastad", x, 0, [](double* v, double* a) { return rosenbrock_fastad_vector(n, v, a); }, expected);
  add_fastad(
      name, "fastad_sum_terms", x, 0, [](double* v, double* a) { return rosenbrock_fastad_terms(n, v, a); }, expected);
}

void likelihood_benchmarks() {
  const peers::bench_name name{"likelihood", "1000"};
  const auto p = peers::likelihood_point;
  const auto janus_gradient = peers::likelihood_janus_grad(p);
  // The sums of 1000 terms are added in other orders: 1e-9, as bench/static_engine.cpp.
  const reference expected{
      {janus_gradient.begin(), janus_gradient.end()}, peers::likelihood_primal(p), "janus's", 1e-9};
  add(name.of("primal"), p, peers::likelihood_primal, value_only, expected);
  add(name.of("janus"), p, peers::likelihood_janus_grad, gradient_only, expected);
  add_fastad(name, "fastad", p, 0, likelihood_fastad, expected);
  add_fastad(name, "fastad_normal_log_pdf", p, 0, likelihood_fastad_normal_log_pdf, expected);
}

void pair_potential_benchmarks() {
  constexpr std::size_t n = peers::pair_atoms;
  const peers::bench_name name{"pair_potential", std::to_string(n)};
  const std::vector<double> r = peers::pair_point();
  std::vector<double> gradient(r.size());
  peers::pair_forces(r, gradient);
  for (double& component : gradient) component = -component;
  // 99 terms per atom, 4950 in the energy, added in other orders: 1e-9.
  const reference expected{gradient, peers::pair_primal(r), "the hand-written", 1e-9};
  add(
      name.of("primal"), r, [](const std::vector<double>& p) { return peers::pair_primal(p); }, value_only, expected);
  add_expert(name.of("expert"), r, peers::pair_forces, -1.0, expected);
  add(name.of("janus"), r, array_api::energy_gradient, gradient_only, expected);
  add_fastad(
      name, "fastad", r, n * (n - 1) / 2, [](double* v, double* a) { return pair_fastad(n, v, a); }, expected);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  black_scholes_benchmarks();
  rosenbrock_scalar_benchmarks();
  rosenbrock_vector_benchmarks();
  likelihood_benchmarks();
  pair_potential_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
