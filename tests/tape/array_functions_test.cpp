// The static engine's array functions on the tape: functions of arrays,
// written once as generic lambdas with janus::sum over janus::indices (and
// over plain data), run on doubles, through janus::grad / value_and_grad and
// through janus::tape::grad / value_and_grad. Values and gradients must agree
// to 1e-12 (relative to the gradient's size), the gradients have the same
// shapes, and central differences in double confirm them. Then what
// janus::sum over vars records: one statement over the vars of its terms,
// nested sums, constants, no_grad, a body that throws, detect_anomaly.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <vector>

#include "janus/janus.hpp"
#include "janus/tape.hpp"
#include "../numeric_error_check.hpp"
#include "../array_functions.hpp"

namespace {

// The functions, as a user writes them once for every engine (Rosenbrock and
// the pair potential: tests/array_functions.hpp).

using janus::testing::rosenbrock;

using janus::testing::energy;
using janus::testing::cluster;

const std::vector<double> inputs{1.0, 2.0, 3.0, -0.5, 0.25};

// A number and an array: sum_i (b + w_i d_i)^2 + b^2.
const auto loss = [](auto b, const auto& w) {
  return janus::sum(janus::indices(0, w.size()), [&](std::size_t i) { return janus::square(b + w[i] * inputs[i]); }) +
         b * b;
};

// An array between two numbers: a * sum_i sin(x_i) * x_i + c * x_0 / (1 + c^2).
const auto sandwich = [](auto a, const auto& x, auto c) {
  return a * janus::sum(janus::indices(0, x.size()), [&](std::size_t i) { return janus::sin(x[i]) * x[i]; }) +
         c * x[0] / (1.0 + c * c);
};

// A sum over plain data whose body captures the arguments (the negative
// log-likelihood of a normal distribution, up to a constant).
const std::vector<double> samples{0.3, -1.2, 2.5, 0.9, 1.7, -0.4, 0.0, 3.1};
const auto negative_log_likelihood = [](auto mu, auto sigma) {
  return janus::sum(samples, [&](double p) { return 0.5 * janus::square((p - mu) / sigma); }) +
         static_cast<double>(samples.size()) * janus::log(sigma);
};

// The same over an array of parameters, with the data as the range.
const auto fit = [](const auto& theta) {
  return janus::sum(samples, [&](double p) { return janus::square(theta[0] + theta[1] * p - p * p); });
};

std::vector<double> smooth(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.5 + 0.7 * std::sin(0.1 * static_cast<double>(i));
  return x;
}


// Comparing gradients of any shape: a number, an array, a tuple of those.

template <class X>
concept number_like = std::is_floating_point_v<X>;

double largest(double x) { return std::abs(x); }
template <class Range>
  requires(!number_like<Range>) && requires(const Range& r) { r.begin(); }
double largest(const Range& r) {
  double m = 0.0;
  for (const double x : r) m = std::max(m, std::abs(x));
  return m;
}
template <class... Parts>
double largest(const std::tuple<Parts...>& t) {
  return std::apply([](const auto&... part) { return std::max({0.0, largest(part)...}); }, t);
}

/// a and b agree to `tolerance` relative to `scale` (the largest entry of
/// the gradient: entries that cancel are compared at the gradient's size).
void require_close(double a, double b, double scale, double tolerance, const char* what) {
  BOOST_TEST(std::abs(a - b) <= tolerance * std::max({std::abs(a), std::abs(b), scale}),
             what << ": " << a << " vs " << b);
}
template <class Range>
  requires(!number_like<Range>) && requires(const Range& r) { r.begin(); }
void require_close(const Range& a, const Range& b, double scale, double tolerance, const char* what) {
  BOOST_TEST_REQUIRE(std::size(a) == std::size(b));
  for (std::size_t i = 0; i < std::size(a); ++i) require_close(a[i], b[i], scale, tolerance, what);
}
template <class... Parts>
void require_close(const std::tuple<Parts...>& a, const std::tuple<Parts...>& b, double scale, double tolerance,
                   const char* what) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (require_close(std::get<I>(a), std::get<I>(b), scale, tolerance, what), ...);
  }(std::index_sequence_for<Parts...>{});
}

