// janus::tape::fuse: one statement per formula gives the gradients of the
// same formula recorded operation by operation.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "janus/tape.hpp"
#include "janus/tape/fuse.hpp"

namespace {
const auto rosenbrock_term = [](auto a, auto b) { return 100.0 * square(b - a * a) + square(1.0 - a); };
}

BOOST_AUTO_TEST_CASE(fused_and_per_operation_gradients_agree) {
  const std::vector<double> point{-1.2, 1.0, 0.3, -0.7, 2.0};
  std::vector<double> per_operation, fused;
  for (const bool fuse : {false, true}) {
    const janus::tape::scope iteration;
    std::vector<janus::var> x(point.begin(), point.end());
    janus::var total = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
      total = fuse ? janus::tape::fuse([](auto t, auto a, auto b) { return t + rosenbrock_term(a, b); }, total, x[i],
                                       x[i + 1])
                   : total + rosenbrock_term(x[i], x[i + 1]);
    total.backward();
    for (const auto& xi : x) (fuse ? fused : per_operation).push_back(xi.grad());
  }
  BOOST_TEST(per_operation.size() == fused.size());
  for (std::size_t i = 0; i < fused.size(); ++i)
    BOOST_TEST(fused[i] == per_operation[i], boost::test_tools::tolerance(1e-13));
  BOOST_TEST(per_operation[0] == -2 * (1 - -1.2) - 400 * -1.2 * (1.0 - 1.44), boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(a_fused_statement_records_once) {
  const janus::tape::scope iteration;
  const janus::var a = 0.5, b = 2.0;
  const auto before = janus::tape::mark();
  const janus::var y = janus::tape::fuse([](auto p, auto q) { return sin(p) * exp(q) / (1.0 + q); }, a, b);
  BOOST_TEST(janus::tape::mark().statements == before.statements + 1);
  BOOST_TEST(janus::tape::mark().operands == before.operands + 2);
  BOOST_TEST(y.value() == std::sin(0.5) * std::exp(2.0) / 3.0, boost::test_tools::tolerance(1e-15));
  y.backward();
  BOOST_TEST(a.grad() == std::cos(0.5) * std::exp(2.0) / 3.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(b.grad() == std::sin(0.5) * std::exp(2.0) * 2.0 / 9.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(janus::to_dot(y).find("fused") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(constants_among_the_arguments) {
  const janus::tape::scope iteration;
  const janus::var a = 3.0;
  const janus::var c = janus::var(4.0).detach();
  const auto before = janus::tape::mark();
  const janus::var y = janus::tape::fuse([](auto p, auto q) { return p * q; }, a, c);
  BOOST_TEST(janus::tape::mark().operands == before.operands + 1);  // only the recorded input
  y.backward();
  BOOST_TEST(a.grad() == 4.0);
  BOOST_TEST(!janus::tape::fuse([](auto p, auto q) { return p * q; }, c, c).requires_grad());
  {
    const janus::no_grad pause;
    BOOST_TEST(!janus::tape::fuse([](auto p, auto q) { return p * q; }, a, a).requires_grad());
  }
}

// Inside janus::tape::value_and_grad the sweep starts at the function's own
// inputs; a fused statement with an operand recorded before them writes only
// that operand's scratch adjoint, which must reach no gradient.
BOOST_AUTO_TEST_CASE(operands_before_the_swept_part) {
  const janus::tape::scope iteration;
  const janus::var outside = 2.0;
  const auto [value, gradient] = janus::tape::value_and_grad(
      [&](auto x) {
        auto y = janus::tape::fuse([](auto p, auto q) { return p * q + sin(p); }, x, outside);
        for (int i = 0; i < 3; ++i) y = janus::tape::fuse([](auto s, auto p) { return s * p; }, y, x);
        return y;
      },
      0.5);
  const double x = 0.5;
  BOOST_TEST(value == (x * 2.0 + std::sin(x)) * x * x * x, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(gradient[0] == (2.0 + std::cos(x)) * x * x * x + (x * 2.0 + std::sin(x)) * 3 * x * x,
             boost::test_tools::tolerance(1e-14));
  BOOST_TEST(outside.grad() == 0.0);
}
