// janus::detect_anomaly on the tensor tape: an operation whose output holds a
// NaN or an infinity, or a backward step that leaves one in a gradient,
// throws janus::numeric_error with the operation, the shape, the first bad
// element and the inputs there.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <optional>

#include "janus/tape/anomaly.hpp"
#include "janus/tensor.hpp"
#include "testing.hpp"

using janus::testing::dtensor;
using janus::testing::require_error;

namespace {
const auto numeric = [](auto action, std::initializer_list<std::string> parts) {
  require_error<janus::numeric_error>(action, parts);
};
}  // namespace

BOOST_AUTO_TEST_CASE(the_first_bad_element_of_an_output_and_its_input) {
  const janus::detect_anomaly guard;
  dtensor x({2, 3}, {1, 2, 3, 0, 5, -1}, true);
  x.label("x");
  numeric([&] { (void)log(x); },
          {"janus::detect_anomaly: the forward pass of log gave -inf at element 3, index (1, 0), of shape (2, 3); "
           "inputs there: input 1 of shape (2, 3) \"x\": 0"});
  BOOST_TEST(janus::recorded_operations<double>() == 0u);
}

BOOST_AUTO_TEST_CASE(a_broadcast_input_is_read_where_the_output_was_bad) {
  const janus::detect_anomaly guard;
  const dtensor a({2, 3}, {1, 2, 3, 4, 5, 6}, true);
  const dtensor b({3}, {1, 0, 1});
  numeric([&] { (void)(a / b); },
          {"forward pass of div gave inf at element 1, index (0, 1), of shape (2, 3)",
           "input 1 of shape (2, 3): 2, input 2 of shape (3): 0"});
  // A scalar operand is a constant: the report gives the tensor's value.
  numeric([&] { (void)(a / 0.0); }, {"forward pass of div gave inf at element 0, index (0, 0)",
                                     "input 1 of shape (2, 3): 1"});
  janus::release_graph<double>();
}

BOOST_AUTO_TEST_CASE(an_operation_that_is_not_elementwise_gives_shapes) {
  const janus::detect_anomaly guard;
  const dtensor a({2, 3}, {1, 2, 3, 4, 5, std::numeric_limits<double>::infinity()}, true);
  const dtensor w({3, 2}, {1, 0, 0, 1, 1, 1});
  numeric([&] { (void)matmul(a, w); },
          {"forward pass of matmul gave inf at element 2, index (1, 0), of shape (2, 2)",
           "input 1 of shape (2, 3), input 2 of shape (3, 2)"});
  janus::release_graph<double>();
}

BOOST_AUTO_TEST_CASE(a_bad_gradient_names_the_step_that_made_it) {
  const janus::detect_anomaly guard;
  dtensor x({4}, {4, 1, 0, 9}, true);
  dtensor roots = sqrt(x);
  roots.label("roots");
  const dtensor y = sum(roots);
  numeric([&] { y.backward(); },
          {"janus::detect_anomaly: the backward pass of sqrt \"roots\" gave inf as the gradient of its input 1 of 1 "
           "at element 2, index (2), of shape (4); inputs there: input 1 of shape (4): 0; gradient of the output "
           "there: 1"});
  // backward() released the graph, as it does when it passes.
  BOOST_TEST(janus::recorded_operations<double>() == 0u);
}

BOOST_AUTO_TEST_CASE(a_zero_gradient_is_no_anomaly) {
  const janus::detect_anomaly guard;
  const dtensor x({2, 3}, {0, 1, 0, 4, 0, 9}, true);
  const dtensor y = sum(0.0 * sqrt(x) + x);  // sqrt: a finite value, an infinite derivative at 0
  BOOST_CHECK_NO_THROW(y.backward());
  janus::testing::require_values(x.grad(), {1, 1, 1, 1, 1, 1}, 0.0);
}

// The rule of every engine (docs/rules.md), through the same-shape, the
// broadcasting and the constant kernels: an upstream gradient of exactly 0
// gives 0, where the local derivative at 0 is infinite (sqrt, 1/x). The
// value is NaN (0 * inf), the gradients are not.
BOOST_AUTO_TEST_CASE(a_zero_gradient_propagates_nothing_in_every_kernel) {
  const dtensor x({2, 3}, {0, 1, 0, 4, 0, 9}, true);
  const dtensor ones({3}, {1, 1, 1}, true);
  const dtensor y = sum(0.0 * sqrt(x) + 0.0 * (ones / x) + 0.0 * (1.0 / x) + 0.0 * (x / x) + x);
  BOOST_TEST(std::isnan(y.data()[0]));
  y.backward();
  janus::testing::require_values(x.grad(), {1, 1, 1, 1, 1, 1}, 0.0);
  janus::testing::require_values(ones.grad(), {0, 0, 0}, 0.0);
}

BOOST_AUTO_TEST_CASE(without_a_guard_nothing_is_checked) {
  BOOST_TEST(!janus::is_detecting_anomalies());
  const dtensor x({3}, {1, 0, -1}, true);
  dtensor y;
  BOOST_CHECK_NO_THROW(y = sum(sqrt(x)));
  BOOST_TEST(std::isnan(y.data()[0]));
  BOOST_CHECK_NO_THROW(y.backward());
  BOOST_TEST(std::isinf(x.grad().data()[1]));
}

BOOST_AUTO_TEST_CASE(guards_nest_and_may_die_in_any_order) {
  const dtensor x({2}, {1, -1}, true);
  std::optional<janus::detect_anomaly> outer(std::in_place);
  std::optional<janus::detect_anomaly> inner(std::in_place);
  outer.reset();
  numeric([&] { (void)sqrt(x); }, {"forward pass of sqrt gave nan at element 1, index (1), of shape (2)"});
  inner.reset();
  BOOST_CHECK_NO_THROW((void)sqrt(x));
  janus::release_graph<double>();
}

BOOST_AUTO_TEST_CASE(float_tensors_and_an_unrecorded_operation) {
  const janus::detect_anomaly guard;
  const janus::Tensor x({2}, {3e38f, 1.0f}, true);
  require_error<janus::numeric_error>([&] { (void)(x * 2.0f); }, {"forward pass of mul gave inf", "3e+38"});
  // Not recorded (no input requires a gradient): not checked.
  const janus::Tensor c({2}, {-1.0f, 1.0f});
  BOOST_CHECK_NO_THROW((void)sqrt(c));
  janus::release_graph<float>();
}
