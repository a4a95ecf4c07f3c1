// Array arguments and sums over indices in the static engine: gradients
// against closed forms and central differences, the shapes grad returns, the
// hidden sizes (10^6 elements, nested loops, 64 scalars) and the errors.
//
// Indices are checked here in every build type (a release build leaves them
// unchecked unless asked): this program is its own executable, so the choice
// is the same in all its translation units.
#define JANUS_CHECK_INDICES 1

#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../array_functions.hpp"

namespace {

// One function for doubles and for the static engine, as a user writes it
// (tests/array_functions.hpp).
using janus::testing::rosenbrock;

std::vector<double> rosenbrock_gradient(const std::vector<double>& x) {
  std::vector<double> g(x.size(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * r;
  }
  return g;
}

using janus::testing::central_differences;
using janus::testing::cluster;
using janus::testing::energy;

}  // namespace

BOOST_AUTO_TEST_CASE(rosenbrock_over_a_vector_matches_its_closed_form) {
  std::vector<double> x(1000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.5 + 0.7 * std::sin(0.1 * static_cast<double>(i));
  const std::vector<double> g = janus::grad(rosenbrock)(x);
  const auto expected = rosenbrock_gradient(x);
  BOOST_TEST_REQUIRE(g.size() == x.size());
  for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(g[i] == expected[i], boost::test_tools::tolerance(1e-12));
  const auto [value, g2] = janus::value_and_grad(rosenbrock, x);
  BOOST_TEST(value == rosenbrock(x), boost::test_tools::tolerance(1e-13));  // the same function on doubles
  BOOST_TEST(g2 == g, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_gradient_has_the_shape_of_its_argument) {
  const std::array<double, 4> a{0.3, -0.2, 1.1, 0.7};
  const std::array<double, 4> ga = janus::grad(rosenbrock)(a);
  const std::vector<double> v(a.begin(), a.end());
  const auto expected = rosenbrock_gradient(v);
  for (std::size_t i = 0; i < a.size(); ++i) BOOST_TEST(ga[i] == expected[i], boost::test_tools::tolerance(1e-13));
  const std::vector<double> gs = janus::grad(rosenbrock)(std::span<const double>(v));
  BOOST_TEST_REQUIRE(gs.size() == expected.size());
  for (std::size_t i = 0; i < gs.size(); ++i) BOOST_TEST(gs[i] == expected[i], boost::test_tools::tolerance(1e-13));
  const std::vector<float> f(a.begin(), a.end());
  const std::vector<float> gf = janus::grad(rosenbrock)(f);
  for (std::size_t i = 0; i < a.size(); ++i)
    BOOST_TEST(gf[i] == static_cast<float>(expected[i]), boost::test_tools::tolerance(1e-5f));
}

BOOST_AUTO_TEST_CASE(scalars_and_arrays_mixed_give_one_gradient_entry_per_argument) {
  const std::vector<double> w{0.5, -1.0, 2.0};
  const std::vector<double> data{1.0, 2.0, 3.0};
  // sum_i (b + w_i * d_i)^2 + b^2
  const auto loss = [&](auto b, const auto& weights) {
    return janus::sum(janus::indices(0, weights.size()), [&](std::size_t i) {
      return janus::square(b + weights[i] * data[i]);
    }) + b * b;
  };
  const auto [gb, gw] = janus::grad(loss)(0.1, w);
  double expected_b = 2 * 0.1;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double r = 0.1 + w[i] * data[i];
    expected_b += 2 * r;
    BOOST_TEST(gw[i] == 2 * r * data[i], boost::test_tools::tolerance(1e-14));
  }
  BOOST_TEST(gb == expected_b, boost::test_tools::tolerance(1e-14));
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(gb)>, double>);
}

BOOST_AUTO_TEST_CASE(nested_loops_over_pairs_match_central_differences) {
  for (const std::size_t atoms : {2u, 3u, 10u}) {
    const auto r = cluster(atoms);
    const auto [value, g] = janus::value_and_grad(energy, r);
    BOOST_TEST(value == energy(r), boost::test_tools::tolerance(1e-12));
    const auto reference = central_differences(energy, r);
    for (std::size_t k = 0; k < r.size(); ++k)
      BOOST_TEST(g[k] == reference[k], boost::test_tools::tolerance(1e-6));
  }
}

BOOST_AUTO_TEST_CASE(a_million_elements_in_one_loop) {
  std::vector<double> x(1'000'000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0 + 1e-6 * static_cast<double>(i % 1000);
  const auto g = janus::grad(rosenbrock)(x);
  const auto expected = rosenbrock_gradient(x);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < x.size(); ++i) wrong += std::abs(g[i] - expected[i]) > 1e-9 * (1.0 + std::abs(expected[i]));
  BOOST_TEST(wrong == 0u);
}

BOOST_AUTO_TEST_CASE(sixty_four_scalar_arguments) {
  std::array<double, 64> x{};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.3 + 0.01 * static_cast<double>(i);
  const auto fold = [](auto... v) {
    const std::tuple args{v...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((janus::square(std::get<I + 1>(args) - std::get<I>(args)) * 0.5) + ...);
    }(std::make_index_sequence<sizeof...(v) - 1>{});
  };
  const auto g = std::apply(janus::grad(fold), x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double expected = 0.0;
    if (i > 0) expected += x[i] - x[i - 1];
    if (i + 1 < x.size()) expected -= x[i + 1] - x[i];
    BOOST_TEST(g[i] == expected, boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(an_index_past_the_end_names_the_index_and_the_size) {
  const auto past_the_end = [](const auto& x) {
    return janus::sum(janus::indices(0, x.size()), [&](std::size_t i) { return x[i + 1] * x[i]; });
  };
  const std::vector<double> x{1.0, 2.0, 3.0};
  BOOST_CHECK_EXCEPTION(janus::grad(past_the_end)(x), std::out_of_range, [](const std::out_of_range& e) {
    return std::string(e.what()).find("index 3") != std::string::npos &&
           std::string(e.what()).find("size 3") != std::string::npos;
  });
}

// A sum over array elements that is not simply a term of the result: its
// elements' partials are scaled by the sum's derivative (f runs twice).
template <class F>
void check_against_central_differences(const F& f, const std::vector<double>& x) {
  const auto [value, g] = janus::value_and_grad(f, x);
  BOOST_TEST(value == f(x), boost::test_tools::tolerance(1e-13));
  const std::vector<double> reference = central_differences(f, x);
  BOOST_REQUIRE_EQUAL(g.size(), reference.size());
  for (std::size_t k = 0; k < g.size(); ++k) BOOST_TEST(g[k] == reference[k], boost::test_tools::tolerance(1e-7));
}

const auto squares = [](const auto& x) {
  return janus::sum(janus::indices(0, x.size()), [&](std::size_t i) { return x[i] * x[i] * x[i]; });
};

BOOST_AUTO_TEST_CASE(functions_of_a_sum_over_array_elements) {
  const std::vector<double> x{0.5, 1.25, 2.0, 0.75};
  check_against_central_differences([](const auto& v) { return 2.0 * squares(v); }, x);
  check_against_central_differences([](const auto& v) { return -squares(v); }, x);
  check_against_central_differences([](const auto& v) { return log(squares(v)); }, x);
  check_against_central_differences([](const auto& v) { return janus::sqrt(squares(v) + 1.0) / 3.0; }, x);
  // Used twice: the two adjoints add up.
  check_against_central_differences([](const auto& v) {
    auto s = squares(v);
    return s * s - s;
  }, x);
}

BOOST_AUTO_TEST_CASE(sums_over_array_elements_with_different_derivatives) {
  const std::vector<double> x{0.5, 1.25, 2.0, 0.75};
  // A data term and a weighted penalty, the penalty's sum with derivative 0.01.
  check_against_central_differences([](const auto& v) {
    auto fit = rosenbrock(v);
    auto penalty = janus::sum(janus::indices(0, v.size()), [&](std::size_t i) { return v[i] * v[i]; });
    return fit + 0.01 * penalty;
  }, x);
  // The same array read directly and through a scaled sum.
  check_against_central_differences([](const auto& v) { return v[0] * v[1] + log(squares(v)); }, x);
  // A scalar argument beside the array.
  const auto with_scale = [](auto a, const auto& v) { return a * squares(v) - log(a); };
  const auto [ga, gv] = janus::grad(with_scale)(1.5, x);
  double s = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    s += x[k] * x[k] * x[k];
    BOOST_TEST(gv[k] == 1.5 * 3 * x[k] * x[k], boost::test_tools::tolerance(1e-14));
  }
  BOOST_TEST(ga == s - 1 / 1.5, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(a_sum_over_array_elements_that_is_not_used_adds_nothing) {
  const auto one_used = [](const auto& v) {
    auto unused = squares(v);
    (void)unused;
    return janus::sum(janus::indices(0, v.size()), [&](std::size_t i) { return 2.0 * v[i]; });
  };
  const std::vector<double> x{0.5, 1.25};
  const std::vector<double> g = janus::grad(one_used)(x);
  BOOST_TEST(g[0] == 2.0);
  BOOST_TEST(g[1] == 2.0);
}

BOOST_AUTO_TEST_CASE(a_scaled_pair_sum_matches_central_differences) {
  // Minus the Lennard-Jones energy: the outer sum's derivative is -1, and the
  // inner sums, terms of the outer body, are scaled with it.
  const std::vector<double> r = cluster(5);
  check_against_central_differences([](const auto& v) { return -energy(v); }, r);
}

BOOST_AUTO_TEST_CASE(a_scaled_sum_inside_another_sums_body_is_refused) {
  const auto inner_scaled = [](const auto& x) {
    return janus::sum(janus::indices(0, x.size()), [&](std::size_t i) {
      return x[i] * janus::sum(janus::indices(0, x.size()), [&](std::size_t j) { return x[j]; });
    });
  };
  const std::vector<double> x{1.0, 2.0};
  BOOST_CHECK_EXCEPTION(janus::grad(inner_scaled)(x), std::logic_error, [](const std::logic_error& e) {
    return std::string(e.what()).find("inside another sum's body") != std::string::npos;
  });
}

// One-argument functions of a sum over a std::vector of data: argument-
// dependent lookup once found std::apply through the vector's namespace.
BOOST_AUTO_TEST_CASE(functions_of_a_sum_over_data) {
  const std::vector<double> data{0.5, 1.5, 2.5};
  const auto f = [&](auto a) {
    return -janus::sum(data, [=](double d) { return exp(a * d); }) + log(janus::sum(data, [=](double d) { return a * d; }));
  };
  const auto [value, g] = janus::value_and_grad(f, 0.4);
  double s = 0, ds = 0, t = 0, dt = 0;
  for (const double d : data) {
    s += std::exp(0.4 * d);
    ds += d * std::exp(0.4 * d);
    t += 0.4 * d;
    dt += d;
  }
  BOOST_TEST(value == -s + std::log(t), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[0] == -ds + dt / t, boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(named_functions_take_plain_numbers) {
  BOOST_TEST(janus::square(3.0) == 9.0);
  BOOST_TEST(janus::pow(2.0, 3) == 8.0);
  BOOST_TEST(janus::sigmoid(0.0) == 0.5);
  BOOST_TEST(janus::sum(janus::indices(0, 4), [](std::size_t i) { return static_cast<double>(i); }) == 6.0);
  BOOST_TEST(janus::sum(janus::indices(5, 2), [](std::size_t) { return 1.0; }) == 0.0);
}

// A subtree that reads elements and that a formula holds more than once (a
// named value used twice) is swept once, after a run-time check that its
// copies read the same elements; where they read different ones, the sweep
// follows the tree, and both give the gradient of central differences.
namespace {

// The body's type walked both ways: shared, the repeated `s` is one entry.
template <class E>
constexpr bool shares_repeated_reads() {
  if constexpr (std::is_arithmetic_v<E>) {
    return true;
  } else {
    using node = typename E::node_type;
    return janus::detail::dag_of<node, true>::size < janus::detail::dag_of<node, false>::size;
  }
}

const auto pair_term = [](const auto& r, std::size_t i, std::size_t j) {
  auto dx = r[2 * i] - r[2 * j], dy = r[2 * i + 1] - r[2 * j + 1];
  auto s = 1.0 / (dx * dx + dy * dy);
  return s * s - s;
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_repeated_subtree_of_element_reads_is_swept_once) {
  const auto f = [](const auto& r) {
    const std::size_t n = r.size() / 2;
    return janus::sum(janus::indices(0, n), [&](std::size_t i) {
      return janus::sum(janus::indices(i + 1, n), [&](std::size_t j) {
        auto term = pair_term(r, i, j);
        static_assert(shares_repeated_reads<decltype(term)>());
        return term;
      });
    });
  };
  const std::vector<double> r{0.1, 0.2, 1.3, -0.4, 0.7, 1.9, -1.1, 0.5};
  const auto [value, g] = janus::value_and_grad(f, r);
  BOOST_TEST(value == f(r), boost::test_tools::tolerance(1e-13));
  const auto reference = central_differences(f, r);
  for (std::size_t k = 0; k < r.size(); ++k) BOOST_TEST(g[k] == reference[k], boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(repeated_subtrees_that_read_different_elements_are_swept_apart) {
  // `square_at(k)` has one type for every k: the shared DAG merges the two
  // products, which read one element for i = 0 and different ones after.
  const auto f = [](const auto& r) {
    const auto square_at = [&](std::size_t k) { return (r[k] - 1.0) * (r[k] - 1.0); };
    return janus::sum(janus::indices(0, r.size()), [&](std::size_t i) { return square_at(i) * square_at(0); });
  };
  const std::vector<double> r{0.3, -0.8, 1.7, 2.2};
  const auto [value, g] = janus::value_and_grad(f, r);
  BOOST_TEST(value == f(r), boost::test_tools::tolerance(1e-13));
  const auto reference = central_differences(f, r);
  for (std::size_t k = 0; k < r.size(); ++k) BOOST_TEST(g[k] == reference[k], boost::test_tools::tolerance(1e-6));
  // Outside a sum, with indices that differ only at run time.
  const auto h = [](const auto& r) {
    const auto d = [&](std::size_t a, std::size_t b) { return r[a] - r[b]; };
    return d(0, 1) * d(0, 1) + d(2, 3) * d(2, 3) + d(1, 2) * d(1, 2);
  };
  const auto gh = janus::grad(h)(r);
  const auto reference_h = central_differences(h, r);
  for (std::size_t k = 0; k < r.size(); ++k) BOOST_TEST(gh[k] == reference_h[k], boost::test_tools::tolerance(1e-6));
}
