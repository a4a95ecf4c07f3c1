// data_parallel under mpirun (two processes): every process starts from
// rank 0's parameters, and the gradient averaged over the processes' shares
// of a batch is the gradient one process computes on the whole batch,
// however the rows are split, with the all-reduce overlapped or not; a few
// hundred images trained for some epochs end where one process ends.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "janus/data.hpp"
#include "janus/distributed.hpp"
#include "janus/nn.hpp"
#include "janus/optim.hpp"
#include "mpi_fixture.hpp"
#include "training_data.hpp"

namespace nn = janus::nn;
using janus::testing::mpi;
using janus::testing::random_set;
using janus::testing::values;

namespace {

template <class T>
std::vector<T> gradients(const nn::module<T>& model) {
  std::vector<T> all;
  for (const auto& parameter : model.parameters()) {
    const auto g = parameter.grad().to_vector();
    all.insert(all.end(), g.begin(), g.end());
  }
  return all;
}

template <class T>
double largest_difference(const std::vector<T>& a, const std::vector<T>& b) {
  double largest = a.size() == b.size() ? 0.0 : INFINITY;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    largest = std::max(largest, std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])));
  return largest;
}

// The features of a batch in element type T.
template <class T>
janus::basic_tensor<T> as(const janus::Tensor& features) {
  const auto v = features.to_vector();
  return janus::basic_tensor<T>(features.shape(), std::vector<T>(v.begin(), v.end()));
}

// The gradient of one batch of `rows` rows: on the whole batch by one process,
// and averaged over the processes' shares; their largest difference.
template <class T>
double gradient_difference(std::size_t rows, bool overlap) {
  const auto set = random_set(rows, 20, 3);
  const janus::data::batches<float> whole(set, rows, 0);
  nn::mlp<T> alone({20, 16, 12, 10}, 5);
  const auto batch = whole[0];
  janus::nn::cross_entropy(alone(as<T>(batch.features)), std::span<const std::int64_t>(batch.labels)).backward();

  nn::mlp<T> model({20, 16, 12, 10}, 5);
  janus::distributed::data_parallel<T> parallel(model, MPI_COMM_WORLD, {.overlap = overlap});
  const auto share = whole.shard(0, static_cast<std::size_t>(mpi().rank()), static_cast<std::size_t>(mpi().size()));
  model.zero_grad();
  if (!share.labels.empty())
    janus::nn::cross_entropy(parallel(as<T>(share.features)), std::span<const std::int64_t>(share.labels)).backward();
  parallel.synchronize();
  return largest_difference(gradients(model), gradients(alone));
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_process_starts_from_rank_0s_parameters) {
  BOOST_TEST_REQUIRE(mpi().size() == 2);
  nn::mlp<float> model({8, 6, 3}, 1 + static_cast<std::uint64_t>(mpi().rank()));
  janus::distributed::data_parallel<float> parallel(model);
  std::vector<float> mine = values(model), rank_0s = mine;
  MPI_Bcast(rank_0s.data(), static_cast<int>(rank_0s.size()), MPI_FLOAT, 0, MPI_COMM_WORLD);
  BOOST_TEST(mine == rank_0s, boost::test_tools::per_element());
  BOOST_TEST(values(model) == values(nn::mlp<float>({8, 6, 3}, 1)), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_average_is_the_whole_batchs_gradient) {
  // 64 rows: 32 each; 7: 3 and 4, weighed by their rows; 1: one process has none.
  for (std::size_t rows : {64u, 7u, 1u})
    for (bool overlap : {true, false}) {
      BOOST_TEST_CONTEXT("rows " << rows << ", overlap " << overlap) {
        BOOST_TEST(gradient_difference<float>(rows, overlap) <= 1e-5);
        BOOST_TEST(gradient_difference<double>(rows, overlap) <= 1e-12);
      }
    }
}

BOOST_AUTO_TEST_CASE(forward_under_no_grad_only_evaluates) {
  nn::mlp<float> model({4, 3}, 2);
  janus::distributed::data_parallel<float> parallel(model);
  const janus::Tensor x({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  janus::no_grad guard;
  BOOST_TEST(parallel(x).to_vector() == model(x).to_vector(), boost::test_tools::per_element());
  BOOST_TEST(parallel(x).to_vector() == model(x).to_vector(), boost::test_tools::per_element());  // no step opened
}

BOOST_AUTO_TEST_CASE(a_second_forward_in_a_step_is_refused) {
  nn::mlp<float> model({4, 3}, 2);
  janus::distributed::data_parallel<float> parallel(model);
  const janus::Tensor x({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  const janus::Tensor first = parallel(x);
  BOOST_CHECK_THROW(parallel(x), std::logic_error);
  janus::release_graph();
  parallel.synchronize();
}

BOOST_AUTO_TEST_CASE(sum_adds_over_the_processes) {
  double counts[2] = {static_cast<double>(mpi().rank()), 1.0};
  janus::distributed::sum(std::span<double>(counts));
  BOOST_TEST(counts[0] == 1.0);
  BOOST_TEST(counts[1] == 2.0);
}

// A few hundred images for a few epochs, SGD with momentum, shuffled each
// epoch: two processes end with the parameters one process reaches.
BOOST_AUTO_TEST_CASE(training_ends_where_one_process_ends) {
  const auto set = random_set(300, 20, 9);
  const auto train = [&](nn::mlp<float>& model, bool shared) {
    janus::optim::sgd<float> sgd(model.parameters(), {.learning_rate = 0.05, .momentum = 0.9});
    janus::data::batches<float> loader(set, 32, 4);
    std::unique_ptr<janus::distributed::data_parallel<float>> parallel;
    if (shared) parallel = std::make_unique<janus::distributed::data_parallel<float>>(model);
    const std::size_t part = shared ? static_cast<std::size_t>(mpi().rank()) : 0, parts = shared ? 2 : 1;
    for (int epoch = 0; epoch < 4; ++epoch) {
      loader.shuffle();
      for (std::size_t b = 0; b < loader.size(); ++b) {
        const auto batch = loader.shard(b, part, parts);
        sgd.zero_grad();
        const janus::Tensor logits = shared ? (*parallel)(batch.features) : model(batch.features);
        janus::nn::cross_entropy(logits, std::span<const std::int64_t>(batch.labels)).backward();
        if (shared) parallel->synchronize();
        sgd.step();
      }
    }
  };
  nn::mlp<float> alone({20, 32, 10}, 8), together({20, 32, 10}, 8);
  train(alone, false);
  train(together, true);
  BOOST_TEST(largest_difference(values(together), values(alone)) <= 1e-5);
}
