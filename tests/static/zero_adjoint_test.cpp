// The rule of every engine for 0 times infinity (docs/rules.md): an adjoint
// of exactly 0 propagates nothing, even through an infinite or NaN local
// derivative. Which rules declare such a derivative, and the static
// engine's sweep through each kind of node that can meet one. The scalar
// and tensor tapes are compared with it in tests/tape/engines_agree_test.cpp.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "janus/janus.hpp"

namespace rules = janus::rules;

// The rules whose derivative is unbounded at finite inputs say so; the
// others pay nothing (no comparison is added to their pullbacks).
static_assert(rules::has_unbounded_derivative<rules::sqrt> && rules::has_unbounded_derivative<rules::cbrt> &&
              rules::has_unbounded_derivative<rules::log> && rules::has_unbounded_derivative<rules::log1p> &&
              rules::has_unbounded_derivative<rules::log2> && rules::has_unbounded_derivative<rules::log10> &&
              rules::has_unbounded_derivative<rules::div> && rules::has_unbounded_derivative<rules::pow> &&
              rules::has_unbounded_derivative<rules::pow_constant> && rules::has_unbounded_derivative<rules::asin> &&
              rules::has_unbounded_derivative<rules::acos> && rules::has_unbounded_derivative<rules::atan2> &&
              rules::has_unbounded_derivative<rules::hypot>);
static_assert(!rules::has_unbounded_derivative<rules::mul> && !rules::has_unbounded_derivative<rules::exp> &&
              !rules::has_unbounded_derivative<rules::sin> && !rules::has_unbounded_derivative<rules::tanh>);

namespace zero_adjoint_test {
// A rule that declares the trait false: treated as one that declares nothing.
struct bounded {
  static constexpr std::string_view name = "bounded";
  static constexpr auto reads = rules::pullback_reads::input;
  static constexpr bool unbounded_derivative = false;
  template <class T> static constexpr T value(T x) { return x; }
  template <class T> static constexpr T pullback(T, T, T g) { return g; }
};
static_assert(!rules::has_unbounded_derivative<bounded> && rules::unary_rule<bounded>);
}  // namespace zero_adjoint_test

namespace {
template <int Steps, class E>
auto doubled(const E& e) {
  if constexpr (Steps == 0) return e;
  else return doubled<Steps - 1>(e * 0.5 + e * 0.5);
}
}  // namespace

BOOST_AUTO_TEST_CASE(pullback_of_gives_zero_for_a_zero_adjoint_only) {
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(rules::pullback_of(rules::sqrt{}, 0.0, 0.0, 0.0) == 0.0);
  BOOST_TEST(std::isnan(rules::sqrt{}.pullback(0.0, 0.0, 0.0)));  // what the formula alone gives
  BOOST_TEST(rules::pullback_of(rules::sqrt{}, 0.0, 0.0, 1.0) == inf);
  BOOST_TEST(rules::pullback_of(rules::sqrt{}, 4.0, 2.0, 3.0) == 0.75);
  const auto div = rules::pullback_of(rules::div{}, 1.0, 0.0, inf, 0.0);
  BOOST_TEST(div.first == 0.0);
  BOOST_TEST(div.second == 0.0);
  const auto div_at_one = rules::pullback_of(rules::div{}, 3.0, 2.0, 1.5, 1.0);
  BOOST_TEST(div_at_one.first == 0.5);
  BOOST_TEST(div_at_one.second == -0.75);
  // -0.0 is exactly 0 too.
  BOOST_TEST(rules::pullback_of(rules::log{}, 0.0, -inf, -0.0) == 0.0);
}

BOOST_AUTO_TEST_CASE(unary_and_binary_nodes) {
  BOOST_TEST(janus::grad([](auto x) { return 0.0 * sqrt(x); })(0.0)[0] == 0.0);
  BOOST_TEST(janus::grad([](auto x) { return x + 0.0 * log(x); })(0.0)[0] == 1.0);
  BOOST_TEST(janus::grad([](auto x) { return 0.0 * pow(x, 0.5); })(0.0)[0] == 0.0);
  BOOST_TEST(janus::grad([](auto x) { return 0.0 * (1.0 / x); })(0.0)[0] == 0.0);
  BOOST_TEST(janus::grad([](auto x) { return 3.0 * x + 0.0 * acos(x); })(1.0)[0] == 3.0);
  BOOST_TEST(janus::grad([](auto x) { return x + 0.0 * atan2(x, 0.0); })(0.0)[0] == 1.0);
  const auto both = janus::grad([](auto x, auto y) { return 0.0 * pow(x, y) + y; })(0.0, 0.5);
  BOOST_TEST(both[0] == 0.0);
  BOOST_TEST(both[1] == 1.0);
  // Floats too, and with the value asked for.
  const auto [value, gradient] = janus::value_and_grad([](auto x) { return x * 2.0f + 0.0f * sqrt(x); }, 0.0f);
  BOOST_TEST(value == 0.0f);
  BOOST_TEST(gradient[0] == 2.0f);
  // A nonzero adjoint still meets the infinite derivative: the gradient of
  // sqrt at 0 is infinite, as it should be.
  BOOST_TEST(std::isinf(janus::grad([](auto x) { return sqrt(x); })(0.0)[0]));
}

BOOST_AUTO_TEST_CASE(sums_and_preaccumulated_operands) {
  // A sum over data whose partial with respect to mu is infinite (sqrt at 0
  // in its body), scaled by 0.
  const std::vector<double> data{1.0, 2.0, 3.0};
  const auto g = janus::grad([&](auto mu) {
    return mu + 0.0 * janus::sum(data, [=](double p) { return sqrt(p - mu); });
  })(1.0);
  BOOST_TEST(g[0] == 1.0);
  // A long formula: each step stores the previous one twice, so operands
  // are soon preaccumulated, their partials stored, one of them infinite.
  const auto long_formula = [](auto x, auto y) { return 0.0 * doubled<8>(sqrt(x) * y) + y; };
  const auto [value, gradient] = janus::value_and_grad(long_formula, 0.0, 2.0);
  BOOST_TEST(value == 2.0);
  BOOST_TEST(gradient[0] == 0.0);
  BOOST_TEST(gradient[1] == 1.0);
}
