// tests/forward/multidual_test.cpp: janus::multidual, N tangents at once.
//
// Each tangent of a multidual must be what a janus::dual carrying that
// tangent alone gives (itself checked against finite differences in
// dual_test.cpp), for every rule of the table; and a gradient of the static
// engine on multiduals seeded with the unit vectors is the Hessian, checked
// against janus::hessian (itself checked in tests/second_order).
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>

#include "domain.hpp"

namespace rules = janus::rules;
using forward_tests::for_each_rule;
using janus::dual;
using janus::multidual;
using forward_tests::agrees;

namespace {

constexpr std::array<double, 3> seeds{1.0, -0.5, 0.0};

}  // namespace

BOOST_AUTO_TEST_SUITE(forward_multidual)

BOOST_AUTO_TEST_CASE(every_unary_rule_gives_each_tangent_as_a_dual_does) {
  for_each_rule<rules::unary_rules>::run([]<class Rule>() {
    for (double x : forward_tests::unary_points<Rule>()) {
      const multidual<double, 3> y = janus::apply(Rule{}, multidual<double, 3>{x, seeds});
      BOOST_TEST_CONTEXT(std::string(Rule::name) << " at " << x) {
        for (std::size_t i = 0; i < 3; ++i) {
          const dual<double> one = janus::apply(Rule{}, dual<double>{x, seeds[i]});
          BOOST_TEST(agrees(y.value(), one.value(), 1e-15));  // not ==: a value may be folded exactly
          BOOST_TEST(agrees(y.tangent(i), one.tangent(), 1e-15));
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(every_binary_rule_gives_each_tangent_as_a_dual_does) {
  for_each_rule<rules::binary_rules>::run([]<class Rule>() {
    for (auto [a, b] : forward_tests::binary_points<Rule>()) {
      const std::array<double, 3> other{0.25, 2.0, -1.0};
      const multidual<double, 3> y = janus::apply(Rule{}, multidual<double, 3>{a, seeds}, multidual<double, 3>{b, other});
      const multidual<double, 3> left = janus::apply(Rule{}, multidual<double, 3>{a, seeds}, b);
      const multidual<double, 3> right = janus::apply(Rule{}, a, multidual<double, 3>{b, other});
      BOOST_TEST_CONTEXT(std::string(Rule::name) << " at (" << a << ", " << b << ")") {
        for (std::size_t i = 0; i < 3; ++i) {
          BOOST_TEST(agrees(y.tangent(i),
                            janus::apply(Rule{}, dual<double>{a, seeds[i]}, dual<double>{b, other[i]}).tangent(), 1e-14));
          BOOST_TEST(agrees(left.tangent(i), janus::apply(Rule{}, dual<double>{a, seeds[i]}, b).tangent(), 1e-14));
          BOOST_TEST(agrees(right.tangent(i), janus::apply(Rule{}, a, dual<double>{b, other[i]}).tangent(), 1e-14));
        }
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(arithmetic_and_named_functions) {
  // f(x, y) = x^2 y + sin(x) / y at (1.5, 2), tangents along x and along y.
  const multidual<double, 2> x{1.5, {1.0, 0.0}};
  const multidual<double, 2> y{2.0, {0.0, 1.0}};
  const auto f = x * x * y + sin(x) / y - 3.0;
  BOOST_TEST(agrees(f.value(), 4.5 + std::sin(1.5) / 2.0 - 3.0, 1e-15));
  BOOST_TEST(agrees(f.tangent(0), 2 * 1.5 * 2.0 + std::cos(1.5) / 2.0, 1e-15));
  BOOST_TEST(agrees(f.tangent(1), 1.5 * 1.5 - std::sin(1.5) / 4.0, 1e-15));
  BOOST_TEST((x < y));
  BOOST_TEST(!(x == multidual<double, 2>{1.5}));
  // A constant's zero tangents meet no infinity: sqrt at 0.
  const auto root = janus::sqrt(multidual<double, 2>{0.0, {1.0, 0.0}});
  BOOST_TEST(root.tangent(0) == std::numeric_limits<double>::infinity());
  BOOST_TEST(root.tangent(1) == 0.0);
}

BOOST_AUTO_TEST_CASE(gradient_on_multiduals_is_the_hessian) {
  const auto f = [](auto a, auto b, auto c, auto d) {
    return a * b * exp(c) + tanh(d * a) / (1.0 + b * b) + pow(c, 3) * log(d);
  };
  const std::array x{0.3, -1.2, 0.8, 1.7};
  using seeded = multidual<double, 4>;
  const auto g = janus::grad(f)(seeded{x[0], {1, 0, 0, 0}}, seeded{x[1], {0, 1, 0, 0}}, seeded{x[2], {0, 0, 1, 0}},
                                seeded{x[3], {0, 0, 0, 1}});
  const auto H = janus::hessian(f)(x[0], x[1], x[2], x[3]);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(agrees(g[i].tangent(j), H[i][j], 1e-13), i << ", " << j);
}

BOOST_AUTO_TEST_SUITE_END()
