// bench_peer_libtorch: janus against libtorch's C++ API (eager autograd) in
// one binary, so that one run gives ratios:
//   P3 log-sum-exp of 1000 doubles, the gradient with respect to all of them;
//   P5 sum(tanh(W x + b)), W n x n for n = 32 and 256, float32, the gradient
//      with respect to W and b;
//   P6 one training step of a 784-256-256-10 MLP (ReLU, cross-entropy, SGD
//      lr 0.1 momentum 0.9), float32, batch 64 and 128, on random data of
//      MNIST's shape (the time does not depend on the pixels).
// Beside each: the primal (the value alone, plain code: loops and CBLAS) and
// janus (the scalar tape with fused statements for P3, the tensor tape for P5
// and P6). Everything runs on one thread: torch::set_num_threads(1) for
// libtorch's own loops and openblas_set_num_threads(1) for the OpenBLAS that
// both libraries call for matrix products (Debian's libtorch links the same
// libopenblas.so.0). Before timing, each janus result is checked against
// libtorch's, and the program stops with a message if they disagree.
#include <cblas.h>
#include <torch/torch.h>

#include <janus/nn.hpp>
#include <janus/optim.hpp>
#include <janus/tensor.hpp>

#include "problems.hpp"

namespace {

std::vector<float> uniform_floats(std::size_t count, float bound, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> draw(-bound, bound);
  std::vector<float> values(count);
  for (float& v : values) v = draw(generator);
  return values;
}

/// A libtorch tensor holding a copy of `values`.
torch::Tensor to_torch(std::span<const float> values, std::vector<std::int64_t> shape) {
  return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat).clone();
}

std::span<const float> values_of(const torch::Tensor& t) {
  return {t.data_ptr<float>(), static_cast<std::size_t>(t.numel())};
}

std::span<const float> values_of(const janus::Tensor& t) { return {t.data(), t.numel()}; }

std::span<const float> gradient_of(const janus::Tensor& t) { return {t.grad_data(), t.numel()}; }

// ---------------------------------------------------------------------------
// P3. log-sum-exp (problems.hpp), in double: libtorch's logsumexp and autograd.

void log_sum_exp_benchmarks() {
  const peers::bench_name name{"log_sum_exp", "1000"};
  const std::vector<double> x = peers::log_sum_exp_point();
  const auto janus_gradient =
      peers::add_vector_problem(name, x, peers::log_sum_exp_primal, peers::log_sum_exp_janus_tape_fused,
                                  peers::log_sum_exp_janus_tape_sum);

  const torch::Tensor leaf =
      torch::from_blob(const_cast<double*>(x.data()), {static_cast<std::int64_t>(x.size())}, torch::kDouble)
          .clone()
          .requires_grad_(true);
  const auto torch_gradient = [leaf] { return torch::autograd::grad({torch::logsumexp(leaf, 0)}, {leaf})[0]; };
  const torch::Tensor g = torch_gradient();
  peers::require(peers::agree<double>(std::span<const double>(g.data_ptr<double>(), x.size()), janus_gradient, 1e-10),
                 "log-sum-exp: libtorch's gradient and janus's disagree");

  // The leaf is libtorch's copy of the point, made once, as a user keeps a parameter.
  peers::add(name.of("libtorch"), 0, [torch_gradient](int) { return torch_gradient(); });
}

// ---------------------------------------------------------------------------
// P5. sum(tanh(W x + b)), W n x n, x a vector of n.

struct dense_data {
  std::size_t n;
  std::vector<float> w, b, x;
  explicit dense_data(std::size_t n_)
      : n(n_), w(uniform_floats(n * n, 0.1f, 1)), b(uniform_floats(n, 0.1f, 2)), x(uniform_floats(n, 0.1f, 3)) {}
};

/// The value alone: one matrix-vector product, then tanh and the sum.
[[gnu::noinline]] float dense_primal(const dense_data& d, std::vector<float>& y) {
  const int n = static_cast<int>(d.n);
  y = d.b;
  cblas_sgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0f, d.w.data(), n, d.x.data(), 1, 1.0f, y.data(), 1);
  float total = 0;
  for (const float v : y) total += std::tanh(v);
  return total;
}

