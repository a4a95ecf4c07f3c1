// Training a 2-16-16-1 perceptron on two moons with janus::var reaches at
// least 97% training accuracy (the examples/moons program, condensed).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "janus/tape.hpp"

namespace {

struct sample {
  double x, y;
  int label;
};

janus::var logit(const std::vector<janus::var>& w, double x, double y) {
  std::vector<janus::var> activations{janus::var::constant(x), janus::var::constant(y)};
  std::size_t next = 0;
  for (const int width : {16, 16, 1}) {
    std::vector<janus::var> outputs;
    for (int unit = 0; unit < width; ++unit) {
      janus::var sum = w[next++];
      for (const auto& input : activations) sum += w[next++] * input;
      outputs.push_back(width == 1 ? sum : tanh(sum));
    }
    activations = std::move(outputs);
  }
  return activations[0];
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_mlp_learns_two_moons) {
  std::mt19937 generator(7);
  std::uniform_real_distribution<double> angle(0.0, std::numbers::pi);
  std::normal_distribution<double> jitter(0.0, 0.1);
  std::vector<sample> data;
  for (int i = 0; i < 200; ++i) {
    const double t = angle(generator);
    if (i % 2 == 0) data.push_back({std::cos(t) + jitter(generator), std::sin(t) + jitter(generator), 1});
    else data.push_back({1 - std::cos(t) + jitter(generator), 0.5 - std::sin(t) + jitter(generator), -1});
  }
  std::vector<double> parameters;
  for (const auto& [fan_in, width] : {std::pair{2, 16}, std::pair{16, 16}, std::pair{16, 1}}) {
    std::uniform_real_distribution<double> uniform(-1 / std::sqrt(fan_in), 1 / std::sqrt(fan_in));
    for (int k = 0; k < width * (fan_in + 1); ++k) parameters.push_back(uniform(generator));
  }
  std::vector<double> first(parameters.size()), second(parameters.size());
  std::vector<janus::var> w;
  double accuracy = 0, first_loss = 0, loss_value = 0;
  for (int step = 1; step <= 150; ++step) {
    janus::tape::reset();
    w.assign(parameters.begin(), parameters.end());
    janus::var loss = 0.0;
    int correct = 0;
    for (const auto& s : data) {
      const janus::var z = logit(w, s.x, s.y);
      loss += softplus(-s.label * z);
      correct += (z > 0) == (s.label > 0) ? 1 : 0;
    }
    loss /= static_cast<double>(data.size());
    loss.backward();
    for (std::size_t i = 0; i < parameters.size(); ++i) {  // Adam, learning rate 0.02
      const double g = w[i].grad();
      first[i] = 0.9 * first[i] + 0.1 * g;
      second[i] = 0.999 * second[i] + 0.001 * g * g;
      parameters[i] -= 0.02 * (first[i] / (1 - std::pow(0.9, step))) /
                       (std::sqrt(second[i] / (1 - std::pow(0.999, step))) + 1e-8);
    }
    accuracy = correct / 200.0;
    loss_value = loss.value();
    if (step == 1) first_loss = loss_value;
  }
  BOOST_TEST(accuracy >= 0.97);
  BOOST_TEST(loss_value < 0.1 * first_loss);
}
