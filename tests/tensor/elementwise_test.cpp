// Every rule of the table on tensors: values from rule.value, gradients
// against finite differences, same shapes, broadcast shapes and scalars.
#include <boost/test/unit_test.hpp>

#include <tuple>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(every_unary_rule_matches_its_value_and_finite_differences) {
  // Inside (0.1, 0.9) every rule is defined and smooth (log, sqrt, asin, relu, abs...).
  const dtensor at = random({2, 3}, 0.1, 0.9);
  std::apply([&](auto... rule) {
    ([&] {
      BOOST_TEST_CONTEXT("rule " << decltype(rule)::name) {
        const dtensor y = apply(rule, at);
        for (std::size_t i = 0; i < at.numel(); ++i) BOOST_TEST(y.data()[i] == rule.value(at.data()[i]));
        require_gradients([rule](const inputs& in) { return sum(apply(rule, in[0]) * in[0]); }, {at});
      }
    }(), ...);
  }, rules::unary_rules{});
}

BOOST_AUTO_TEST_CASE(every_binary_rule_same_shape_broadcast_and_with_constants) {
  const dtensor a = random({2, 3}, 0.2, 0.9, 1);
  const dtensor b = random({2, 3}, 1.1, 1.9, 2);  // b > a: max and min have no ties
  const dtensor row = random({3}, 1.1, 1.9, 3);
  std::apply([&](auto... rule) {
    ([&] {
      BOOST_TEST_CONTEXT("rule " << decltype(rule)::name) {
        const dtensor y = apply(rule, a, b);
        for (std::size_t i = 0; i < a.numel(); ++i) BOOST_TEST(y.data()[i] == rule.value(a.data()[i], b.data()[i]));
        require_gradients([rule](const inputs& in) { return sum(apply(rule, in[0], in[1])); }, {a, b});
        require_gradients([rule](const inputs& in) { return sum(apply(rule, in[0], in[1])); }, {a, row});
        require_gradients([rule](const inputs& in) { return sum(apply(rule, in[0], 1.5)); }, {a});
        require_gradients([rule](const inputs& in) { return sum(apply(rule, 0.5, in[0])); }, {b});
      }
    }(), ...);
  }, rules::binary_rules{});
}

BOOST_AUTO_TEST_CASE(pow_with_a_constant_exponent_is_a_rule_with_a_parameter) {
  const dtensor x = random({4}, 0.5, 2.0);
  require_values(pow(x, 2.5), {std::pow(x.data()[0], 2.5), std::pow(x.data()[1], 2.5), std::pow(x.data()[2], 2.5),
                               std::pow(x.data()[3], 2.5)});
  require_gradients([](const inputs& in) { return sum(pow(in[0], 2.5)); }, {x});
  require_gradients([](const inputs& in) { return sum(pow(2.0, in[0])); }, {x});
}

BOOST_AUTO_TEST_CASE(operators_and_a_shared_input) {
  const dtensor a = random({2, 2}, 0.5, 1.5, 4);
  const dtensor b = random({2, 2}, 0.5, 1.5, 5);
  require_gradients([](const inputs& in) { return sum((in[0] + in[1]) * in[0] / in[1] - in[1]); }, {a, b});
  require_gradients([](const inputs& in) { return sum(-in[0] + 2.0 * in[0] - 1.0 / in[0] + in[0] * 3.0); }, {a});
  require_gradients([](const inputs& in) { return sum(in[0] * in[0]); }, {a});  // both sides the same tensor
  const dtensor x({2}, {3, 4}, true);
  sum(x * x).backward();
  require_values(x.grad(), {6, 8});
}

BOOST_AUTO_TEST_CASE(named_binary_functions_call_their_rules) {
  const dtensor a({3}, {1, -2, 3});
  const dtensor b({3}, {2, 2, -1});
  require_values(max(a, b), {2, 2, 3});
  require_values(min(a, b), {1, -2, -1});
  require_values(hypot(a, b), {std::hypot(1.0, 2.0), std::hypot(-2.0, 2.0), std::hypot(3.0, -1.0)});
  require_values(atan2(a, b), {std::atan2(1.0, 2.0), std::atan2(-2.0, 2.0), std::atan2(3.0, -1.0)});
  require_values(pow(b, dtensor({3}, {2, 3, 2})), {4, 8, 1});
}

namespace {
using janus::rules::pullback_reads;
// A user's own rule, written only in terms of the rule contract.
struct cube {
  static constexpr std::string_view name = "cube";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * T(3) * x * x; }
};
}  // namespace

BOOST_AUTO_TEST_CASE(a_users_rule_works_like_a_built_in_one) {
  const dtensor x({2}, {2, -1}, true);
  const dtensor y = apply(cube{}, x);
  require_values(y, {8, -1});
  BOOST_TEST(to_dot(y).find("cube") != std::string::npos);
  sum(y).backward();
  require_values(x.grad(), {12, 3});
}

BOOST_AUTO_TEST_CASE(float_tensors_use_the_same_rules) {
  const Tensor x({3}, {0.5f, 1.0f, 2.0f}, true);
  sum(log(x) * 2.0f).backward();
  require_values(x.grad(), {4.0, 2.0, 1.0});
}