/// f on doubles, through the static engine and through the tape: the values
/// and the gradients agree, and the gradients have the same type.
template <class F, class... Args>
void engines_agree(const char* name, const F& f, const Args&... args) {
  BOOST_TEST_CONTEXT(name) {
    const auto before = janus::tape::mark();
    const double value = f(args...);
    const auto [static_value, static_gradient] = janus::value_and_grad(f, args...);
    const auto [tape_value, tape_gradient] = janus::tape::value_and_grad(f, args...);
    const auto static_only = janus::grad(f)(args...);
    const auto tape_only = janus::tape::grad(f)(args...);
    static_assert(std::is_same_v<decltype(static_only), decltype(tape_only)>, "the same shape of gradient");
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(static_gradient)>,
                                 std::remove_cvref_t<decltype(tape_gradient)>>);
    BOOST_TEST(std::isfinite(value));
    require_close(static_value, value, 0.0, 1e-12, "static value");
    require_close(tape_value, value, 0.0, 1e-12, "tape value");
    const double scale = largest(static_gradient);
    BOOST_TEST(scale > 0.0);
    require_close(tape_gradient, static_gradient, scale, 1e-12, "tape against static");
    require_close(static_only, static_gradient, scale, 1e-12, "static grad against value_and_grad");
    require_close(tape_only, tape_gradient, scale, 1e-12, "tape grad against value_and_grad");
    // Whatever the tape recorded is forgotten.
    BOOST_TEST(janus::tape::mark().statements == before.statements);
  }
}

using janus::testing::central_differences;

std::size_t statements() { return janus::tape::mark().statements; }

}  // namespace

