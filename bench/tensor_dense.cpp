// A dense layer sum(tanh(W x + b)), forward and backward, on the tensor tape
// against the same computed with hand-written CBLAS calls and loops (the
// floor); and the overhead of recording one tiny elementwise operation.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cmath>
#include <random>
#include <vector>

#include "janus/rules.hpp"
#include "janus/tensor.hpp"

namespace {

constexpr std::size_t features = 256;

struct dense_inputs {
  std::size_t rows;  // 0: x is a vector
  std::vector<float> w, b, x;
  explicit dense_inputs(std::size_t batch) : rows(batch) {
    std::mt19937 gen(1);
    std::uniform_real_distribution<float> draw(-0.1f, 0.1f);
    w.resize(features * features);
    b.resize(features);
    x.resize((batch == 0 ? 1 : batch) * features);
    for (auto* values : {&w, &b, &x}) {
      for (float& v : *values) v = draw(gen);
    }
  }
  janus::shape_type x_shape() const {
    return rows == 0 ? janus::shape_type{features} : janus::shape_type{rows, features};
  }
};

void tape_dense(benchmark::State& state, std::size_t batch) {
  const dense_inputs in(batch);
  const janus::Tensor w({features, features}, in.w, true);
  const janus::Tensor b({features}, in.b, true);
  const janus::Tensor x(in.x_shape(), in.x);
  for (auto _ : state) {
    janus::Tensor loss = janus::sum(janus::tanh(janus::linear(x, w, b)));
    loss.backward();
    benchmark::DoNotOptimize(loss.item());
  }
  benchmark::DoNotOptimize(w.grad_data()[0]);
}

// The floor: what a person writes by hand, the tanh derivative from the rule table.
void blas_dense(benchmark::State& state, std::size_t batch) {
  const dense_inputs in(batch);
  const std::size_t rows = batch == 0 ? 1 : batch;
  std::vector<float> y(rows * features), g(rows * features), dw(features * features, 0.0f), db(features, 0.0f);
  const janus::rules::tanh rule;
  for (auto _ : state) {
    for (std::size_t r = 0; r < rows; ++r) std::copy(in.b.begin(), in.b.end(), y.begin() + static_cast<long>(r * features));
    if (batch == 0) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, features, features, 1.0f, in.w.data(), features, in.x.data(), 1, 1.0f,
                  y.data(), 1);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), features, features, 1.0f,
                  in.x.data(), features, in.w.data(), features, 1.0f, y.data(), features);
    }
    float loss = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      y[i] = rule.value(y[i]);
      loss += y[i];
    }
    for (std::size_t i = 0; i < y.size(); ++i) g[i] = rule.pullback(0.0f, y[i], 1.0f);
    if (batch == 0) {
      cblas_sger(CblasRowMajor, features, features, 1.0f, g.data(), 1, in.x.data(), 1, dw.data(), features);
    } else {
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, features, features, static_cast<int>(rows), 1.0f, g.data(),
                  features, in.x.data(), features, 1.0f, dw.data(), features);
    }
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t j = 0; j < features; ++j) db[j] += g[r * features + j];
    }
    benchmark::DoNotOptimize(loss);
  }
  benchmark::DoNotOptimize(dw[0]);
}

void BM_dense_vector_tape(benchmark::State& state) { tape_dense(state, 0); }
void BM_dense_vector_blas(benchmark::State& state) { blas_dense(state, 0); }
void BM_dense_batch64_tape(benchmark::State& state) { tape_dense(state, 64); }
void BM_dense_batch64_blas(benchmark::State& state) { blas_dense(state, 64); }
BENCHMARK(BM_dense_vector_tape)->Name("dense_layer/janus_tensor/256");
BENCHMARK(BM_dense_vector_blas)->Name("dense_layer/expert/256");
BENCHMARK(BM_dense_batch64_tape)->Name("dense_layer_batch64/janus_tensor/256");
BENCHMARK(BM_dense_batch64_blas)->Name("dense_layer_batch64/expert/256");

// Under janus::detect_anomaly: every output and every gradient scanned.
void BM_dense_batch64_tape_detect_anomaly(benchmark::State& state) {
  const janus::detect_anomaly guard;
  tape_dense(state, 64);
}
BENCHMARK(BM_dense_batch64_tape_detect_anomaly)->Name("dense_layer_batch64/janus_tensor_detect_anomaly/256");

// One-element tensors: the cost is the engine's bookkeeping, not arithmetic.
constexpr int chain = 64;

void BM_tiny_op_recorded_and_swept(benchmark::State& state) {
  const janus::Tensor x({1}, {0.5f}, true);
  for (auto _ : state) {
    janus::Tensor y = x;
    for (int i = 0; i < chain; ++i) y = y * 0.999f;
    y.backward();
  }
  state.SetItemsProcessed(state.iterations() * chain);
  state.counters["ns_per_op"] = benchmark::Counter(static_cast<double>(state.iterations() * chain),
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_tiny_op_recorded_and_swept)->Name("tensor_operation/record_and_sweep");

void BM_tiny_op_recorded_and_swept_detect_anomaly(benchmark::State& state) {
  const janus::detect_anomaly guard;
  BM_tiny_op_recorded_and_swept(state);
}
BENCHMARK(BM_tiny_op_recorded_and_swept_detect_anomaly)->Name("tensor_operation/record_and_sweep_detect_anomaly");

void BM_tiny_op_not_recorded(benchmark::State& state) {
  const janus::Tensor x({1}, {0.5f});
  for (auto _ : state) {
    janus::Tensor y = x;
    for (int i = 0; i < chain; ++i) y = y * 0.999f;
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["ns_per_op"] = benchmark::Counter(static_cast<double>(state.iterations() * chain),
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_tiny_op_not_recorded)->Name("tensor_operation/not_recorded");

}  // namespace

BENCHMARK_MAIN();
