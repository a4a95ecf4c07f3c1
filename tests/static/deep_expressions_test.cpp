// Deep expressions: a chain whose every step reuses the previous result twice
// (a DAG of 30 steps standing for a tree of 2^30 leaves) and fifty nested
// levels. Their types are large, so this file is left out of the sanitizer
// build (see tests/CMakeLists.txt): it checks structure, which the sanitizers
// have nothing to add to, and their debug information alone runs to
// gigabytes, since type names are spelled out in full.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <cmath>

namespace {

constexpr double tolerance = 1e-12;

// A user's rule that counts how often the engine calls it.
struct counted_sqrt {
  static constexpr std::string_view name = "counted_sqrt";
  static constexpr auto reads = janus::rules::pullback_reads::output;
  static inline int values = 0;
  static inline int pullbacks = 0;
  template <class T> static T value(T x) { ++values; return std::sqrt(x); }
  template <class T> static T pullback(T, T y, T g) { ++pullbacks; return g / (2 * y); }
};

}  // namespace

// Each step uses the previous result twice. The tree has 2^30 leaves; the DAG
// has 30 steps, and the counting rule proves each runs once per sweep.
template <int N, class E>
auto chain(const E& u) {
  if constexpr (N == 0) {
    return u;
  } else {
    auto v = chain<N - 1>(u);
    return janus::apply(counted_sqrt{}, v) + v;
  }
}

BOOST_AUTO_TEST_CASE(a_thirty_step_chain_is_swept_as_a_dag) {
  auto [x] = janus::variables(0.5);
  const auto f = chain<30>(x);
  counted_sqrt::values = counted_sqrt::pullbacks = 0;
  const auto [value, g] = janus::value_and_gradient(f);
  BOOST_TEST(counted_sqrt::values == 30);
  BOOST_TEST(counted_sqrt::pullbacks == 30);

  double v = 0.5, dv = 1.0;  // the same recurrence by hand
  for (int i = 0; i < 30; ++i) {
    dv *= 1.0 + 0.5 / std::sqrt(v);
    v += std::sqrt(v);
  }
  BOOST_TEST(value == v, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[x] == dv, boost::test_tools::tolerance(tolerance));
}

// Fifty levels, each holding constants of its own: a deep tree, not a DAG.
// A reused subexpression that holds constants is still evaluated once, when
// its copies hold the same constants; copies with different constants are not
// merged.
BOOST_AUTO_TEST_CASE(a_reused_subexpression_with_constants_runs_once) {
  auto [x, y] = janus::variables(0.8, 1.1);
  auto u = janus::apply(counted_sqrt{}, x * 2.0 + y);
  auto f = u * u + u / 3.0;
  counted_sqrt::values = counted_sqrt::pullbacks = 0;
  const auto [value, g] = janus::value_and_gradient(f);
  BOOST_TEST(counted_sqrt::values == 1);
  BOOST_TEST(counted_sqrt::pullbacks == 1);
  const double s = std::sqrt(2.7), ds = 0.5 / s;
  BOOST_TEST(value == s * s + s / 3.0, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[x] == (2 * s + 1.0 / 3.0) * ds * 2.0, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[y] == (2 * s + 1.0 / 3.0) * ds, boost::test_tools::tolerance(tolerance));

  auto v = janus::apply(counted_sqrt{}, x * 3.0 + y);  // the type of u, other constants
  static_assert(std::is_same_v<decltype(u), decltype(v)>);
  counted_sqrt::values = counted_sqrt::pullbacks = 0;
  const auto [value2, g2] = janus::value_and_gradient(u * v);
  BOOST_TEST(counted_sqrt::values == 2);
  BOOST_TEST(counted_sqrt::pullbacks == 2);
  const double t = std::sqrt(3.5);
  BOOST_TEST(value2 == s * t, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g2[x] == 2.0 * ds * t + s * 3.0 * 0.5 / t, boost::test_tools::tolerance(tolerance));
}

template <int N, class E>
auto nest(const E& u) {
  if constexpr (N == 0) return u;
  else return nest<N - 1>(0.9 * sin(u) + 0.05);
}

BOOST_AUTO_TEST_CASE(fifty_levels_of_nesting) {
  auto plain = [](double x) { return janus::value(nest<50>(std::get<0>(janus::variables(x)))); };
  const double at = 0.3;
  const auto g = janus::grad([](auto x) { return nest<50>(x); })(at);
  double v = at, dv = 1.0;
  for (int i = 0; i < 50; ++i) {
    dv *= 0.9 * std::cos(v);
    v = 0.9 * std::sin(v) + 0.05;
  }
  BOOST_TEST(plain(at) == v, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[0] == dv, boost::test_tools::tolerance(tolerance));
}

