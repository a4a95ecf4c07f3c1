// No tape, no heap: gradients of the static engine allocate nothing. Global
// operator new is replaced here by one that counts.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <cstdlib>
#include <new>
#include <vector>

namespace {
std::size_t allocations = 0;
}

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc{};
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

BOOST_AUTO_TEST_CASE(gradients_allocate_nothing) {
  std::vector<double> data{0.5, 1.5, -0.25, 2.0};  // allocated before counting
  auto black_scholes = [](auto s, auto k, auto t, auto r, auto sigma) {
    auto d1 = (log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrt(t));
    auto d2 = d1 - sigma * sqrt(t);
    return s * 0.5 * erfc(-d1 / std::sqrt(2.0)) - k * exp(-r * t) * 0.5 * erfc(-d2 / std::sqrt(2.0));
  };
  auto likelihood = [&](auto mu, auto sigma) {
    return -0.5 * janus::sum(data, [=](double x) { return square((x - mu) / sigma); }) - 4.0 * log(sigma);
  };

  const std::size_t before = allocations;
  const auto greeks = janus::grad(black_scholes)(100.0, 95.0, 0.5, 0.02, 0.25);
  const auto [price, greeks2] = janus::value_and_grad(black_scholes, 100.0, 95.0, 0.5, 0.02, 0.25);
  const auto dl = janus::grad(likelihood)(0.7, 1.2);
  auto [x, y] = janus::variables(1.0, 2.0);
  const auto g = janus::gradient(janus::select(x < y, x * y, y), janus::wrt(x));
  const std::size_t after = allocations;

  BOOST_TEST(after - before == 0u);
  // The results are real (checked in detail elsewhere): delta of a call lies in (0, 1).
  BOOST_TEST(greeks[0] > 0.0);
  BOOST_TEST(greeks[0] < 1.0);
  BOOST_TEST(greeks2[0] == greeks[0]);
  BOOST_TEST(price > 0.0);
  BOOST_TEST(dl[1] != 0.0);
  BOOST_TEST(g[x] == 2.0);
}