// Both sides accumulate the gradients into their leaves on every call (no
// zeroing), as a training loop between two zero_grad() calls would.
void dense_benchmarks(std::size_t n) {
  const peers::bench_name name{"dense_layer", std::to_string(n)};
  const auto d = std::make_shared<const dense_data>(n);

  const janus::Tensor jw({n, n}, d->w, true), jb({n}, d->b, true), jx({n}, d->x);
  const auto janus_step = [jw, jb, jx] {
    janus::Tensor loss = janus::sum(janus::tanh(janus::linear(jx, jw, jb)));
    loss.backward();
    return loss.item();
  };
  const auto size = static_cast<std::int64_t>(n);
  const torch::Tensor tw = to_torch(d->w, {size, size}).requires_grad_(true);
  const torch::Tensor tb = to_torch(d->b, {size}).requires_grad_(true);
  const torch::Tensor tx = to_torch(d->x, {size});
  // Two ways a libtorch user writes W x + b: the layer's functional form, and
  // addmv, the fused matrix-vector product with a bias, which runs faster on
  // a vector x.
  const auto torch_linear = [tw, tb, tx] {
    torch::Tensor loss = torch::tanh(torch::nn::functional::linear(tx, tw, tb)).sum();
    loss.backward();
    return loss.item<float>();
  };
  const auto torch_addmv = [tw, tb, tx] {
    torch::Tensor loss = torch::tanh(torch::addmv(tb, tw, tx)).sum();
    loss.backward();
    return loss.item<float>();
  };

  // Checked on the first call, when the gradients are those of one pass;
  // then once more after addmv has added its gradients to linear's.
  const float janus_loss = janus_step(), torch_loss = torch_linear();
  bool agrees = peers::agree<float>(std::array{janus_loss}, std::array{torch_loss}, 1e-5) &&
                peers::agree<float>(gradient_of(jw), values_of(tw.grad()), 1e-5) &&
                peers::agree<float>(gradient_of(jb), values_of(tb.grad()), 1e-5);
  janus_step();
  agrees = agrees && peers::agree<float>(std::array{torch_addmv()}, std::array{torch_loss}, 1e-5) &&
           peers::agree<float>(gradient_of(jw), values_of(tw.grad()), 1e-5) &&
           peers::agree<float>(gradient_of(jb), values_of(tb.grad()), 1e-5);
  peers::require(agrees, (name.label() + ": libtorch's value and gradient and janus's disagree").c_str());

  peers::add(name.of("primal"), 0, [d, y = std::vector<float>()](int) mutable { return dense_primal(*d, y); });
  peers::add(name.of("janus_tensor"), 0, [janus_step](int) { return janus_step(); });
  peers::add(name.of("libtorch_linear"), 0, [torch_linear](int) { return torch_linear(); });
  peers::add(name.of("libtorch_addmv"), 0, [torch_addmv](int) { return torch_addmv(); });
}

// ---------------------------------------------------------------------------
// P6. One training step of 784-256-256-10.

const std::vector<std::size_t> mlp_sizes{784, 256, 256, 10};
constexpr double learning_rate = 0.1, momentum = 0.9;

struct batch_data {
  std::size_t rows;
  std::vector<float> images;
  std::vector<std::int64_t> labels;
  explicit batch_data(std::size_t rows_) : rows(rows_), images(uniform_floats(rows * 784, 1.0f, 4)), labels(rows) {
    std::mt19937 generator(5);
    for (auto& label : labels) label = static_cast<std::int64_t>(generator() % 10);
  }
};

/// janus's model and optimiser, as bench/mnist_step.cpp trains them.
struct janus_trainer {
  janus::nn::mlp<float> model{mlp_sizes, 1};
  janus::optim::sgd<float> sgd{model.parameters(), {.learning_rate = learning_rate, .momentum = momentum}};

  float step(const janus::Tensor& images, std::span<const std::int64_t> labels) {
    janus::Tensor loss = janus::nn::cross_entropy(model(images), labels);
    sgd.zero_grad();
    loss.backward();
    sgd.step();
    return loss.item();
  }
};

/// The same network in libtorch, starting from janus's initial parameters.
struct torch_trainer {
  torch::nn::Sequential model;
  std::unique_ptr<torch::optim::SGD> sgd;

  explicit torch_trainer(const janus::nn::mlp<float>& start) {
    for (std::size_t i = 0; i + 1 < mlp_sizes.size(); ++i) {
      model->push_back(
          torch::nn::Linear(static_cast<std::int64_t>(mlp_sizes[i]), static_cast<std::int64_t>(mlp_sizes[i + 1])));
      if (i + 2 < mlp_sizes.size()) model->push_back(torch::nn::ReLU());
    }
    // Both list weight then bias, layer by layer, weights as (out, in).
    const auto from = start.parameters();
    auto to = model->parameters();
    const torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < to.size(); ++i) to[i].copy_(to_torch(values_of(from[i]), to[i].sizes().vec()));
    sgd = std::make_unique<torch::optim::SGD>(model->parameters(),
                                              torch::optim::SGDOptions(learning_rate).momentum(momentum));
  }

  float step(const torch::Tensor& images, const torch::Tensor& labels) {
    sgd->zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(images), labels);
    loss.backward();
    sgd->step();
    return loss.item<float>();
  }
};

