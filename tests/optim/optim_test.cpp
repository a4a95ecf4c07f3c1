// One or two optimiser steps against values worked by hand. The loss
// sum(p * c) has gradient c whatever p is, so each step's gradient is known.
#include <boost/test/unit_test.hpp>

#include <vector>

#include "janus/optim.hpp"
#include "janus/tensor.hpp"

using janus::basic_tensor;
namespace optim = janus::optim;
namespace tt = boost::test_tools;

namespace {

using tensor = basic_tensor<double>;

// p = (1, -2), a parameter.
tensor parameter() { return tensor({2}, {1.0, -2.0}, true); }

// Runs forward and backward on sum(p * c), leaving gradient c in p.
void gradient_step(optim::optimizer<double>& optimizer, tensor& p, std::vector<double> c) {
  optimizer.zero_grad();
  janus::sum(p * tensor({2}, std::move(c))).backward();
  optimizer.step();
}

void expect_values(const tensor& p, double first, double second) {
  BOOST_TEST(p.data()[0] == first, tt::tolerance(1e-12));
  BOOST_TEST(p.data()[1] == second, tt::tolerance(1e-12));
}

const std::vector<double> g = {0.5, -1.0};

}  // namespace

BOOST_AUTO_TEST_CASE(sgd_moves_against_the_gradient) {
  tensor p = parameter();
  optim::sgd<double> sgd({p}, {.learning_rate = 0.1});
  gradient_step(sgd, p, g);
  expect_values(p, 1 - 0.1 * 0.5, -2 + 0.1 * 1.0);  // (0.95, -1.9)
}

BOOST_AUTO_TEST_CASE(sgd_weight_decay_adds_to_the_gradient) {
  tensor p = parameter();
  optim::sgd<double> sgd({p}, {.learning_rate = 0.1, .weight_decay = 0.01});
  gradient_step(sgd, p, g);
  // g + 0.01 p = (0.51, -1.02)
  expect_values(p, 0.949, -1.898);
}

BOOST_AUTO_TEST_CASE(sgd_momentum_accumulates_velocity) {
  tensor p = parameter();
  optim::sgd<double> sgd({p}, {.learning_rate = 0.1, .momentum = 0.9});
  gradient_step(sgd, p, g);  // v = g, p -= 0.1 g
  expect_values(p, 0.95, -1.9);
  gradient_step(sgd, p, g);  // v = 0.9 g + g = 1.9 g, p -= 0.19 g
  expect_values(p, 0.855, -1.71);
}

BOOST_AUTO_TEST_CASE(sgd_nesterov_looks_ahead) {
  tensor p = parameter();
  optim::sgd<double> sgd({p}, {.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  gradient_step(sgd, p, g);  // v = g, p -= 0.1 (g + 0.9 g) = 0.19 g
  expect_values(p, 0.905, -1.81);
  gradient_step(sgd, p, g);  // v = 1.9 g, p -= 0.1 (g + 1.71 g) = 0.271 g
  expect_values(p, 0.7695, -1.539);
}

BOOST_AUTO_TEST_CASE(adam_normalises_by_the_second_moment) {
  tensor p = parameter();
  optim::adam<double> adam({p}, {.learning_rate = 0.1});
  gradient_step(adam, p, g);
  // Step 1: m = 0.1 g, v = 0.001 g^2; corrected m^ = g, v^ = g^2,
  // so p -= 0.1 g / (|g| + 1e-8), a step of 0.1 against the gradient's sign.
  expect_values(p, 1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 + 0.1 * 1.0 / (1.0 + 1e-8));
  gradient_step(adam, p, {1.5, 1.0});
  // Step 2 with g2 = (1.5, 1):
  //   m = 0.9 (0.05, -0.1) + 0.1 (1.5, 1) = (0.195, 0.01), m^ = m / 0.19 = (1.0263158, 0.0526316)
  //   v = 0.999 (0.00025, 0.001) + 0.001 (2.25, 1) = (0.00249975, 0.001999), v^ = v / 0.001999
  //     = (1.2505003, 1), sqrt(v^) = (1.1182577, 1)
  //   p -= 0.1 m^ / sqrt(v^) = (0.0917781, 0.0052632)
  expect_values(p, 0.8082218909226944, -1.9052631588421052);
}

BOOST_AUTO_TEST_CASE(adamw_decouples_weight_decay) {
  tensor p = parameter();
  optim::adamw<double> adamw({p}, {.learning_rate = 0.1, .weight_decay = 0.1});
  gradient_step(adamw, p, g);
  // p shrinks by 1 - 0.1 * 0.1 = 0.99, then takes Adam's step of 0.1.
  expect_values(p, 0.99 * 1 - 0.1 * 0.5 / (0.5 + 1e-8), 0.99 * -2 + 0.1 * 1.0 / (1.0 + 1e-8));
  // Adam's L2 penalty instead joins the gradient, which the first step normalises away.
  tensor q = parameter();
  optim::adam<double> adam({q}, {.learning_rate = 0.1, .weight_decay = 0.1});
  gradient_step(adam, q, g);
  expect_values(q, 1 - 0.1 * 0.6 / (0.6 + 1e-8), -2 + 0.1 * 1.2 / (1.2 + 1e-8));
}

BOOST_AUTO_TEST_CASE(zero_grad_clears_and_steps_count) {
  tensor p = parameter();
  optim::sgd<double> sgd({p}, {.learning_rate = 0.1});
  janus::sum(p * p).backward();
  BOOST_TEST(p.grad().to_vector() == (std::vector<double>{2.0, -4.0}), tt::per_element());
  sgd.zero_grad();
  BOOST_TEST(p.grad().to_vector() == (std::vector<double>{0.0, 0.0}), tt::per_element());
  BOOST_TEST(sgd.steps() == 0);
  sgd.step();
  BOOST_TEST(sgd.steps() == 1);
}

BOOST_AUTO_TEST_CASE(a_new_learning_rate_applies_from_the_next_step) {
  tensor p = parameter();
  optim::sgd<double> sgd({p}, {.learning_rate = 0.1});
  gradient_step(sgd, p, g);  // p -= 0.1 g
  sgd.set_learning_rate(0.01);
  BOOST_TEST(sgd.learning_rate() == 0.01);
  gradient_step(sgd, p, g);  // p -= 0.01 g
  expect_values(p, 1 - 0.11 * 0.5, -2 + 0.11 * 1.0);
  BOOST_CHECK_THROW(sgd.set_learning_rate(0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_frozen_parameter_stays_put) {
  tensor p = parameter(), q = parameter();
  optim::sgd<double> sgd({p, q}, {.learning_rate = 0.1});
  janus::sum(p * q).backward();
  q.requires_grad_(false);
  sgd.step();
  expect_values(p, 1 - 0.1 * 1.0, -2 - 0.1 * -2.0);  // gradient q
  expect_values(q, 1.0, -2.0);
}

BOOST_AUTO_TEST_CASE(refuses_bad_settings) {
  tensor p = parameter();
  BOOST_CHECK_THROW(optim::sgd<double>({p}, {.learning_rate = 0}), std::invalid_argument);
  BOOST_CHECK_THROW(optim::sgd<double>({p}, {.learning_rate = 0.1, .nesterov = true}), std::invalid_argument);
  BOOST_CHECK_THROW(optim::adam<double>({p}, {.beta1 = 1.0}), std::invalid_argument);
  BOOST_CHECK_THROW(optim::sgd<double>({tensor({1}, {1.0})}, {.learning_rate = 0.1}), std::invalid_argument);
}
