// Two threads differentiate at the same time, each on its own tape.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <thread>

#include "janus/tape.hpp"

namespace {

/// d/dx of sum_i sin(i x) x, recorded and swept `rounds` times on this thread.
double derivative_many_times(double x0, int rounds) {
  double last = 0;
  for (int round = 0; round < rounds; ++round) {
    const janus::tape::scope iteration;
    const janus::var x = x0;
    janus::var total = 0.0;
    for (int i = 1; i <= 200; ++i) total += sin(i * x) * x;
    total.backward();
    last = x.grad();
  }
  return last;
}

double expected_derivative(double x) {
  double sum = 0;
  for (int i = 1; i <= 200; ++i) sum += i * std::cos(i * x) * x + std::sin(i * x);
  return sum;
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_threads_differentiate_independently) {
  double first = 0, second = 0;
  std::thread one([&] { first = derivative_many_times(0.3, 300); });
  std::thread two([&] { second = derivative_many_times(-1.1, 300); });
  one.join();
  two.join();
  BOOST_TEST(first == expected_derivative(0.3), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(second == expected_derivative(-1.1), boost::test_tools::tolerance(1e-12));
  // The main thread's tape saw none of it.
  BOOST_TEST(janus::tape::mark().statements == 1u);
}
