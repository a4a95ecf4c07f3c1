// gradcheck: passes a right gradient, catches a wrong one, leaves the inputs alone.
#include <boost/test/unit_test.hpp>

#include <string_view>

#include "janus/check/gradcheck.hpp"
#include "janus/tensor.hpp"

using namespace janus;
using dtensor = basic_tensor<double>;
using inputs = std::vector<dtensor>;

namespace {
using janus::rules::pullback_reads;
// A rule whose pullback is off by 1%: gradcheck must notice.
struct wrong_square {
  static constexpr std::string_view name = "wrong_square";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * T(2.02) * x; }
};
}  // namespace

BOOST_AUTO_TEST_CASE(a_right_gradient_passes) {
  const auto result = check::gradcheck([](const inputs& in) { return sum(exp(in[0]) * in[1]); },
                                       {dtensor({2, 2}, {0.1, 0.2, 0.3, 0.4}), dtensor({2}, {1, 2})});
  BOOST_TEST(result.ok(), result.summary());
  BOOST_TEST(result.max_abs_error < 1e-8);
}

BOOST_AUTO_TEST_CASE(a_wrong_gradient_fails_and_is_located) {
  const auto result = check::gradcheck([](const inputs& in) { return sum(apply(wrong_square{}, in[1])) + sum(in[0]); },
                                       {dtensor({1}, {1.0}), dtensor({3}, {1, 2, 3})});
  BOOST_TEST(!result.ok());
  BOOST_TEST(result.worst_input == 1u);
  BOOST_TEST(result.max_abs_error == 0.06, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(result.summary().find("input 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(inputs_are_left_alone) {
  const dtensor x({2}, {1, 2});
  (void)check::gradcheck([](const inputs& in) { return sum(in[0] * in[0]); }, {x});
  BOOST_TEST(!x.requires_grad());
  BOOST_TEST(x.data()[0] == 1.0);
  BOOST_TEST(recorded_operations<double>() == 0u);
}

BOOST_AUTO_TEST_CASE(the_function_must_return_one_element) {
  BOOST_CHECK_EXCEPTION(check::gradcheck([](const inputs& in) { return in[0] * 2.0; }, {dtensor({2}, {1, 2})}),
                        shape_error, [](const shape_error& e) {
                          return std::string_view(e.what()).find("gradcheck") != std::string_view::npos &&
                                 std::string_view(e.what()).find("(2)") != std::string_view::npos;
                        });
  release_graph<double>();
}
