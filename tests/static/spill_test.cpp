// Formulas of many scalar arguments: past `max_scalars_by_value` of them (8
// with GCC, 20 with clang) a functional call keeps its arguments in one block
// and large operands in its arena (spill.hpp). These tests hold such
// gradients against closed forms and finite differences
// (tests/static/widest_test.cpp takes 64 arguments), and check the arena
// itself: growth past its first block, and release.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include "rosenbrock_fold.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using std::cos;
using std::exp;
using std::sin;

using namespace rosenbrock_fold_test;

template <std::size_t N>
void check_rosenbrock_fold() {
  const auto x = test_point<N>();
  const auto [value, g] = std::apply([](auto... v) { return janus::value_and_grad(rosenbrock_fold, v...); }, x);
  const auto expected = rosenbrock_gradient(x);
  BOOST_TEST(value == std::apply(rosenbrock_fold, x), boost::test_tools::tolerance(1e-13));
  for (std::size_t i = 0; i < N; ++i) BOOST_TEST(g[i] == expected[i], boost::test_tools::tolerance(1e-12));
}

// A formula long enough to spill, of three variables, with constants.
template <class A, class B, class C>
auto three_variable_formula(A a, B b, C c) {
  auto s = 0.3 * a * b + sin(c) - 0.7 * a;
  auto t = s * s / (1.5 + c * c) + cos(s * 0.4 + b);
  return t * s - 0.2 * t + exp(0.1 * a - 0.3 * c);
}

}  // namespace

BOOST_AUTO_TEST_CASE(rosenbrock_folded_over_9_and_20_scalars) {
  check_rosenbrock_fold<9>();
  check_rosenbrock_fold<20>();
}

// A sum whose body reads scalars only, built and spilled once per element:
// each element's trees are freed after its sweep, and the gradient is the
// sum of the bodies' gradients.
BOOST_AUTO_TEST_CASE(a_sum_whose_body_spills_per_element) {
  const std::vector<double> weights(3, 1.0);
  const std::size_t count = 20000;
  const auto f = [count](const auto& w, auto a, auto b, auto c) {
    return janus::sum(janus::indices(0, count),
                      [&](std::size_t k) { return three_variable_formula(a, b, c) * (1.0 / static_cast<double>(k + 1)); }) +
           w[0];
  };
  const auto [gw, ga, gb, gc] = janus::grad(f)(weights, 0.4, -0.7, 1.2);
  const auto single = janus::grad([](auto a, auto b, auto c) { return three_variable_formula(a, b, c); })(0.4, -0.7, 1.2);
  double harmonic = 0;
  for (std::size_t k = 0; k < count; ++k) harmonic += 1.0 / static_cast<double>(k + 1);
  BOOST_TEST(gw[0] == 1.0);
  BOOST_TEST(gw[1] == 0.0);
  BOOST_TEST(ga == harmonic * single[0], boost::test_tools::tolerance(1e-11));
  BOOST_TEST(gb == harmonic * single[1], boost::test_tools::tolerance(1e-11));
  BOOST_TEST(gc == harmonic * single[2], boost::test_tools::tolerance(1e-11));
}

// The arena keeps every stored node intact while it grows into new blocks,
// and a release hands the memory back for the next stores.
BOOST_AUTO_TEST_CASE(the_arena_grows_and_releases) {
  struct node {
    double value;
    std::size_t index;
  };
  janus::detail::spill_arena arena;
  std::vector<const node*> stored;
  const std::size_t count = 3 * janus::detail::spill_arena::inline_bytes / sizeof(node);
  for (std::size_t i = 0; i < count; ++i) stored.push_back(arena.store(node{0.5 * static_cast<double>(i), i}));
  for (std::size_t i = 0; i < count; ++i) {
    BOOST_TEST(stored[i]->value == 0.5 * static_cast<double>(i));
    BOOST_TEST(stored[i]->index == i);
  }

  const auto mark = arena.position();
  const node* first_after_mark = arena.store(node{1.0, 1});
  for (std::size_t i = 0; i < count; ++i) arena.store(node{2.0, 2});
  arena.release_to(mark);
  BOOST_TEST(arena.store(node{3.0, 3}) == first_after_mark);
  BOOST_TEST(stored.front()->index == 0u);
  BOOST_TEST(stored.back()->index == count - 1);
}
