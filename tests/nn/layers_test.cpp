// Every layer and loss of janus::nn through gradcheck in double, plus the
// values they compute and how they name their parameters.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "janus/check/gradcheck.hpp"
#include "janus/nn.hpp"

using janus::basic_tensor;
namespace nn = janus::nn;
using tensor = basic_tensor<double>;
using inputs = std::vector<tensor>;

namespace {

// Values in [-1, 1] away from 0 by at least 0.1, so that relu and hinge are
// differentiable at every point finite differences probe.
tensor away_from_kinks(janus::shape_type shape, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<double> values(janus::shape_numel(shape));
  for (double& v : values) {
    const double unit = static_cast<double>(generator() >> 11) * 0x1.0p-53;
    v = (unit < 0.5 ? -1.0 : 1.0) * (0.1 + 0.9 * std::fmod(2 * unit, 1.0));
  }
  return tensor(std::move(shape), std::move(values));
}

void expect_gradients(const char* what, const janus::check::gradcheck_result& result) {
  BOOST_TEST_MESSAGE(what << ": " << result.summary());
  BOOST_TEST(result.ok(), what << ": " << result.summary());
}

// A weighted sum of a layer's outputs: a scalar whose gradient reaches
// every output element with a different weight.
tensor weighted_sum(const tensor& y) { return janus::sum(y * away_from_kinks(y.shape(), 99)); }

}  // namespace

BOOST_AUTO_TEST_CASE(linear_computes_x_w_transposed_plus_b) {
  nn::linear<double> layer(tensor({2, 3}, {1, 2, 3, 4, 5, 6}, true), tensor({2}, {0.5, -1}, true));
  const tensor y = layer(tensor({1, 3}, {1, 0, -1}));
  BOOST_TEST(y.to_vector() == (std::vector<double>{1 - 3 + 0.5, 4 - 6 - 1}), boost::test_tools::per_element());
  BOOST_TEST(layer.in_features() == 3u);
  BOOST_TEST(layer.out_features() == 2u);
}

BOOST_AUTO_TEST_CASE(linear_gradients) {
  const auto result = janus::check::gradcheck(
      [](const inputs& in) { return weighted_sum(nn::linear<double>(in[1], in[2])(in[0])); },
      {away_from_kinks({4, 3}, 1), away_from_kinks({2, 3}, 2), away_from_kinks({2}, 3)});
  expect_gradients("linear", result);
}