/// The value alone: the forward pass and the mean cross-entropy, with CBLAS
/// products and plain loops, on janus's parameters.
struct mlp_primal {
  std::vector<std::vector<float>> weights, biases, activations;

  explicit mlp_primal(const janus::nn::mlp<float>& model, std::size_t rows) {
    const auto parameters = model.parameters();
    for (std::size_t l = 0; l + 1 < mlp_sizes.size(); ++l) {
      weights.push_back(parameters[2 * l].to_vector());
      biases.push_back(parameters[2 * l + 1].to_vector());
      activations.emplace_back(rows * mlp_sizes[l + 1]);
    }
  }

  [[gnu::noinline]] float loss(const batch_data& batch) {
    const int rows = static_cast<int>(batch.rows);
    const float* input = batch.images.data();
    for (std::size_t l = 0; l + 1 < mlp_sizes.size(); ++l) {
      const int in = static_cast<int>(mlp_sizes[l]), out = static_cast<int>(mlp_sizes[l + 1]);
      std::vector<float>& y = activations[l];
      for (int r = 0; r < rows; ++r) std::copy(biases[l].begin(), biases[l].end(), y.begin() + r * out);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, out, in, 1.0f, input, in, weights[l].data(), in, 1.0f,
                  y.data(), out);
      if (l + 2 < mlp_sizes.size())
        for (float& v : y) v = std::max(v, 0.0f);
      input = y.data();
    }
    const std::size_t classes = mlp_sizes.back();
    double total = 0;
    for (std::size_t r = 0; r < batch.rows; ++r) {
      const float* logits = input + r * classes;
      const float largest = *std::max_element(logits, logits + classes);
      double sum = 0;
      for (std::size_t c = 0; c < classes; ++c) sum += std::exp(logits[c] - largest);
      total += std::log(sum) + largest - logits[batch.labels[r]];
    }
    return static_cast<float>(total / static_cast<double>(batch.rows));
  }
};

void mnist_step_benchmarks(std::size_t rows) {
  const peers::bench_name name{"mnist_step", std::to_string(rows)};
  const auto batch = std::make_shared<const batch_data>(rows);
  const janus::Tensor janus_images({rows, 784}, batch->images);
  const torch::Tensor torch_images = to_torch(batch->images, {static_cast<std::int64_t>(rows), 784});
  const torch::Tensor torch_labels = torch::tensor(batch->labels, torch::kLong);

  // Two steps from the same start (the second one uses the momentum) must
  // give the same losses and the same parameters.
  auto janus_side = std::make_shared<janus_trainer>();
  auto torch_side = std::make_shared<torch_trainer>(janus_side->model);
  auto primal = std::make_shared<mlp_primal>(janus_side->model, rows);
  const float primal_loss = primal->loss(*batch);
  bool agrees = true;
  for (int i = 0; i < 2; ++i) {
    const float janus_loss = janus_side->step(janus_images, batch->labels);
    const float torch_loss = torch_side->step(torch_images, torch_labels);
    agrees = agrees && peers::agree<float>(std::array{janus_loss}, std::array{torch_loss}, 1e-5);
    if (i == 0) agrees = agrees && peers::agree<float>(std::array{janus_loss}, std::array{primal_loss}, 1e-5);
  }
  const auto janus_parameters = janus_side->model.parameters();
  const auto torch_parameters = torch_side->model->parameters();
  for (std::size_t i = 0; i < janus_parameters.size(); ++i)
    agrees = agrees && peers::agree<float>(values_of(janus_parameters[i]), values_of(torch_parameters[i]), 1e-5);
  peers::require(agrees, (name.label() + ": libtorch's and janus's losses and parameters after two steps disagree").c_str());

  peers::add(name.of("primal"), 0, [primal, batch](int) { return primal->loss(*batch); });
  peers::add(name.of("janus_tensor"), 0,
             [janus_side, janus_images, batch](int) { return janus_side->step(janus_images, batch->labels); });
  peers::add(name.of("libtorch"), 0,
             [torch_side, torch_images, torch_labels](int) { return torch_side->step(torch_images, torch_labels); });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  torch::set_num_threads(1);
  openblas_set_num_threads(1);
  benchmark::AddCustomContext("torch_threads", std::to_string(torch::get_num_threads()));
  benchmark::AddCustomContext("openblas_threads", std::to_string(openblas_get_num_threads()));
  benchmark::AddCustomContext("openblas_core", openblas_get_corename());
  log_sum_exp_benchmarks();
  dense_benchmarks(32);
  dense_benchmarks(256);
  mnist_step_benchmarks(64);
  mnist_step_benchmarks(128);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
