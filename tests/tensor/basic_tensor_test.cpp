// basic_tensor itself: creation, shared handles, item, gradients of leaves, detach and labels.
#include <boost/test/unit_test.hpp>

#include <random>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

BOOST_AUTO_TEST_CASE(creation) {
  const Tensor t({2, 3}, {1, 2, 3, 4, 5, 6});
  BOOST_TEST(t.dim() == 2u);
  BOOST_TEST(t.numel() == 6u);
  BOOST_TEST(t.data()[4] == 5.0f);
  require_values(Tensor::zeros({2}), {0, 0});
  require_values(Tensor::ones({3}), {1, 1, 1});
  require_values(Tensor::full({2}, 2.5f), {2.5, 2.5});
  require_values(Tensor::arange(4), {0, 1, 2, 3});
  BOOST_TEST(Tensor::zeros({2}, true).requires_grad());
  BOOST_TEST(Tensor({}, {4.0f}).item() == 4.0f);
}

BOOST_AUTO_TEST_CASE(seeded_random_tensors_repeat) {
  std::mt19937 first(42);
  std::mt19937 second(42);
  const Tensor a = Tensor::uniform({100}, -2.0f, 3.0f, first);
  const Tensor b = Tensor::uniform({100}, -2.0f, 3.0f, second);
  BOOST_TEST(a.to_vector() == b.to_vector());
  for (float v : a.to_vector()) BOOST_TEST((v >= -2.0f && v < 3.0f));
  const Tensor n = Tensor::normal({10000}, 1.0f, 2.0f, first);
  BOOST_TEST(mean(n).item() == 1.0f, boost::test_tools::tolerance(0.1f));
}

BOOST_AUTO_TEST_CASE(copies_share_storage_and_gradient) {
  Tensor a({2}, {1, 2}, true);
  Tensor b = a;
  b.data()[0] = 7;
  BOOST_TEST(a.data()[0] == 7.0f);
  sum(b * b).backward();
  require_values(a.grad(), {14, 4});
  a.zero_grad();
  require_values(b.grad(), {0, 0});
}

BOOST_AUTO_TEST_CASE(gradient_is_zero_before_backward_and_storage_is_exposed) {
  Tensor w = Tensor::ones({2, 2}, true);
  require_values(w.grad(), {0, 0, 0, 0});
  BOOST_REQUIRE(w.grad_data() != nullptr);
  w.grad_data()[3] = 5;
  require_values(w.grad(), {0, 0, 0, 5});
  BOOST_TEST(Tensor::ones({2}).grad_data() == nullptr);
}

BOOST_AUTO_TEST_CASE(detach_shares_values_but_stops_gradients) {
  const Tensor x({2}, {1, 2}, true);
  const Tensor d = x.detach();
  BOOST_TEST(!d.requires_grad());
  BOOST_TEST(d.data() == x.data());
  sum(x * d).backward();
  require_values(x.grad(), {1, 2});
}

BOOST_AUTO_TEST_CASE(bad_construction_and_item) {
  require_error([] { (void)Tensor({2, 3}, {1, 2}); }, {"tensor", "(2, 3)", "6", "2 values"});
  require_error([] { (void)Tensor({2}, {1, 2}).item(); }, {"item", "(2)"});
  require_error([] { (void)(Tensor() + Tensor::ones({1})); }, {"empty"});
  Tensor result = Tensor::ones({1}, true) * 2.0f;
  require_error<graph_error>([&] { result.requires_grad_(false); }, {"requires_grad_", "leaf"});
  release_graph();
}
