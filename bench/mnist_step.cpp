// bench_mnist_step: one MNIST training step and one epoch on the tensor tape,
// against the floor of the 8 matrix products a step needs at the same shapes.
//
//   A = 784-64-64-10,   batch 64,  SGD 0.1
//   B = 784-256-256-10, batch 128, SGD 0.1 momentum 0.9
//
// The argument is the number of OpenBLAS threads (set through its API; the
// environment is left as it is). Counters: floor_us, the 8 products alone per
// step; outside_us, what a step costs beyond them; ratio, step / floor. With
// one thread the counters use the process's CPU time, which other programs
// on a busy machine do not inflate; with two, the wall-clock time.
// MNIST comes from $JANUS_MNIST or data/mnist; without it, random images of
// the same shape stand in (the timing does not depend on the pixels).
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <vector>

#include "janus/data.hpp"
#include "janus/nn.hpp"
#include "janus/optim.hpp"
#include "janus/tensor.hpp"

namespace {

void set_threads(const benchmark::State& state) { openblas_set_num_threads(static_cast<int>(state.range(0))); }

// Seconds on the clock the counters use (see the top of the file).
double now(int threads) {
  if (threads == 1) {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct network {
  std::vector<std::size_t> sizes;
  std::size_t batch;
  double momentum;
};

const network A{{784, 64, 64, 10}, 64, 0.0};
const network B{{784, 256, 256, 10}, 128, 0.9};

const janus::data::labelled_set& training_set() {
  static const janus::data::labelled_set set = [] {
    const char* env = std::getenv("JANUS_MNIST");
    const std::filesystem::path dir = env != nullptr ? env : "data/mnist";
    if (janus::data::has_mnist(dir)) return janus::data::load_mnist(dir, {.standardise = true}).train;
    std::fprintf(stderr, "MNIST not found in $JANUS_MNIST or data/mnist: timing on random images\n");
    janus::data::labelled_set random;
    random.feature_count = 784;
    random.sample_shape = {28, 28};
    std::mt19937_64 generator(1);
    random.features.resize(60000 * 784);
    for (float& p : random.features) p = static_cast<float>(generator() % 256) / 255.0f;
    for (int i = 0; i < 60000; ++i) random.labels.push_back(static_cast<std::int64_t>(generator() % 10));
    return random;
  }();
  return set;
}

// One training step: forward, cross-entropy, backward, update.
void train_step(janus::nn::mlp<float>& model, janus::optim::sgd<float>& sgd, const janus::data::batch<float>& batch) {
  janus::Tensor loss = janus::nn::cross_entropy(model(batch.features), std::span<const std::int64_t>(batch.labels));
  sgd.zero_grad();
  loss.backward();
  sgd.step();
  benchmark::DoNotOptimize(loss.data());
}

// The products of one step, at its shapes, on buffers of the right size:
// per layer (in -> out) the forward x W^T (batch, out), the weight
// gradient dZ^T x (out, in), and, except for the first layer, the input
// gradient dZ W (batch, in). Three layers make 8 products.
struct matmul_floor {
  explicit matmul_floor(const network& net) : net_(net) {
    for (std::size_t l = 0; l + 1 < net.sizes.size(); ++l) {
      const std::size_t in = net.sizes[l], out = net.sizes[l + 1];
      inputs_.emplace_back(net.batch * in, 0.5f);
      weights_.emplace_back(out * in, 0.01f);
      outputs_.emplace_back(net.batch * out, 0.0f);
      weight_grads_.emplace_back(out * in, 0.0f);
      input_grads_.emplace_back(net.batch * in, 0.0f);
    }
  }

  void run() {
    const int m = static_cast<int>(net_.batch);
    for (std::size_t l = 0; l + 1 < net_.sizes.size(); ++l) {
      const int in = static_cast<int>(net_.sizes[l]), out = static_cast<int>(net_.sizes[l + 1]);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, out, in, 1.0f, inputs_[l].data(), in,
                  weights_[l].data(), in, 0.0f, outputs_[l].data(), out);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, m, 1.0f, outputs_[l].data(), out,
                  inputs_[l].data(), in, 0.0f, weight_grads_[l].data(), in);
      if (l > 0)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, in, out, 1.0f, outputs_[l].data(), out,
                    weights_[l].data(), in, 0.0f, input_grads_[l].data(), in);
    }
  }

