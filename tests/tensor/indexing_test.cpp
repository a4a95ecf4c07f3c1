// gather_rows, argmax and one_hot.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(gather_rows_picks_one_entry_per_row) {
  const dtensor x({3, 2}, {1, 2, 3, 4, 5, 6}, true);
  const std::vector<std::int64_t> index{1, 0, 1};
  require_values(gather_rows(x, index), {2, 3, 6});
  sum(gather_rows(x, index) * 2.0).backward();
  require_values(x.grad(), {0, 2, 2, 0, 0, 2});
  require_gradients([index](const inputs& in) { return sum(exp(gather_rows(in[0], index))); }, {random({3, 2})});
}

BOOST_AUTO_TEST_CASE(argmax_along_an_axis) {
  const dtensor x({2, 3}, {1, 7, 7, 9, 0, 2});
  BOOST_TEST((argmax(x) == std::vector<std::int64_t>{1, 0}));
  BOOST_TEST((argmax(x, 0) == std::vector<std::int64_t>{1, 0, 0}));
}

BOOST_AUTO_TEST_CASE(one_hot_rows) {
  const std::vector<std::int64_t> labels{2, 0};
  const Tensor encoded = one_hot(labels, 3);
  BOOST_TEST((encoded.shape() == shape_type{2, 3}));
  require_values(encoded, {0, 0, 1, 1, 0, 0});
}

BOOST_AUTO_TEST_CASE(index_errors_name_the_index_and_shape) {
  const std::vector<std::int64_t> too_large{0, 2};
  require_error([&] { (void)gather_rows(random({2, 2}), too_large); }, {"gather_rows: index 2 at row 1 out of range for shape (2, 2)"});
  const std::vector<std::int64_t> negative{-1};
  require_error([&] { (void)gather_rows(random({1, 2}), negative); }, {"gather_rows", "-1", "(1, 2)"});
  require_error([&] { (void)gather_rows(random({3, 2}), too_large); }, {"gather_rows: 2 indices", "(3, 2)"});
  require_error([&] { (void)one_hot(too_large, 2); }, {"one_hot: label 2 at position 1 out of range for 2 classes"});
  require_error([] { (void)argmax(random({2, 3}), 2); }, {"argmax", "(2, 3)"});
}