BOOST_AUTO_TEST_CASE(rosenbrock_over_a_vector) {
  for (const std::size_t n : {2u, 3u, 10u, 1000u}) engines_agree("rosenbrock", rosenbrock, smooth(n));
  const std::vector<double> xs(1000, 0.5);
  const std::vector<double> g = janus::tape::grad(rosenbrock)(xs);
  const auto [v, g2] = janus::tape::value_and_grad(rosenbrock, xs);
  BOOST_TEST(v == rosenbrock(xs), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g == g2, boost::test_tools::per_element());
  // The closed form: d/dx_i of 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
  const auto x = smooth(50);
  std::vector<double> expected(x.size(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    expected[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    expected[i + 1] += 200.0 * r;
  }
  const std::vector<double> tape_gradient = janus::tape::grad(rosenbrock)(x);
  for (std::size_t i = 0; i < x.size(); ++i)
    BOOST_TEST(tape_gradient[i] == expected[i], boost::test_tools::tolerance(1e-12));
  const auto reference = central_differences(rosenbrock, x);
  for (std::size_t i = 0; i < x.size(); ++i)
    BOOST_TEST(tape_gradient[i] == reference[i], boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(pair_potential_with_nested_sums) {
  for (const std::size_t atoms : {2u, 3u, 10u, 27u}) {
    const auto r = cluster(atoms);
    engines_agree("energy", energy, r);
    const std::vector<double> g = janus::tape::grad(energy)(r);
    const auto reference = central_differences(energy, r);
    for (std::size_t k = 0; k < r.size(); ++k) BOOST_TEST(g[k] == reference[k], boost::test_tools::tolerance(1e-6));
  }
}

BOOST_AUTO_TEST_CASE(numbers_and_arrays_mixed_give_one_entry_per_argument) {
  const std::vector<double> w{0.5, -1.0, 2.0, 0.1, -0.3};
  engines_agree("loss", loss, 0.1, w);
  const auto [gb, gw] = janus::tape::grad(loss)(0.1, w);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(gb)>, double>);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(gw)>, std::vector<double>>);
  double expected_b = 2 * 0.1;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double r = 0.1 + w[i] * inputs[i];
    expected_b += 2 * r;
    BOOST_TEST(gw[i] == 2 * r * inputs[i], boost::test_tools::tolerance(1e-14));
  }
  BOOST_TEST(gb == expected_b, boost::test_tools::tolerance(1e-14));

  const std::array<double, 3> x{0.4, -1.1, 2.3};
  engines_agree("sandwich", sandwich, 1.5, x, -0.7);
  engines_agree("sandwich over a vector", sandwich, 1.5, std::vector<double>(x.begin(), x.end()), -0.7);
  const auto [value, gradient] = janus::tape::value_and_grad(sandwich, 1.5, x, -0.7);
  const auto& [ga, gx, gc] = gradient;
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(gx)>, std::array<double, 3>>);
  double s = 0.0;
  for (const double xi : x) s += std::sin(xi) * xi;
  BOOST_TEST(value == sandwich(1.5, x, -0.7), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(ga == s, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(gc == x[0] * (1.0 - 0.49) / ((1.0 + 0.49) * (1.0 + 0.49)), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(gx[0] == 1.5 * (std::cos(x[0]) * x[0] + std::sin(x[0])) - 0.7 / 1.49, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(sums_over_plain_data_capturing_the_arguments) {
  engines_agree("negative log-likelihood", negative_log_likelihood, 0.4, 1.3);
  engines_agree("fit", fit, std::vector<double>{0.2, -0.5});
  // The scalar form keeps its type: a std::array, one entry per argument.
  const std::array<double, 2> g = janus::tape::grad(negative_log_likelihood)(0.4, 1.3);
  double dmu = 0.0, dsigma = static_cast<double>(samples.size()) / 1.3;
  for (const double p : samples) {
    dmu -= (p - 0.4) / (1.3 * 1.3);
    dsigma -= (p - 0.4) * (p - 0.4) / (1.3 * 1.3 * 1.3);
  }
  BOOST_TEST(g[0] == dmu, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[1] == dsigma, boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(array_shapes_follow_the_static_engine) {
  const std::array<double, 4> a{0.3, -0.2, 1.1, 0.7};
  const std::array<double, 4> ga = janus::tape::grad(rosenbrock)(a);
  const std::array<double, 4> gs = janus::grad(rosenbrock)(a);
  const std::vector<double> v(a.begin(), a.end());
  const std::vector<double> gspan = janus::tape::grad(rosenbrock)(std::span<const double>(v));
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(ga[i] == gs[i], boost::test_tools::tolerance(1e-13));
    BOOST_TEST(gspan[i] == gs[i], boost::test_tools::tolerance(1e-13));
  }
  // float arrays use the float tape.
  const std::vector<float> f(a.begin(), a.end());
  const auto [fv, gf] = janus::tape::value_and_grad(rosenbrock, f);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(fv)>, float>);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(gf)>, std::vector<float>>);
  for (std::size_t i = 0; i < a.size(); ++i)
    BOOST_TEST(gf[i] == static_cast<float>(gs[i]), boost::test_tools::tolerance(1e-5f));
  // An empty array, and a result that is one of the leaves.
  const auto first = [](const auto& x, auto y) { return x[0] * 1.0 + y * 0.0; };
  const auto [g0, gy] = janus::tape::grad(first)(std::vector<double>{2.0, 3.0, 4.0}, 1.0);
  BOOST_TEST(g0 == (std::vector<double>{1.0, 0.0, 0.0}), boost::test_tools::per_element());
  BOOST_TEST(gy == 0.0);
  const auto leaf = [](const auto& x) { return x[1]; };
  const std::vector<double> g1 = janus::tape::grad(leaf)(std::vector<double>{2.0, 3.0, 4.0});
  BOOST_TEST(g1 == (std::vector<double>{0.0, 1.0, 0.0}), boost::test_tools::per_element());
  const auto none = [](const auto& x, auto y) { return janus::sum(x, [&](const auto& xi) { return xi * y; }) + y; };
  const auto [ge, gy2] = janus::tape::grad(none)(std::vector<double>{}, 2.0);
  BOOST_TEST(ge.empty());
  BOOST_TEST(gy2 == 1.0);
}

BOOST_AUTO_TEST_CASE(a_sum_is_one_statement_over_the_vars_of_its_terms) {
  const janus::tape::scope scope;
  std::vector<janus::var> x(6);
  janus::tape::make_leaves(std::vector<double>{1, 2, 3, 4, 5, 6}, x);
  const std::size_t before = statements();
  const janus::var total = janus::sum(janus::indices(0, x.size()), [&](std::size_t i) { return x[i] * x[i]; });
  BOOST_TEST(statements() == before + 1);
  BOOST_TEST(total.value() == 91.0);
  const auto [first, last] = janus::tape::this_thread_tape().inputs(total.index());
  BOOST_TEST(static_cast<std::size_t>(last - first) == x.size());
  total.backward();
  for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(x[i].grad() == 2.0 * static_cast<double>(i + 1));
}

BOOST_AUTO_TEST_CASE(terms_may_repeat_or_be_constants) {
  const janus::tape::scope scope;
  const janus::var w = 2.0;
  // The same var as every term: its partials add up.
  const janus::var repeated = janus::sum(janus::indices(0, 3), [&](std::size_t) { return w; });
  BOOST_TEST(repeated.value() == 6.0);
  repeated.backward();
  BOOST_TEST(w.grad() == 3.0);
  // Constant terms add to the value only; constants only make a constant.
  const std::size_t before = statements();
  const janus::var constants =
      janus::sum(janus::indices(0, 4), [&](std::size_t i) { return janus::var::constant(static_cast<double>(i)); });
  BOOST_TEST(constants.value() == 6.0);
  BOOST_TEST(!constants.requires_grad());
  BOOST_TEST(statements() == before);
  const janus::var mixed = janus::sum(janus::indices(0, 4), [&](std::size_t i) {
    return i % 2 == 0 ? janus::var::constant(10.0) : janus::var(w * static_cast<double>(i));
  });
  BOOST_TEST(mixed.value() == 20.0 + 2.0 + 6.0);
  w.zero_grad();
  mixed.backward();
  BOOST_TEST(w.grad() == 4.0);
  // An empty range: the constant 0.
  const janus::var empty = janus::sum(janus::indices(3, 3), [&](std::size_t) { return w; });
  BOOST_TEST(empty.value() == 0.0);
  BOOST_TEST(!empty.requires_grad());
}

BOOST_AUTO_TEST_CASE(under_no_grad_a_sum_is_a_constant) {
  const janus::tape::scope scope;
  const janus::var w = 2.0;
  const std::size_t before = statements();
  const janus::no_grad pause;
  const janus::var s = janus::sum(samples, [&](double p) { return w * p; });
  BOOST_TEST(!s.requires_grad());
  BOOST_TEST(statements() == before);
  double expected = 0.0;
  for (const double p : samples) expected += 2.0 * p;
  BOOST_TEST(s.value() == expected, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_body_that_throws_leaves_later_sums_right) {
  const janus::tape::scope scope;
  std::vector<janus::var> x(4);
  janus::tape::make_leaves(std::vector<double>{1, 2, 3, 4}, x);
  const auto throwing = [&] {
    return janus::sum(janus::indices(0, 4), [&](std::size_t i) {
      return janus::sum(janus::indices(0, 4), [&](std::size_t j) {
        if (i == 2 && j == 1) throw std::runtime_error("stop");
        return x[i] * x[j];
      });
    });
  };
  BOOST_CHECK_THROW(throwing(), std::runtime_error);
  // The operands of the sums it left were taken back: a sum now has its own.
  const janus::var s = janus::sum(x, [&](const janus::var& xi) { return xi * 3.0; });
  const auto [first, last] = janus::tape::this_thread_tape().inputs(s.index());
  BOOST_TEST(static_cast<std::size_t>(last - first) == x.size());
  s.backward();
  for (const janus::var& xi : x) BOOST_TEST(xi.grad() == 3.0);
}

BOOST_AUTO_TEST_CASE(nested_sums_inside_a_recording) {
  // A sum of sums recorded directly (not through tape::grad), and one made
  // while another sum's body runs: each takes only its own terms.
  const janus::tape::scope scope;
  std::vector<janus::var> x(5);
  janus::tape::make_leaves(std::vector<double>{0.5, 1.0, 1.5, 2.0, 2.5}, x);
  const janus::var pairs = janus::sum(janus::indices(0, x.size()), [&](std::size_t i) {
    const janus::var inner = janus::sum(janus::indices(i + 1, x.size()), [&](std::size_t j) { return x[i] * x[j]; });
    return inner + x[i];
  });
  pairs.backward();
  double expected_value = 0.0;
  std::vector<double> expected(x.size(), 1.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    expected_value += x[i].value();
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      expected_value += x[i].value() * x[j].value();
      expected[i] += x[j].value();
      expected[j] += x[i].value();
    }
  }
  BOOST_TEST(pairs.value() == expected_value, boost::test_tools::tolerance(1e-15));
  for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(x[i].grad() == expected[i], boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(detect_anomaly_reports_a_sum_that_overflows) {
  const janus::tape::scope scope;
  const janus::var big = 1e308;
  const janus::detect_anomaly guard;
  janus::testing::require_numeric_error(
      [&] { (void)janus::sum(janus::indices(0, 2), [&](std::size_t) { return big * 1.0; }); },
      {"forward pass of sum", "inf"});
}