  /// Seconds per run(), the best of several timed rounds.
  double seconds(int threads) {
    for (int i = 0; i < 20; ++i) run();
    double best = 1e9;
    for (int round = 0; round < 5; ++round) {
      const double start = now(threads);
      for (int i = 0; i < 100; ++i) run();
      best = std::min(best, (now(threads) - start) / 100);
    }
    return best;
  }

 private:
  network net_;
  std::vector<std::vector<float>> inputs_, weights_, outputs_, weight_grads_, input_grads_;
};


void report(benchmark::State& state, const network& net, double seconds_per_step, std::size_t steps_per_iteration) {
  matmul_floor floor(net);
  const double floor_seconds = floor.seconds(static_cast<int>(state.range(0))) * static_cast<double>(steps_per_iteration);
  state.counters["floor_us"] = floor_seconds * 1e6;
  state.counters["outside_us"] = (seconds_per_step * static_cast<double>(steps_per_iteration) - floor_seconds) * 1e6 /
                                 static_cast<double>(steps_per_iteration);
  state.counters["ratio"] = seconds_per_step * static_cast<double>(steps_per_iteration) / floor_seconds;
  state.SetLabel(openblas_get_corename());
}

void bm_step(benchmark::State& state, const network& net) {
  set_threads(state);
  janus::nn::mlp<float> model(net.sizes, 1);
  janus::optim::sgd<float> sgd(model.parameters(), {.learning_rate = 0.1, .momentum = net.momentum});
  janus::data::batches<float> loader(training_set(), net.batch, 1);
  const auto batch = loader[0];
  for (int i = 0; i < 10; ++i) train_step(model, sgd, batch);  // warm the tape's memory
  const int threads = static_cast<int>(state.range(0));
  const double start = now(threads);
  for (auto _ : state) train_step(model, sgd, batch);
  const double seconds = (now(threads) - start) / static_cast<double>(state.iterations());
  report(state, net, seconds, 1);
}

void bm_epoch(benchmark::State& state, const network& net) {
  set_threads(state);
  janus::nn::mlp<float> model(net.sizes, 1);
  janus::optim::sgd<float> sgd(model.parameters(), {.learning_rate = 0.1, .momentum = net.momentum});
  janus::data::batches<float> loader(training_set(), net.batch, 1);
  const int threads = static_cast<int>(state.range(0));
  const double start = now(threads);
  for (auto _ : state) {
    loader.shuffle();
    for (std::size_t b = 0; b < loader.size(); ++b) train_step(model, sgd, loader[b]);
  }
  const double seconds = (now(threads) - start) / static_cast<double>(state.iterations());
  report(state, net, seconds / static_cast<double>(loader.size()), loader.size());
}

// The optimiser alone: zero_grad() and step() over every parameter.
void bm_update(benchmark::State& state, const network& net) {
  set_threads(state);
  janus::nn::mlp<float> model(net.sizes, 1);
  janus::optim::sgd<float> sgd(model.parameters(), {.learning_rate = 0.1, .momentum = net.momentum});
  for (auto _ : state) {
    sgd.zero_grad();
    sgd.step();
    benchmark::DoNotOptimize(model.parameters().front().data());
  }
}

// Cutting one batch out of the shuffled training set.
void bm_batch(benchmark::State& state, const network& net) {
  janus::data::batches<float> loader(training_set(), net.batch, 1);
  loader.shuffle();
  std::size_t b = 0;
  for (auto _ : state) {
    const auto batch = loader[b];
    benchmark::DoNotOptimize(batch.features.data());
    b = (b + 1) % loader.size();
  }
}

void bm_matmul_floor(benchmark::State& state, const network& net) {
  set_threads(state);
  matmul_floor floor(net);
  for (auto _ : state) floor.run();
  state.SetLabel(openblas_get_corename());
}

}  // namespace

BENCHMARK_CAPTURE(bm_step, A, A)->Name("mnist_step_small/janus_tensor/64")->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_step, B, B)->Name("mnist_step/janus_tensor/128")->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_matmul_floor, A, A)->Name("mnist_step_small/matmul_floor/64")->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_matmul_floor, B, B)->Name("mnist_step/matmul_floor/128")->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_update, A, A)->Name("mnist_step_small/sgd_update_only/64")->ArgName("threads")->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_update, B, B)->Name("mnist_step/sgd_update_only/128")->ArgName("threads")->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_batch, A, A)->Name("mnist_step_small/batch_cut_only/64")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_batch, B, B)->Name("mnist_step/batch_cut_only/128")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_epoch, A, A)->Name("mnist_epoch_small/janus_tensor/64")->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(bm_epoch, B, B)->Name("mnist_epoch/janus_tensor/128")->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
