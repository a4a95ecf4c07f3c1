// The tensor tape: accumulation, release after backward, no_grad, skipped work,
// errors that leave the tape usable, long chains and one tape per thread.
#include <boost/test/unit_test.hpp>

#include <thread>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(gradients_accumulate_over_two_backward_calls) {
  const Tensor x({2}, {1, 3}, true);
  sum(x * x).backward();
  require_values(x.grad(), {2, 6});
  sum(x * x * x).backward();
  require_values(x.grad(), {2 + 3, 6 + 27});
  x.zero_grad();
  sum(x).backward();
  require_values(x.grad(), {1, 1});
}

BOOST_AUTO_TEST_CASE(backward_releases_the_graph) {
  const Tensor x({2}, {1, 3}, true);
  Tensor loss = sum(exp(x));
  BOOST_TEST(recorded_operations() == 2u);
  loss.backward();
  BOOST_TEST(recorded_operations() == 0u);
  require_error<graph_error>([&] { loss.backward(); }, {"backward", "released"});
}

BOOST_AUTO_TEST_CASE(no_grad_records_nothing) {
  const Tensor x({2}, {1, 3}, true);
  const no_grad guard;
  const Tensor y = relu(x) * 2.0f;
  BOOST_TEST(recorded_operations() == 0u);
  BOOST_TEST(!y.requires_grad());
}

BOOST_AUTO_TEST_CASE(operations_on_constants_are_not_recorded) {
  const Tensor x({2}, {1, 3});
  const Tensor y = exp(x) + x;
  BOOST_TEST(recorded_operations() == 0u);
  BOOST_TEST(!y.requires_grad());
  require_error<graph_error>([&] { sum(y).backward(); }, {"backward", "does not require"});
}

BOOST_AUTO_TEST_CASE(a_branch_not_on_the_path_gets_no_gradient_work) {
  const Tensor x({2}, {1, 3}, true);
  const Tensor unused = exp(x);  // recorded, not on the way to the loss
  sum(x * 2.0f).backward();
  require_values(x.grad(), {2, 2});
}

BOOST_AUTO_TEST_CASE(backward_with_a_seed) {
  const Tensor x({2}, {1, 3}, true);
  Tensor y = x * x;
  require_error([&] { y.backward(); }, {"backward", "(2)", "2 elements"});
  require_error([&] { y.backward(Tensor::ones({3})); }, {"backward: seed shape (3)", "(2)"});
  y.backward(Tensor({2}, {1, 10}));
  require_values(x.grad(), {2, 60});
}

BOOST_AUTO_TEST_CASE(the_tape_is_usable_after_an_error) {
  const Tensor w({2, 3}, {1, 2, 3, 4, 5, 6}, true);
  const Tensor h = tanh(w);
  require_error([&] { (void)matmul(h, Tensor::ones({2, 2})); }, {"matmul: inner sizes differ: (2, 3) and (2, 2)"});
  require_error([&] { (void)(h + Tensor::ones({4})); }, {"add", "(2, 3)", "(4)"});
  BOOST_TEST(recorded_operations() == 1u);
  sum(matmul(h, Tensor::ones({3, 1}))).backward();
  const float t = std::tanh(1.0f);
  BOOST_TEST(w.grad().data()[0] == 1 - t * t, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(a_long_chain_is_swept_without_recursion) {
  const basic_tensor<double> x({1}, {0.5}, true);
  basic_tensor<double> y = x;
  for (int i = 0; i < 200000; ++i) y = y * 1.0 + 0.0;
  sum(y).backward();
  BOOST_TEST(x.grad().item() == 1.0);
}

BOOST_AUTO_TEST_CASE(each_thread_has_its_own_tape) {
  double gradient_in_thread = 0;
  const Tensor x({1}, {2}, true);
  const Tensor here = x * x;  // recorded on this thread, not swept by the other
  std::thread worker([&] {
    const basic_tensor<double> z({1}, {3}, true);
    sum(z * z * z).backward();
    gradient_in_thread = z.grad().item();
  });
  worker.join();
  BOOST_TEST(gradient_in_thread == 27.0);
  BOOST_TEST(recorded_operations() == 1u);
  sum(here).backward();
  BOOST_TEST(x.grad().item() == 4.0f);
}

BOOST_AUTO_TEST_CASE(a_result_kept_after_its_graph_acts_as_a_constant) {
  const Tensor x({1}, {2}, true);
  Tensor kept = x * x;
  sum(kept).backward();
  require_values(x.grad(), {4});
  sum(kept * x).backward();  // kept = 4 is now a constant: d/dx = 4
  require_values(x.grad(), {4 + 4});
  require_values(kept.grad(), {0});
}
