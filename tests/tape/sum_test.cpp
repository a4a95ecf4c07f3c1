// janus::tape::sum and sum_each: a reduction recorded as one statement gives
// the value and the gradients of the same reduction recorded term by term,
// and of the closed forms.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "janus/tape.hpp"
#include "janus/tape/sum.hpp"

using janus::var;

namespace {
const std::vector<double> points{0.3, -1.2, 2.5, 0.9, 1.7, -0.4};
}

BOOST_AUTO_TEST_CASE(a_likelihood_is_one_statement_with_the_closed_form_gradient) {
  const janus::tape::scope iteration;
  const var mu = 0.8, sigma = 1.3;
  const auto before = janus::tape::mark();
  const var squares = janus::tape::sum(
      points, [](double p, auto m, auto s) { return square((p - m) / s); }, mu, sigma);
  BOOST_TEST(janus::tape::mark().statements == before.statements + 1);
  BOOST_TEST(janus::tape::mark().operands == before.operands + 2);
  squares.backward();

  double value = 0, d_mu = 0, d_sigma = 0;  // by hand
  for (const double p : points) {
    const double z = (p - 0.8) / 1.3;
    value += z * z;
    d_mu += -2 * z / 1.3;
    d_sigma += -2 * z * z / 1.3;
  }
  BOOST_TEST(squares.value() == value, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(mu.grad() == d_mu, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(sigma.grad() == d_sigma, boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(sum_each_gives_a_log_sum_exp_its_softmax_gradient) {
  const janus::tape::scope iteration;
  std::vector<var> x(points.begin(), points.end());
  const double largest = 2.5;
  const var total = janus::tape::sum_each(x, [largest](auto xi, std::size_t) { return exp(xi - largest); });
  const var lse = log(total) + largest;
  lse.backward();

  double sum_of_exp = 0;
  for (const double p : points) sum_of_exp += std::exp(p);
  BOOST_TEST(lse.value() == std::log(sum_of_exp), boost::test_tools::tolerance(1e-14));
  for (std::size_t i = 0; i < x.size(); ++i)
    BOOST_TEST(x[i].grad() == std::exp(points[i]) / sum_of_exp, boost::test_tools::tolerance(1e-13));
}

// A dense row w . input + b as one statement, against the same row recorded
// operation by operation; a constant among the weights is left out of the
// operands and gets no gradient.
BOOST_AUTO_TEST_CASE(sum_each_with_the_index_is_a_dot_product) {
  const std::array<double, 4> input{0.5, -1.5, 2.0, 0.25};
  const std::array<double, 4> weight_values{0.1, -0.3, 0.7, 1.1};
  std::array<double, 4> per_operation{}, reduced{};
  for (const bool one_statement : {false, true}) {
    const janus::tape::scope iteration;
    std::vector<var> w(weight_values.begin(), weight_values.end());
    w[2] = var::constant(0.7);
    const var b = 0.2;
    var z = b;
    if (one_statement) {
      const auto before = janus::tape::mark();
      z = b + janus::tape::sum_each(w, [&](auto wj, std::size_t j) { return wj * input[j]; });
      BOOST_TEST(janus::tape::mark().operands == before.operands + 3 + 2);  // three weights, then b + sum
    } else {
      for (std::size_t j = 0; j < w.size(); ++j) z = z + w[j] * input[j];
    }
    const var y = tanh(z);
    y.backward();
    auto& gradients = one_statement ? reduced : per_operation;
    for (std::size_t j = 0; j < w.size(); ++j) gradients[j] = w[j].grad();
    BOOST_TEST(b.grad() == 1 - y.value() * y.value(), boost::test_tools::tolerance(1e-14));
  }
  for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(reduced[j] == per_operation[j], boost::test_tools::tolerance(1e-14));
  BOOST_TEST(reduced[2] == 0.0);
}

BOOST_AUTO_TEST_CASE(nothing_is_recorded_under_no_grad_or_without_recorded_operands) {
  const janus::tape::scope iteration;
  const var mu = 0.8, sigma = 1.3;
  std::vector<var> constants{var::constant(1.0), var::constant(2.0)};
  const auto before = janus::tape::mark();
  {
    const janus::no_grad paused;
    const var s = janus::tape::sum(points, [](double p, auto m, auto) { return p * m; }, mu, sigma);
    const var e = janus::tape::sum_each(constants, [](auto c, std::size_t) { return 2.0 * c; });
    BOOST_TEST(!s.requires_grad());
    BOOST_TEST(e.value() == 6.0);
  }
  const var e = janus::tape::sum_each(constants, [](auto c, std::size_t) { return 2.0 * c; });
  BOOST_TEST(!e.requires_grad());
  BOOST_TEST(e.value() == 6.0);
  BOOST_TEST(janus::tape::mark().statements == before.statements);
  BOOST_TEST(janus::tape::mark().operands == before.operands);
}

namespace {
double rosenbrock_term(double a, double b) { return 100.0 * (b - a * a) * (b - a * a) + (1.0 - a) * (1.0 - a); }
}  // namespace

// Rosenbrock's function as one statement of windows of two: the value and
// gradient of the same sum recorded operation by operation, and of the
// closed form d/dx_i = -400 x_i (x_{i+1} - x_i^2) - 2 (1 - x_i) + 200 (x_i - x_{i-1}^2).
BOOST_AUTO_TEST_CASE(sum_windows_of_two_is_rosenbrock_with_its_closed_form_gradient) {
  const janus::tape::scope iteration;
  const std::vector<double> values{0.5, -1.1, 1.3, 0.2, -0.7, 1.9, 0.4};
  std::vector<var> x(values.begin(), values.end());
  const auto before = janus::tape::mark();
  const var total = janus::tape::sum_windows<2>(
      x, [](auto a, auto b, std::size_t) { return 100.0 * square(b - a * a) + square(1.0 - a); });
  BOOST_TEST(janus::tape::mark().statements == before.statements + 1);
  BOOST_TEST(janus::tape::mark().operands == before.operands + values.size());
  total.backward();

  var by_operation = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    by_operation = by_operation + 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
  double value = 0;
  for (std::size_t i = 0; i + 1 < values.size(); ++i) value += rosenbrock_term(values[i], values[i + 1]);
  BOOST_TEST(total.value() == value, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(by_operation.value() == value, boost::test_tools::tolerance(1e-14));

  std::vector<double> from_windows(x.size());
  janus::tape::read_gradients(x, from_windows);
  for (const var& xi : x) xi.zero_grad();
  by_operation.backward();
  for (std::size_t i = 0; i < x.size(); ++i) {
    double closed_form = 0;
    if (i + 1 < values.size())
      closed_form += -400.0 * values[i] * (values[i + 1] - values[i] * values[i]) - 2.0 * (1.0 - values[i]);
    if (i > 0) closed_form += 200.0 * (values[i] - values[i - 1] * values[i - 1]);
    BOOST_TEST(from_windows[i] == closed_form, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(from_windows[i] == x[i].grad(), boost::test_tools::tolerance(1e-12));
  }
}

// Windows of three with the index, constants among the vars: each recorded
// var's partial is summed over the (up to three) windows that hold it, the
// constants are left out, and central differences in double agree.
BOOST_AUTO_TEST_CASE(sum_windows_of_three_leaves_out_constants_and_agrees_with_differences) {
  const janus::tape::scope iteration;
  const std::vector<double> values{0.3, -0.8, 1.4, 0.6, -1.2, 0.9};
  const auto energy = [](const std::vector<double>& v) {  // sum_i (i + 1) (v_i - 2 v_{i+1} + v_{i+2})^2 sin(v_i)
    double e = 0;
    for (std::size_t i = 0; i + 2 < v.size(); ++i) {
      const double d = v[i] - 2.0 * v[i + 1] + v[i + 2];
      e += static_cast<double>(i + 1) * d * d * std::sin(v[i]);
    }
    return e;
  };
  std::vector<var> x(values.begin(), values.end());
  x[2] = var::constant(values[2]);  // not an operand
  const auto before = janus::tape::mark();
  const var total = janus::tape::sum_windows<3>(x, [](auto a, auto b, auto c, std::size_t i) {
    return static_cast<double>(i + 1) * square(a - 2.0 * b + c) * sin(a);
  });
  BOOST_TEST(janus::tape::mark().operands == before.operands + values.size() - 1);
  BOOST_TEST(total.value() == energy(values), boost::test_tools::tolerance(1e-14));
  total.backward();
  const double h = 1e-6;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i == 2) {
      BOOST_TEST(!x[i].requires_grad());
      continue;
    }
    auto up = values, down = values;
    up[i] += h;
    down[i] -= h;
    const double difference = (energy(up) - energy(down)) / (2 * h);
    BOOST_TEST(x[i].grad() == difference, boost::test_tools::tolerance(1e-7));
  }
}

// Fewer vars than the window: no term, the sum is the constant 0; under
// no_grad the value is computed and nothing is recorded.
BOOST_AUTO_TEST_CASE(sum_windows_without_a_window_or_under_no_grad_records_nothing) {
  const janus::tape::scope iteration;
  const std::vector<var> x{var(1.5), var(2.0)};
  const auto before = janus::tape::mark();
  const auto product = [](auto a, auto b, auto c, std::size_t) { return a * b * c; };
  const var none = janus::tape::sum_windows<3>(x, product);
  BOOST_TEST(none.value() == 0.0);
  BOOST_TEST(!none.requires_grad());
  const std::vector<var> y{var(1.5), var(2.0), var(3.0), var(0.5)};
  const auto after_leaves = janus::tape::mark();
  {
    const janus::no_grad paused;
    const var value_only = janus::tape::sum_windows<3>(y, product);
    BOOST_TEST(value_only.value() == 1.5 * 2.0 * 3.0 + 2.0 * 3.0 * 0.5);
    BOOST_TEST(!value_only.requires_grad());
  }
  BOOST_TEST(before.statements + 4 == after_leaves.statements);
  BOOST_TEST(janus::tape::mark().statements == after_leaves.statements);
  BOOST_TEST(janus::tape::mark().operands == after_leaves.operands);
}
