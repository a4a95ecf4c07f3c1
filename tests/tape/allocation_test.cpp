// Once warm, recording and sweeping an iteration of the same shape allocates
// nothing: global operator new is replaced here by one that counts.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#include "janus/tape.hpp"
#include "janus/tape/sum.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }

namespace {

/// One training-like iteration: parameters as leaves, a loss, a sweep.
double iteration(std::vector<janus::var>& weights, const std::vector<double>& values) {
  janus::tape::reset();
  weights.assign(values.begin(), values.end());  // reuses the vector's capacity
  janus::var loss = 0.0;
  for (std::size_t i = 0; i + 1 < weights.size(); ++i)
    loss += square(tanh(weights[i] * 0.5 + weights[i + 1]) - 0.25) + exp(-abs(weights[i]));
  // Reductions recorded as one statement, with thousands of operands.
  loss += janus::tape::sum_each(weights, [](auto w, std::size_t i) { return w * (0.001 * static_cast<double>(i)); });
  loss += janus::tape::sum(values, [](double v, auto a, auto b) { return square(v - a) * b; }, weights[0], weights[1]);
  loss.backward();
  return weights[0].grad();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_warm_iteration_allocates_nothing) {
  std::vector<double> values(5000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.001 * static_cast<double>(i) - 2;
  std::vector<janus::var> weights;
  const double first = iteration(weights, values);
  const long before = allocations.load();
  const double second = iteration(weights, values);
  const long during = allocations.load() - before;
  BOOST_TEST(during == 0);
  BOOST_TEST(first == second);
  BOOST_TEST(before > 0);  // the counter does count: the first iteration grew the tape
}
