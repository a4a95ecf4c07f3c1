// examples/moons.cpp: the micrograd classic on the scalar tape. A 2-16-16-1
// perceptron (tanh) learns to separate two interleaved half-moons, every
// weight a `janus::var`, trained with Adam on the logistic loss.
//
//   moons [--epochs N] [--points N] [--seed N] [--learning-rate X] [--out DIR]
//
// Writes DIR/loss.csv (epoch, loss, accuracy) and, where gnuplot is on PATH,
// DIR/loss.png and DIR/decision_boundary.png. DIR defaults to out/moons.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "janus/tape.hpp"

#include "run_program.hpp"

namespace {

struct options {
  int epochs = 300;
  int points = 200;
  unsigned seed = 7;
  double learning_rate = 0.02;
  std::filesystem::path out = "out/moons";
};

options parse(int argc, char** argv) {
  options parsed;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << "usage: moons [--epochs N] [--points N] [--seed N] [--learning-rate X] [--out DIR]\n";
      std::exit(0);
    }
    if (i + 1 >= argc) throw std::invalid_argument("moons: " + flag + " needs a value");
    const std::string value = argv[++i];
    auto number = [&](auto convert) {
      try {
        return convert(value);
      } catch (const std::logic_error&) {
        throw std::invalid_argument("moons: " + flag + " expects a number, not '" + value + "'");
      }
    };
    if (flag == "--epochs") parsed.epochs = number([](const std::string& v) { return std::stoi(v); });
    else if (flag == "--points") parsed.points = number([](const std::string& v) { return std::stoi(v); });
    else if (flag == "--seed") parsed.seed = number([](const std::string& v) { return static_cast<unsigned>(std::stoul(v)); });
    else if (flag == "--learning-rate") parsed.learning_rate = number([](const std::string& v) { return std::stod(v); });
    else if (flag == "--out") parsed.out = value;
    else throw std::invalid_argument("moons: unknown flag " + flag + " (try --help)");
  }
  if (parsed.epochs < 1 || parsed.points < 2)
    throw std::invalid_argument("moons: --epochs must be at least 1 and --points at least 2");
  return parsed;
}

struct sample {
  double x;
  double y;
  int label;  // +1 upper moon, -1 lower moon
};

/// Two interleaved half-circles with Gaussian noise, as scikit-learn makes them.
std::vector<sample> make_moons(int count, double noise, std::mt19937& generator) {
  std::uniform_real_distribution<double> angle(0.0, std::numbers::pi);
  std::normal_distribution<double> jitter(0.0, noise);
  std::vector<sample> samples;
  for (int i = 0; i < count; ++i) {
    const double t = angle(generator);
    if (i % 2 == 0) samples.push_back({std::cos(t) + jitter(generator), std::sin(t) + jitter(generator), +1});
    else samples.push_back({1.0 - std::cos(t) + jitter(generator), 0.5 - std::sin(t) + jitter(generator), -1});
  }
  return samples;
}

constexpr int layer_sizes[] = {2, 16, 16, 1};

/// The network's output (a logit) at (x, y); `Scalar` is janus::var for
/// training and double for drawing the decision boundary.
/// The point's coordinates as constants: data, not something to differentiate.
template <class Scalar>
Scalar constant(double value) {
  if constexpr (std::is_same_v<Scalar, double>) return value;
  else return Scalar::constant(value);
}

template <class Scalar>
Scalar forward(const std::vector<Scalar>& parameters, double x, double y) {
  using std::tanh;
  std::vector<Scalar> activations{constant<Scalar>(x), constant<Scalar>(y)};
  std::size_t next = 0;
  for (std::size_t layer = 1; layer < std::size(layer_sizes); ++layer) {
    std::vector<Scalar> outputs;
    for (int unit = 0; unit < layer_sizes[layer]; ++unit) {
      Scalar sum = parameters[next++];  // bias
      for (const Scalar& input : activations) sum += parameters[next++] * input;
      outputs.push_back(layer + 1 < std::size(layer_sizes) ? tanh(sum) : sum);
    }
    activations = std::move(outputs);
  }
  return activations[0];
}

std::vector<double> initial_parameters(std::mt19937& generator) {
  std::vector<double> parameters;
  for (std::size_t layer = 1; layer < std::size(layer_sizes); ++layer) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer_sizes[layer - 1]));
    std::uniform_real_distribution<double> uniform(-bound, bound);
    for (int unit = 0; unit < layer_sizes[layer]; ++unit)
      for (int k = 0; k <= layer_sizes[layer - 1]; ++k) parameters.push_back(uniform(generator));
  }
  return parameters;
}

/// Adam on plain doubles: the tape gives the gradient, the update needs no graph.
class adam {
 public:
  adam(std::size_t size, double learning_rate) : rate_(learning_rate), first_(size), second_(size) {}
  void step(std::vector<double>& parameters, const std::vector<double>& gradient) {
    ++steps_;
    const double correction1 = 1 - std::pow(0.9, steps_), correction2 = 1 - std::pow(0.999, steps_);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      first_[i] = 0.9 * first_[i] + 0.1 * gradient[i];
      second_[i] = 0.999 * second_[i] + 0.001 * gradient[i] * gradient[i];
      parameters[i] -= rate_ * (first_[i] / correction1) / (std::sqrt(second_[i] / correction2) + 1e-8);
    }
  }

 private:
  double rate_;
  int steps_ = 0;
  std::vector<double> first_, second_;
};

