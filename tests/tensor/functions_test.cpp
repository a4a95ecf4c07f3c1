// Every unary rule of the table has a function of its name on tensors, and
// that function is the rule applied elementwise.
#include <boost/test/unit_test.hpp>

#include <map>
#include <string_view>
#include <tuple>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(every_unary_rule_has_a_named_function) {
  using function = dtensor (*)(const dtensor&);
  const std::map<std::string_view, function> named{
      {"neg", neg<double>},     {"square", square<double>}, {"sqrt", sqrt<double>},       {"cbrt", cbrt<double>},
      {"exp", exp<double>},     {"expm1", expm1<double>},   {"log", log<double>},         {"log1p", log1p<double>},
      {"log2", log2<double>},   {"log10", log10<double>},   {"sin", sin<double>},         {"cos", cos<double>},
      {"tan", tan<double>},     {"asin", asin<double>},     {"acos", acos<double>},       {"atan", atan<double>},
      {"sinh", sinh<double>},   {"cosh", cosh<double>},     {"tanh", tanh<double>},       {"sigmoid", sigmoid<double>},
      {"softplus", softplus<double>}, {"relu", relu<double>}, {"abs", abs<double>},       {"erf", erf<double>},
      {"erfc", erfc<double>}};
  const dtensor x = random({5}, 0.1, 0.9);
  std::size_t rules_seen = 0;
  std::apply([&](auto... rule) {
    ([&] {
      ++rules_seen;
      const auto found = named.find(decltype(rule)::name);
      BOOST_TEST_REQUIRE((found != named.end()), "no function for rule " << decltype(rule)::name);
      const dtensor by_name = found->second(x);
      const dtensor by_rule = apply(rule, x);
      BOOST_TEST(by_name.to_vector() == by_rule.to_vector(), "rule " << decltype(rule)::name);
    }(), ...);
  }, rules::unary_rules{});
  BOOST_TEST(rules_seen == named.size());
}
