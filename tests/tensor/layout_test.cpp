// reshape, flatten, permute, transpose and slice_rows: values, views, gradients and errors.
#include <boost/test/unit_test.hpp>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(reshape_and_flatten_are_views) {
  dtensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  const dtensor r = reshape(x, {3, 2});
  BOOST_TEST((r.shape() == shape_type{3, 2}));
  BOOST_TEST(r.data() == x.data());
  BOOST_TEST((flatten(x).shape() == shape_type{6}));
  BOOST_TEST((flatten(random({2, 3, 4}), 1).shape() == shape_type{2, 12}));
  require_gradients([](const inputs& in) { return sum(sin(reshape(in[0], {3, 2})) * dtensor({2}, {1, 2})); },
                    {random({2, 3})});
  require_gradients([](const inputs& in) { return sum(exp(flatten(in[0], 1)) * dtensor({12}, std::vector<double>(12, 0.5))); },
                    {random({2, 3, 4})});
}

BOOST_AUTO_TEST_CASE(permute_and_transpose_move_values) {
  const dtensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  require_values(transpose(x), {1, 4, 2, 5, 3, 6});
  BOOST_TEST((transpose(x).shape() == shape_type{3, 2}));
  const dtensor cube = random({2, 3, 4});
  const dtensor p = permute(cube, {2, 0, 1});
  BOOST_TEST((p.shape() == shape_type{4, 2, 3}));
  // p[k, i, j] = cube[i, j, k]
  BOOST_TEST(p.data()[(3 * 2 + 1) * 3 + 2] == cube.data()[(1 * 3 + 2) * 4 + 3]);
  BOOST_TEST((transpose(cube, 0, -1).shape() == shape_type{4, 3, 2}));
  const dtensor weights = random({4, 2, 3}, 0.5, 1.5, 11);
  require_gradients([weights](const inputs& in) { return sum(permute(in[0], {2, 0, 1}) * weights); }, {cube});
  require_gradients([](const inputs& in) { return sum(sin(transpose(in[0])) * dtensor({2}, {1, 3})); }, {random({2, 3})});
}

BOOST_AUTO_TEST_CASE(slice_rows_views_a_block_of_rows) {
  const dtensor x({4, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, true);
  const dtensor rows = slice_rows(x, 1, 3);
  BOOST_TEST((rows.shape() == shape_type{2, 2}));
  require_values(rows, {3, 4, 5, 6});
  sum(rows * rows).backward();
  require_values(x.grad(), {0, 0, 6, 8, 10, 12, 0, 0});
  require_gradients([](const inputs& in) { return sum(exp(slice_rows(in[0], 2, 4))); }, {random({5, 3})});
}

BOOST_AUTO_TEST_CASE(layout_errors_name_the_shapes) {
  require_error([] { (void)reshape(random({2, 3}), {4, 2}); }, {"reshape", "(2, 3)", "(4, 2)"});
  require_error([] { (void)permute(random({2, 3}), {0}); }, {"permute", "(2, 3)"});
  require_error([] { (void)permute(random({2, 3}), {1, 1}); }, {"permute: axis 1 given twice", "(2, 3)"});
  require_error([] { (void)transpose(random({2, 3, 4})); }, {"transpose", "(2, 3, 4)"});
  require_error([] { (void)transpose(random({2, 3}), 0, 2); }, {"transpose: axis 2 out of range", "(2, 3)"});
  require_error([] { (void)slice_rows(random({4, 2}), 3, 5); }, {"slice_rows: rows [3, 5) out of range for shape (4, 2)"});
  require_error([] { (void)flatten(random({4, 2}), 3); }, {"flatten", "(4, 2)"});
}