void write_plots(const std::filesystem::path& out, const std::vector<sample>& data,
                 const std::vector<double>& parameters) {
  {
    std::ofstream grid(out / "boundary.dat");
    for (int i = 0; i <= 120; ++i) {
      for (int j = 0; j <= 120; ++j) {
        const double x = -1.6 + 4.2 * i / 120.0, y = -1.2 + 2.9 * j / 120.0;
        const double probability = 1.0 / (1.0 + std::exp(-forward(parameters, x, y)));
        grid << x << ' ' << y << ' ' << probability << '\n';
      }
      grid << '\n';
    }
    std::ofstream points(out / "points.dat");
    for (const auto& s : data) points << s.x << ' ' << s.y << ' ' << s.label << '\n';
  }
  std::ofstream script(out / "moons.gp");
  script << "set terminal pngcairo size 800,600\n"
            "set datafile separator ','\n"
            "set output 'loss.png'\n"
            "set title 'two moons: training loss'\nset xlabel 'epoch'\nset ylabel 'logistic loss'\n"
            "set logscale y\n"
            "plot 'loss.csv' using 1:2 every ::1 with lines lw 2 title 'loss'\n"
            "unset logscale y\nset datafile separator whitespace\n"
            "set output 'decision_boundary.png'\n"
            "set title 'two moons: decision boundary'\nset xlabel 'x'\nset ylabel 'y'\n"
            "set palette defined (0 '#f4a582', 0.5 '#f7f7f7', 1 '#92c5de')\nset cbrange [0:1]\n"
            "set xrange [-1.6:2.6]\nset yrange [-1.2:1.7]\n"
            "plot 'boundary.dat' using 1:2:3 with image notitle, "
            "'points.dat' using 1:($3 > 0 ? $2 : 1/0) with points pt 7 lc rgb '#2166ac' title 'upper moon', "
            "'points.dat' using 1:($3 < 0 ? $2 : 1/0) with points pt 7 lc rgb '#b2182b' title 'lower moon'\n";
  script.close();
  // gnuplot starts without a shell, in the output folder, and the script
  // names its files alone: no path from the command line reaches a shell.
  if (!examples::run_program({"gnuplot", "--version"}, true)) {
    std::cout << "gnuplot is not on PATH: no pictures (the data and the script are in " << out.string() << ")\n";
    return;
  }
  if (!examples::run_program({"gnuplot", "moons.gp"}, false, out.string())) std::cout << "gnuplot failed; the script is " << (out / "moons.gp") << "\n";
  else std::cout << "pictures: " << (out / "loss.png").string() << ", " << (out / "decision_boundary.png").string() << "\n";
}

}  // namespace

int main(int argc, char** argv) try {
  const options settings = parse(argc, argv);
  std::filesystem::create_directories(settings.out);
  std::mt19937 generator(settings.seed);
  const std::vector<sample> data = make_moons(settings.points, 0.1, generator);
  std::vector<double> parameters = initial_parameters(generator);
  adam optimiser(parameters.size(), settings.learning_rate);

  std::ofstream log(settings.out / "loss.csv");
  log << "epoch,loss,accuracy\n";
  std::vector<janus::var> weights;
  std::vector<double> gradient(parameters.size());
  double accuracy = 0;
  for (int epoch = 1; epoch <= settings.epochs; ++epoch) {
    // Each epoch records a fresh graph on the same memory: reset, then the
    // parameters become the leaves of this epoch's tape.
    janus::tape::reset();
    weights.assign(parameters.begin(), parameters.end());
    janus::var loss = 0.0;
    int correct = 0;
    for (const auto& s : data) {
      const janus::var logit = forward(weights, s.x, s.y);
      loss += softplus(-s.label * logit);  // logistic loss: log(1 + exp(-label * logit))
      correct += (logit > 0) == (s.label > 0) ? 1 : 0;
    }
    loss /= static_cast<double>(data.size());
    loss.backward();
    for (std::size_t i = 0; i < weights.size(); ++i) gradient[i] = weights[i].grad();
    optimiser.step(parameters, gradient);

    accuracy = static_cast<double>(correct) / static_cast<double>(data.size());
    log << epoch << ',' << loss.value() << ',' << accuracy << '\n';
    if (epoch == 1 || epoch % 50 == 0 || epoch == settings.epochs)
      std::printf("epoch %4d  loss %.5f  accuracy %5.1f%%\n", epoch, loss.value(), 100 * accuracy);
  }
  log.close();
  std::cout << "loss per epoch: " << (settings.out / "loss.csv").string() << "\n";
  write_plots(settings.out, data, parameters);
  return accuracy >= 0.97 ? 0 : 1;
} catch (const std::exception& error) {
  std::cerr << error.what() << "\n";
  return 2;
}
