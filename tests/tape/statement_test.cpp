// Statements on the tape (janus/tape/statement.hpp): arithmetic on vars is an
// expression recorded as one tape entry when it becomes a var, with one
// operand per distinct var; `auto` keeps such an expression safely.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "janus/tape.hpp"

namespace {

using janus::var;

struct fresh_tape {
  fresh_tape() { janus::tape::reset(); }
  ~fresh_tape() { janus::tape::reset(); }
};

// What the tape holds now: statements and operands.
janus::tape::position where() { return janus::tape::mark(); }

// The sum of N reads x[0] + x[1] + ... as one expression (a fold, so that
// its type holds all N leaves).
template <std::size_t... I>
auto sum_of_reads(const std::vector<var>& x, std::index_sequence<I...>) {
  return ((x[I % x.size()] * 1.0) + ...);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(statements, fresh_tape)

BOOST_AUTO_TEST_CASE(a_statement_records_one_entry_with_one_operand_per_distinct_var) {
  const var x = 1.5, y = -2.0;
  const auto before = where();
  const var z = x * x + x * y + sin(x) / y;
  const auto after = where();
  BOOST_TEST(after.statements == before.statements + 1);
  BOOST_TEST(after.operands == before.operands + 2);  // x and y, each once
  z.backward();
  BOOST_TEST(x.grad() == 2 * 1.5 + -2.0 + std::cos(1.5) / -2.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(y.grad() == 1.5 - std::sin(1.5) / 4.0, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(repeated_reads_add_their_partials) {
  const var x = 0.75;
  const auto before = where();
  const var z = x * x + x + exp(x) * x;
  BOOST_TEST(where().operands == before.operands + 1);
  z.backward();
  BOOST_TEST(x.grad() == 2 * 0.75 + 1 + std::exp(0.75) * (0.75 + 1), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(constants_and_constant_vars_are_not_operands) {
  const var x = 2.0;
  const var c = var::constant(3.0);
  const auto before = where();
  const var z = c * x + 4.0 * c - 1.0;
  BOOST_TEST(where().operands == before.operands + 1);
  z.backward();
  BOOST_TEST(x.grad() == 3.0);
  // A statement of constants only records nothing.
  const auto at = where();
  const var k = c * c + 1.0;
  BOOST_TEST(!k.requires_grad());
  BOOST_TEST(k.value() == 10.0);
  BOOST_TEST(where().statements == at.statements);
}

BOOST_AUTO_TEST_CASE(auto_keeps_copies_that_outlive_the_vars_they_read) {
  std::optional<decltype(std::declval<var>() * std::declval<var>() + 1.0)> kept;
  var a_gradient_of;
  {
    const var a = 3.0, b = 4.0;
    a_gradient_of = a;
    kept.emplace(a * b + 1.0);  // a and b die at the end of this block
  }
  BOOST_TEST(kept->value() == 13.0);
  BOOST_TEST(kept->requires_grad());
  const var y = *kept;  // recorded now, from the copies
  y.backward();
  BOOST_TEST(a_gradient_of.grad() == 4.0);
}

BOOST_AUTO_TEST_CASE(a_lambda_may_return_a_statement_of_its_parameters) {
  const auto term = [](auto a, auto b) { return 100.0 * square(b - a * a) + square(1.0 - a); };
  const var x = 0.5, y = 1.25;
  const var z = term(x, y);  // a and b, the lambda's copies, are gone by now
  z.backward();
  BOOST_TEST(x.grad() == -400.0 * 0.5 * (1.25 - 0.25) - 2.0 * 0.5, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(y.grad() == 200.0 * (1.25 - 0.25), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(an_expression_used_twice_is_recorded_in_each_use) {
  const var x = 0.3;
  const auto s = sin(x);
  const var a = s * 2.0;
  const var b = s + s;
  BOOST_TEST(a.value() == b.value());
  const var total = a + b;
  total.backward();
  BOOST_TEST(x.grad() == 4 * std::cos(0.3), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_named_expression_is_recorded_where_it_is_used) {
  const var x = 1.1;
  const auto x2 = x * x;
  const auto at_x2 = where();
  const auto x4 = x2 * x2;  // x2 recorded at each use
  BOOST_TEST(where().statements == at_x2.statements + 2);
  const auto x8 = x4 * x4;
  const auto before = where();
  const var y = x8;
  BOOST_TEST(where().statements == before.statements + 1);  // only x8's own product was left
  y.backward();
  BOOST_TEST(y.value() == std::pow(1.1, 8), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(x.grad() == 8 * std::pow(1.1, 7), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(a_statement_works_where_a_var_is_expected) {
  const var x = 2.0, y = 0.5;
  const std::function<double(const var&)> value_of = [](const var& v) { return v.value(); };
  BOOST_TEST(value_of(x * y) == 1.0);
  std::vector<var> vars;
  vars.push_back(x * y);
  vars.emplace_back(x + y);
  BOOST_TEST(vars[1].value() == 2.5);
  BOOST_TEST((x * y > 0.5));
  BOOST_TEST((x * y == y * x));
  BOOST_TEST((1.0 <= x * y));
  var total{};
  total += x * y;
  total -= y / x;
  total *= x;
  total /= 2.0;
  total.backward();
  // total = (x y - y / x) x / 2 = (x^2 y - y) / 2
  BOOST_TEST(x.grad() == 2.0 * 0.5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(y.grad() == (4.0 - 1.0) / 2.0, boost::test_tools::tolerance(1e-15));
  (x * x).backward();  // on a statement: recorded, then swept
  BOOST_TEST(x.grad() == 1.0 + 4.0, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_statement_of_as_many_reads_as_the_limit_is_one_entry) {
  std::vector<var> x;
  for (int i = 0; i < 8; ++i) x.emplace_back(0.5 + i);
  const auto before = where();
  const var total = sum_of_reads(x, std::make_index_sequence<janus::tape::max_statement_leaves>());
  BOOST_TEST(where().statements == before.statements + 1);
  BOOST_TEST(where().operands == before.operands + 8);
  total.backward();
  for (const var& v : x) BOOST_TEST(v.grad() == 4.0);  // 32 reads of 8 vars
}

BOOST_AUTO_TEST_CASE(a_longer_statement_is_split) {
  std::vector<var> x;
  for (int i = 0; i < 10; ++i) x.emplace_back(0.1 * i);
  const auto before = where();
  const var total = sum_of_reads(x, std::make_index_sequence<100>());
  const auto statements = where().statements - before.statements;
  BOOST_TEST(statements > 1u);
  BOOST_TEST(statements <= 4u);  // 100 reads in pieces of at most 32
  BOOST_TEST(total.value() == 10 * (0.0 + 0.1 + 0.2 + 0.3 + 0.4 + 0.5 + 0.6 + 0.7 + 0.8 + 0.9),
             boost::test_tools::tolerance(1e-14));
  total.backward();
  for (const var& v : x) BOOST_TEST(v.grad() == 10.0);
}

BOOST_AUTO_TEST_CASE(gradients_match_central_differences) {
  // A statement of a dozen operations and three vars, each read several times.
  const auto f = [](const auto& a, const auto& b, const auto& c) {
    return log(a * a + b * b) * tanh(c - a) + sqrt(a * b + 3.0) / (1.0 + c * c) - atan2(b, a) * c;
  };
  const std::array<double, 3> at{0.7, 1.3, -0.4};
  const var a = at[0], b = at[1], c = at[2];
  const var y = f(a, b, c);
  y.backward();
  const std::array<double, 3> gradient{a.grad(), b.grad(), c.grad()};
  for (std::size_t i = 0; i < 3; ++i) {
    const double h = 1e-6;
    auto up = at, down = at;
    up[i] += h;
    down[i] -= h;
    const double difference = (f(up[0], up[1], up[2]) - f(down[0], down[1], down[2])) / (2 * h);
    BOOST_TEST(gradient[i] == difference, boost::test_tools::tolerance(1e-8));
  }
}

BOOST_AUTO_TEST_CASE(whether_an_operation_records_is_decided_when_it_is_made) {
  const var x = 2.0;
  const auto made_recording = x * x;
  std::optional<decltype(x * 3.0)> made_paused;
  {
    const janus::no_grad pause;
    made_paused.emplace(x * 3.0);
    const var y = made_recording;  // converted under the guard: still recorded
    BOOST_TEST(y.requires_grad());
  }
  BOOST_TEST(!made_paused->requires_grad());
  const var z = *made_paused;
  BOOST_TEST(!z.requires_grad());
  BOOST_TEST(z.value() == 6.0);
}

BOOST_AUTO_TEST_SUITE_END()
