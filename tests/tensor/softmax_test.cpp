// softmax, log_softmax, cross_entropy and mse_loss: values, stability and gradients.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(softmax_rows_sum_to_one) {
  const dtensor x({2, 2}, {0, std::log(3.0), 1, 1});
  require_values(softmax(x), {0.25, 0.75, 0.5, 0.5}, 1e-12);
  require_values(log_softmax(x), {std::log(0.25), std::log(0.75), std::log(0.5), std::log(0.5)}, 1e-12);
  require_values(softmax(x, 0), {1 / (1 + std::exp(1.0)), 3 / (3 + std::exp(1.0)), std::exp(1.0) / (1 + std::exp(1.0)),
                                 std::exp(1.0) / (3 + std::exp(1.0))}, 1e-12);
}

BOOST_AUTO_TEST_CASE(softmax_gradients_along_every_axis) {
  const dtensor weights = random({2, 3, 4}, 0.5, 1.5, 3);
  for (int axis : {0, 1, 2, -1}) {
    BOOST_TEST_CONTEXT("axis " << axis) {
      require_gradients([&](const inputs& in) { return sum(softmax(in[0], axis) * weights); }, {random({2, 3, 4})});
      require_gradients([&](const inputs& in) { return sum(log_softmax(in[0], axis) * weights); }, {random({2, 3, 4})});
    }
  }
}

BOOST_AUTO_TEST_CASE(log_softmax_is_stable_for_large_logits) {
  const Tensor x({1, 3}, {1000.0f, 1000.0f, 0.0f}, true);
  const Tensor y = log_softmax(x);
  BOOST_TEST(std::isfinite(y.data()[2]));
  require_values(y, {-std::log(2.0), -std::log(2.0), -1000.0 - std::log(2.0)}, 1e-6);
  sum(y).backward();
  // d/dx_j sum_k log_softmax_k = 1 - 3 softmax_j
  require_values(x.grad(), {-0.5, -0.5, 1.0}, 1e-6);
  const std::vector<std::int64_t> label{2};
  BOOST_TEST(cross_entropy(Tensor({1, 3}, {1000.0f, 1000.0f, 0.0f}), label).item() ==
             static_cast<float>(1000.0 + std::log(2.0)), boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(cross_entropy_equals_log_softmax_then_gather) {
  const dtensor logits = random({4, 5}, -3, 3);
  const std::vector<std::int64_t> labels{4, 0, 2, 2};
  const double fused = cross_entropy(logits, labels).item();
  const double composed = -mean(gather_rows(log_softmax(logits), labels)).item();
  BOOST_TEST(fused == composed, boost::test_tools::tolerance(1e-12));
  require_gradients([&](const inputs& in) { return cross_entropy(in[0], labels); }, {logits});

  dtensor a = logits.detach();
  dtensor b({4, 5}, logits.to_vector());
  a.requires_grad_();
  b.requires_grad_();
  cross_entropy(a, labels).backward();
  (-mean(gather_rows(log_softmax(b), labels))).backward();
  for (std::size_t i = 0; i < 20; ++i) BOOST_TEST(a.grad().data()[i] == b.grad().data()[i], boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(mse_loss_values_and_gradients) {
  BOOST_TEST(mse_loss(dtensor({2}, {1, 2}), dtensor({2}, {3, 2})).item() == 2.0);
  require_gradients([](const inputs& in) { return mse_loss(in[0], in[1]); }, {random({3, 2}), random({3, 2}, -2, 2, 9)});
}

BOOST_AUTO_TEST_CASE(loss_errors) {
  const std::vector<std::int64_t> labels{0, 7};
  require_error([&] { (void)cross_entropy(random({2, 3}), labels); }, {"cross_entropy: index 7 at row 1 out of range for shape (2, 3)"});
  require_error([&] { (void)cross_entropy(random({3}), labels); }, {"cross_entropy", "(3)"});
  require_error([] { (void)mse_loss(random({2, 3}), random({3, 2})); }, {"mse_loss: shapes differ: (2, 3) and (3, 2)"});
  require_error([] { (void)softmax(random({2, 3}), 2); }, {"softmax: axis 2 out of range for shape (2, 3)"});
}
