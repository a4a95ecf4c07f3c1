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
