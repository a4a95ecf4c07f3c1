// on_gradient: an identity whose function runs, in backward, once the
// gradients of everything recorded after it are complete, and may change
// the gradient that flows on. (mpirun starts it like its neighbours; it
// needs no other process.)
#include <boost/test/unit_test.hpp>

#include <span>
#include <vector>

#include "janus/distributed/gradient_hook.hpp"
#include "mpi_fixture.hpp"

using janus::Tensor;

BOOST_AUTO_TEST_CASE(runs_when_the_later_gradients_are_complete) {
  Tensor x({2}, {1, 2}, true), w({2}, {3, 4}, true), v({2}, {5, 6}, true);
  std::vector<float> w_gradient_seen, gradient_seen;
  Tensor y = janus::distributed::on_gradient(x, [&](std::span<float> gradient) {
    w_gradient_seen = w.grad().to_vector();
    gradient_seen.assign(gradient.begin(), gradient.end());
    for (float& g : gradient) g *= 10;
  });
  BOOST_TEST(y.to_vector() == x.to_vector(), boost::test_tools::per_element());
  janus::sum(y * w + y * v).backward();  // y is used twice: both uses are in before f runs
  BOOST_TEST(w_gradient_seen == (std::vector<float>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(gradient_seen == (std::vector<float>{8, 10}), boost::test_tools::per_element());
  BOOST_TEST(x.grad().to_vector() == (std::vector<float>{80, 100}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(records_nothing_where_no_gradient_flows) {
  const Tensor x({2}, {1, 2});
  bool ran = false;
  const Tensor y = janus::distributed::on_gradient(x, [&](std::span<float>) { ran = true; });
  BOOST_TEST(janus::recorded_operations() == 0u);
  BOOST_TEST(y.handle().get() == x.handle().get());
  BOOST_TEST(!ran);
}
