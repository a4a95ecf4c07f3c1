// sum, mean, max and min over all axes and some, with and without keepdim.
#include <boost/test/unit_test.hpp>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

namespace {
const dtensor counting({2, 3}, {1, 2, 3, 4, 5, 6});
}

BOOST_AUTO_TEST_CASE(sum_and_mean_values_and_shapes) {
  BOOST_TEST(sum(counting).dim() == 0u);
  BOOST_TEST(sum(counting).item() == 21.0);
  BOOST_TEST(mean(counting).item() == 3.5);
  require_values(sum(counting, 0), {5, 7, 9});
  require_values(sum(counting, -1), {6, 15});
  // A list of axes, spelled as a vector: clang warns on `{1}` (-Wbraced-scalar-init),
  // which both compilers bind to the single-axis overload taking an int.
  require_values(mean(counting, std::vector{1}), {2, 5});
  BOOST_TEST((sum(counting, 1, true).shape() == shape_type{2, 1}));
  BOOST_TEST((sum(counting, {0, 1}, true).shape() == shape_type{1, 1}));
  BOOST_TEST((sum(counting, {0, 1}).shape() == shape_type{}));
}

BOOST_AUTO_TEST_CASE(max_and_min_values) {
  const dtensor x({2, 3}, {3, -1, 7, 0, 9, -4});
  BOOST_TEST(max(x).item() == 9.0);
  BOOST_TEST(min(x).item() == -4.0);
  require_values(max(x, 1), {7, 9});
  require_values(min(x, 0), {0, -1, -4});
  BOOST_TEST((max(x, 0, true).shape() == shape_type{1, 3}));
}

BOOST_AUTO_TEST_CASE(gradients_over_some_and_all_axes) {
  const dtensor x = random({2, 3, 4});
  for (bool keepdim : {false, true}) {
    BOOST_TEST_CONTEXT("keepdim " << keepdim) {
      for (const std::vector<int>& axes : std::vector<std::vector<int>>{{0}, {1}, {2}, {0, 2}, {-1, 1}, {0, 1, 2}}) {
        require_gradients([&](const inputs& in) { return sum(exp(sum(in[0], axes, keepdim))); }, {x});
        require_gradients([&](const inputs& in) { return sum(exp(mean(in[0], axes, keepdim))); }, {x});
        require_gradients([&](const inputs& in) { return sum(exp(max(in[0], axes, keepdim))); }, {x});
        require_gradients([&](const inputs& in) { return sum(exp(min(in[0], axes, keepdim))); }, {x});
      }
    }
  }
  require_gradients([](const inputs& in) { return sum(in[0]) * mean(in[0]) + max(in[0]) - min(in[0]); }, {x});
}

BOOST_AUTO_TEST_CASE(max_sends_the_gradient_to_the_first_largest_element) {
  const dtensor x({4}, {1, 5, 5, 2}, true);
  max(x).backward();
  require_values(x.grad(), {0, 1, 0, 0});
}

BOOST_AUTO_TEST_CASE(reduction_axis_errors) {
  require_error([] { (void)sum(counting, 2); }, {"sum: axis 2 out of range for shape (2, 3)"});
  require_error([] { (void)mean(counting, {0, 0}); }, {"mean: axis 0 given twice", "(2, 3)"});
  require_error([] { (void)max(counting, -3); }, {"max", "(2, 3)"});
  require_error([] { (void)min(dtensor::zeros({0, 2}), 0); }, {"min", "empty", "(0, 2)"});
}
