// NumPy broadcasting forward and un-broadcasting (sums over broadcast axes) backward.
#include <boost/test/unit_test.hpp>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(column_with_row_gives_a_matrix) {
  const dtensor column({3, 1}, {1, 2, 3}, true);
  const dtensor row({1, 4}, {10, 20, 30, 40}, true);
  const dtensor y = column + row;
  BOOST_TEST((y.shape() == shape_type{3, 4}));
  require_values(y, {11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43});
  sum(y * y).backward();
  // d/dcolumn_i = sum_j 2 (c_i + r_j): summed over the broadcast axis.
  require_values(column.grad(), {2 * (4 * 1 + 100), 2 * (4 * 2 + 100), 2 * (4 * 3 + 100)});
  require_values(row.grad(), {2 * (3 * 10 + 6), 2 * (3 * 20 + 6), 2 * (3 * 30 + 6), 2 * (3 * 40 + 6)});
  require_gradients([](const inputs& in) { return sum(in[0] * in[1] + in[0] / in[1]); },
                    {random({3, 1}, 0.5, 1.5), random({1, 4}, 0.5, 1.5)});
}

BOOST_AUTO_TEST_CASE(trailing_vector_with_a_rank_three_tensor) {
  const dtensor cube = random({2, 3, 4});
  const dtensor vector = random({4}, 0.5, 1.5);
  const dtensor y = cube * vector;
  BOOST_TEST((y.shape() == shape_type{2, 3, 4}));
  BOOST_TEST(y.data()[13] == cube.data()[13] * vector.data()[1]);
  require_gradients([](const inputs& in) { return sum(sin(in[0] * in[1])); }, {cube, vector});
  require_gradients([](const inputs& in) { return sum(in[1] - in[0]); }, {cube, vector});
}

BOOST_AUTO_TEST_CASE(scalar_tensor_with_a_matrix) {
  const dtensor scalar({}, {2.0});
  const dtensor matrix = random({2, 3});
  BOOST_TEST(((scalar * matrix).shape() == shape_type{2, 3}));
  require_gradients([](const inputs& in) { return sum(exp(in[0] * in[1])); }, {scalar, matrix});
  require_gradients([](const inputs& in) { return sum(in[1] / in[0]); }, {dtensor({1}, {1.5}), matrix});
}

BOOST_AUTO_TEST_CASE(middle_axis_broadcast_on_both_sides) {
  require_gradients([](const inputs& in) { return sum(tanh(in[0] + in[1])); },
                    {random({2, 1, 4}), random({3, 1})});
}

BOOST_AUTO_TEST_CASE(incompatible_shapes_name_the_operation_and_both_shapes) {
  const dtensor a = random({2, 3});
  const dtensor b = random({4});
  require_error([&] { (void)(a + b); }, {"add", "(2, 3)", "(4)"});
  require_error([&] { (void)pow(a, b); }, {"pow", "(2, 3)", "(4)"});
}
