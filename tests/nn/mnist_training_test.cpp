// A short training run on real digits: an MLP trained on the first 8000
// MNIST training images must beat 90% on the first 2000 test images.
// Skipped, saying so, when JANUS_MNIST does not name the data set.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>

#include "../data/idx_files.hpp"
#include "janus/data.hpp"
#include "janus/nn.hpp"
#include "janus/optim.hpp"

BOOST_AUTO_TEST_CASE(beats_ninety_percent_on_a_few_thousand_digits,
                     *boost::unit_test::precondition(janus::data::testing::mnist_available)) {
  namespace data = janus::data;
  const data::mnist mnist =
      data::load_mnist(std::getenv("JANUS_MNIST"), {.standardise = true, .train_limit = 8000, .test_limit = 2000});
  janus::nn::mlp<float> model({784, 128, 10}, 3);
  janus::optim::sgd<float> sgd(model.parameters(), {.learning_rate = 0.02, .momentum = 0.9});
  data::batches<float> loader(mnist.train, 50, 3);

  double first_epoch_loss = 0, last_epoch_loss = 0;
  for (int epoch = 0; epoch < 5; ++epoch) {
    loader.shuffle();
    double total = 0;
    for (std::size_t b = 0; b < loader.size(); ++b) {
      const auto batch = loader[b];
      janus::Tensor loss = janus::nn::cross_entropy(model(batch.features), std::span<const std::int64_t>(batch.labels));
      sgd.zero_grad();
      loss.backward();
      sgd.step();
      total += loss.item();
    }
    (epoch == 0 ? first_epoch_loss : last_epoch_loss) = total / static_cast<double>(loader.size());
  }
  BOOST_TEST(last_epoch_loss < first_epoch_loss);

  janus::no_grad evaluation;
  data::batches<float> test(mnist.test, 500, 0);
  std::size_t right = 0;
  for (std::size_t b = 0; b < test.size(); ++b) {
    const auto batch = test[b];
    const janus::Tensor logits = model(batch.features);
    for (std::size_t r = 0; r < batch.labels.size(); ++r) {
      const float* row = logits.data() + r * 10;
      right += std::max_element(row, row + 10) - row == batch.labels[r];
    }
  }
  const double accuracy = static_cast<double>(right) / static_cast<double>(mnist.test.size());
  BOOST_TEST_MESSAGE("test accuracy after 5 epochs on 8000 digits: " << 100 * accuracy << "%");
  BOOST_TEST(accuracy > 0.90);
}
