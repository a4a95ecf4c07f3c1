// matmul in all its forms and linear: values, gradients, skipped work and shape errors.
#include <boost/test/unit_test.hpp>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(matrix_times_matrix) {
  const dtensor a({2, 3}, {1, 2, 3, 4, 5, 6});
  const dtensor b({3, 2}, {7, 8, 9, 10, 11, 12});
  const dtensor c = matmul(a, b);
  BOOST_TEST((c.shape() == shape_type{2, 2}));
  require_values(c, {58, 64, 139, 154});
  require_gradients([](const inputs& in) { return sum(sin(matmul(in[0], in[1]))); }, {random({2, 3}), random({3, 4})});
}

BOOST_AUTO_TEST_CASE(matrix_times_vector_and_vector_times_matrix) {
  const dtensor a({2, 3}, {1, 2, 3, 4, 5, 6});
  require_values(matmul(a, dtensor({3}, {1, 0, -1})), {-2, -2});
  require_values(matmul(dtensor({2}, {1, -1}), a), {-3, -3, -3});
  require_gradients([](const inputs& in) { return sum(tanh(matmul(in[0], in[1]))); }, {random({2, 3}), random({3})});
  require_gradients([](const inputs& in) { return sum(tanh(matmul(in[0], in[1]))); }, {random({2}), random({2, 3})});
}

BOOST_AUTO_TEST_CASE(batched_products) {
  const dtensor a({2, 1, 2}, {1, 2, 3, 4});
  const dtensor b({2, 2, 1}, {5, 6, 7, 8});
  const dtensor c = matmul(a, b);
  BOOST_TEST((c.shape() == shape_type{2, 1, 1}));
  require_values(c, {17, 53});
  require_gradients([](const inputs& in) { return sum(sin(matmul(in[0], in[1]))); },
                    {random({3, 2, 4}), random({3, 4, 2})});
  // A single matrix shared by the batch, on either side: its gradient sums over the batch.
  require_gradients([](const inputs& in) { return sum(sin(matmul(in[0], in[1]))); }, {random({3, 2, 4}), random({4, 2})});
  require_gradients([](const inputs& in) { return sum(sin(matmul(in[0], in[1]))); }, {random({2, 4}), random({3, 4, 2})});
}

BOOST_AUTO_TEST_CASE(an_input_without_grad_gets_no_gradient) {
  const dtensor x = random({4, 3});
  dtensor w = random({3, 2});
  w.requires_grad_();
  sum(matmul(x, w)).backward();
  BOOST_TEST(x.grad_data() == nullptr);
  BOOST_TEST(w.grad_data() != nullptr);
  // d sum(x w) / dw_kj = sum_i x_ik
  for (std::size_t k = 0; k < 3; ++k) {
    double column = 0;
    for (std::size_t i = 0; i < 4; ++i) column += x.data()[i * 3 + k];
    BOOST_TEST(w.grad().data()[k * 2] == column, boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(matmul_shape_errors_name_both_shapes) {
  require_error([] { (void)matmul(random({2, 3}), random({4, 5})); }, {"matmul: inner sizes differ: (2, 3) and (4, 5)"});
  require_error([] { (void)matmul(random({2, 3}), random({4})); }, {"matmul", "(2, 3)", "(4)"});
  require_error([] { (void)matmul(random({2}), random({3, 5})); }, {"matmul", "(2)", "(3, 5)"});
  require_error([] { (void)matmul(random({2, 2, 3}), random({3, 3, 1})); }, {"matmul: batch sizes differ", "(2, 2, 3)", "(3, 3, 1)"});
  require_error([] { (void)matmul(random({2}), random({2})); }, {"matmul: unsupported ranks", "(2)"});
}

BOOST_AUTO_TEST_CASE(linear_is_x_times_w_transposed_plus_b) {
  const dtensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  const dtensor w({2, 3}, {1, 0, -1, 0, 1, 0});
  const dtensor b({2}, {10, 20});
  require_values(linear(x, w, b), {8, 22, 8, 25});
  require_values(linear(x, w), {-2, 2, -2, 5});
  require_values(linear(dtensor({3}, {1, 2, 3}), w, b), {8, 22});
  require_gradients([](const inputs& in) { return sum(tanh(linear(in[0], in[1], in[2]))); },
                    {random({4, 3}), random({2, 3}), random({2})});
  require_gradients([](const inputs& in) { return sum(tanh(linear(in[0], in[1], in[2]))); },
                    {random({3}), random({2, 3}), random({2})});
  require_gradients([](const inputs& in) { return sum(tanh(linear(in[0], in[1]))); }, {random({4, 3}), random({2, 3})});
}

BOOST_AUTO_TEST_CASE(linear_skips_the_input_gradient_of_a_first_layer) {
  const dtensor x = random({4, 3});
  dtensor w = random({2, 3});
  dtensor b = random({2});
  w.requires_grad_();
  b.requires_grad_();
  sum(linear(x, w, b)).backward();
  BOOST_TEST(x.grad_data() == nullptr);
  require_values(b.grad(), {4, 4});
}

BOOST_AUTO_TEST_CASE(linear_shape_errors) {
  require_error([] { (void)linear(random({4, 3}), random({2, 5}), random({2})); }, {"linear", "(4, 3)", "(2, 5)"});
  require_error([] { (void)linear(random({4, 3}), random({2, 3}), random({3})); }, {"linear", "(3)", "(2, 3)"});
  require_error([] { (void)linear(random({4, 3}), random({3}), random({3})); }, {"linear", "(3)"});
}