BOOST_AUTO_TEST_CASE(linear_initialisation_is_bounded_by_fan_in_and_seeded) {
  std::mt19937_64 first(5), second(5);
  nn::linear<float> a(100, 30, first), b(100, 30, second);
  BOOST_TEST(a.weight().to_vector() == b.weight().to_vector(), boost::test_tools::per_element());
  BOOST_TEST(a.weight().shape() == (janus::shape_type{30, 100}), boost::test_tools::per_element());
  BOOST_TEST(a.weight().requires_grad());
  BOOST_TEST(a.bias().requires_grad());
  float largest = 0;
  double sum = 0;
  for (float w : a.weight().to_vector()) largest = std::max(largest, std::abs(w)), sum += w;
  BOOST_TEST(largest <= 0.1f);  // 1 / sqrt(100)
  BOOST_TEST(largest > 0.09f);  // and uses the whole range
  BOOST_TEST(std::abs(sum / 3000) < 0.005);
  std::mt19937_64 third(6);
  BOOST_TEST(nn::linear<float>(100, 30, third).weight().to_vector() != a.weight().to_vector());
  BOOST_CHECK_THROW(nn::linear<float>(0, 3, first), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(activation_layers_values_and_gradients) {
  const tensor x({4}, {-2.0, -0.5, 0.5, 2.0});
  BOOST_TEST(nn::relu<double>()(x).to_vector() == (std::vector<double>{0, 0, 0.5, 2}), boost::test_tools::per_element());
  BOOST_TEST(nn::tanh<double>()(x).to_vector()[3] == std::tanh(2.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(nn::sigmoid<double>()(x).to_vector()[0] == 1 / (1 + std::exp(2.0)), boost::test_tools::tolerance(1e-15));
  expect_gradients("relu", janus::check::gradcheck([](const inputs& in) { return weighted_sum(nn::relu<double>()(in[0])); },
                                                  {away_from_kinks({3, 4}, 4)}));
  expect_gradients("tanh", janus::check::gradcheck([](const inputs& in) { return weighted_sum(nn::tanh<double>()(in[0])); },
                                                  {away_from_kinks({3, 4}, 5)}));
  expect_gradients("sigmoid",
                   janus::check::gradcheck([](const inputs& in) { return weighted_sum(nn::sigmoid<double>()(in[0])); },
                                           {away_from_kinks({3, 4}, 6)}));
}

BOOST_AUTO_TEST_CASE(mlp_layers_names_and_gradients) {
  nn::mlp<double> net({5, 4, 3, 2}, 7, nn::activation::tanh);
  BOOST_TEST(net.size() == 5u);  // linear tanh linear tanh linear
  std::vector<std::string> names;
  for (const auto& p : net.named_parameters()) names.push_back(p.name);
  BOOST_TEST(names == (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}),
             boost::test_tools::per_element());
  BOOST_TEST(net.parameter_count() == 5u * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2);
  // The gradient with respect to every parameter and the input at once:
  // gradcheck's leaves are put in the network's place.
  inputs start = {away_from_kinks({3, 5}, 8)};
  for (const auto& p : net.parameters()) start.push_back(tensor(p.shape(), p.to_vector()));
  const auto result = janus::check::gradcheck(
      [](const inputs& in) {
        nn::sequential<double> copy;
        for (std::size_t layer = 0; layer < 3; ++layer) {
          copy.add<nn::linear>(in[1 + 2 * layer], in[2 + 2 * layer]);
          if (layer < 2) copy.add<nn::tanh>();
        }
        return nn::cross_entropy(copy(in[0]), std::vector<std::int64_t>{1, 0, 1});
      },
      start);
  expect_gradients("mlp + cross-entropy", result);
}

BOOST_AUTO_TEST_CASE(cross_entropy_value_and_gradient) {
  // Logits (0, ln 3) for class 1: -log(3 / 4).
  const tensor logits({1, 2}, {0.0, std::log(3.0)});
  BOOST_TEST(nn::cross_entropy(logits, std::vector<std::int64_t>{1}).item() == -std::log(0.75),
             boost::test_tools::tolerance(1e-14));
  expect_gradients("cross-entropy",
                   janus::check::gradcheck(
                       [](const inputs& in) { return nn::cross_entropy(in[0], std::vector<std::int64_t>{2, 0, 1, 2}); },
                       {away_from_kinks({4, 3}, 9)}));
}

BOOST_AUTO_TEST_CASE(mse_value_and_gradient) {
  BOOST_TEST(nn::mse(tensor({2}, {1, 2}), tensor({2}, {0, 4})).item() == (1.0 + 4.0) / 2);
  expect_gradients("mse", janus::check::gradcheck([](const inputs& in) { return nn::mse(in[0], in[1]); },
                                                 {away_from_kinks({3, 2}, 10), away_from_kinks({3, 2}, 11)}));
}

BOOST_AUTO_TEST_CASE(binary_cross_entropy_value_stability_and_gradient) {
  // z = 0: log 2 whatever the target; z = 3, t = 1: log(1 + e^-3).
  BOOST_TEST(nn::binary_cross_entropy_with_logits(tensor({2}, {0.0, 3.0}), tensor({2}, {0.0, 1.0})).item() ==
                 (std::log(2.0) + std::log1p(std::exp(-3.0))) / 2,
             boost::test_tools::tolerance(1e-14));
  // Logits far past where exp overflows still give a finite, exact loss.
  const double extreme = nn::binary_cross_entropy_with_logits(tensor({2}, {800.0, -800.0}), tensor({2}, {0.0, 1.0})).item();
  BOOST_TEST(extreme == 800.0, boost::test_tools::tolerance(1e-14));
  const auto targets = tensor({2, 3}, {1, 0, 1, 0, 0, 1});
  expect_gradients("binary cross-entropy",
                   janus::check::gradcheck(
                       [&](const inputs& in) { return nn::binary_cross_entropy_with_logits(in[0], targets); },
                       {away_from_kinks({2, 3}, 12)}));
}

BOOST_AUTO_TEST_CASE(hinge_value_and_gradient) {
  // Margins 1 - t s: 1 - 2 = -1 (no loss), 1 + 0.5 = 1.5, 1 - 0.25 = 0.75.
  BOOST_TEST(nn::hinge(tensor({3}, {2.0, 0.5, 0.25}), tensor({3}, {1.0, -1.0, 1.0})).item() == (0 + 1.5 + 0.75) / 3,
             boost::test_tools::tolerance(1e-15));
  // Scores scaled to |s| <= 0.9 keep the margin 1 - t s at 0.1 or more, off the kink.
  const auto targets = tensor({2, 3}, {1, -1, 1, -1, 1, -1});
  expect_gradients("hinge", janus::check::gradcheck(
                                [&](const inputs& in) { return nn::hinge(in[0] * 0.9, targets); },
                                {away_from_kinks({2, 3}, 13)}));
}
