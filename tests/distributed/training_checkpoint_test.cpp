// Training checkpoints (janus/nn/checkpoint.hpp) and the shuffle position
// (janus/data/batches.hpp), what a resumed run is made of, under mpirun as
// the trainer uses them: rank 0 writes, every process reads. A run resumed
// from a checkpoint takes the steps an uninterrupted one takes; a
// checkpoint of another optimiser, of another kind or holding NaN is
// refused before anything changes; parameters files stay what they were.
#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "janus/data.hpp"
#include "janus/distributed.hpp"
#include "janus/nn.hpp"
#include "janus/optim.hpp"
#include "mpi_fixture.hpp"
#include "training_data.hpp"

namespace nn = janus::nn;
namespace optim = janus::optim;
using janus::data::data_error;
using janus::testing::mpi;
using janus::testing::values;

namespace {

// A folder of rank 0's, in the system's temporary folder, that every
// process sees (one machine); removed afterwards.
struct shared_folder {
  std::filesystem::path path;
  shared_folder() {
    long long id = ::getpid();
    MPI_Bcast(&id, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    path = std::filesystem::temp_directory_path() / ("janus-training-checkpoint-" + std::to_string(id) + "-" +
                                                     std::to_string(next()++));
    if (mpi().is_root()) std::filesystem::create_directories(path);
    MPI_Barrier(MPI_COMM_WORLD);
  }
  ~shared_folder() {
    MPI_Barrier(MPI_COMM_WORLD);
    std::error_code ec;
    if (mpi().is_root()) std::filesystem::remove_all(path, ec);
  }
  static int& next() {
    static int n = 0;
    return n;
  }
};

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Rewrites `file` with `change` applied to its bytes and the checksum made right again.
template <class Change>
void alter(const std::filesystem::path& file, Change change) {
  auto bytes = read_bytes(file);
  change(bytes);
  const std::size_t body = bytes.size() - 4;
  const auto crc = crc32(0L, bytes.data(), static_cast<uInt>(body));
  for (std::size_t i = 0; i < 4; ++i) bytes[body + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Trains epochs [first, last) of a small model with two processes.
struct run {
  janus::data::labelled_set set = janus::testing::random_set(200, 12, 17);
  nn::mlp<float> model{{12, 16, 10}, 3};
  std::unique_ptr<optim::optimizer<float>> optimizer;
  janus::data::batches<float> loader{set, 24, 5};
  janus::distributed::data_parallel<float> parallel{model};

  explicit run(bool adam) {
    if (adam) optimizer = std::make_unique<optim::adam<float>>(model.parameters(), optim::adam_options{});
    else optimizer = std::make_unique<optim::sgd<float>>(model.parameters(), optim::sgd_options{.learning_rate = 0.05, .momentum = 0.9});
  }

  void epochs(int first, int last) {
    for (int epoch = first; epoch < last; ++epoch) {
      loader.shuffle();
      for (std::size_t b = 0; b < loader.size(); ++b) {
        const auto batch = loader.shard(b, static_cast<std::size_t>(mpi().rank()), 2);
        optimizer->set_learning_rate(0.01 / (1.0 + static_cast<double>(optimizer->steps())));
        optimizer->zero_grad();
        nn::cross_entropy(parallel(batch.features), std::span<const std::int64_t>(batch.labels)).backward();
        parallel.synchronize();
        optimizer->step();
      }
    }
  }

  nn::training_progress progress(int epochs) const {
    return {.epochs = static_cast<std::uint64_t>(epochs), .shuffle = loader.position()};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_resumed_run_takes_the_steps_of_an_uninterrupted_one) {
  for (bool adam : {false, true}) {
    BOOST_TEST_CONTEXT((adam ? "adam" : "sgd with momentum")) {
      shared_folder folder;
      const auto file = folder.path / "run.janus";
      run whole(adam);
      whole.epochs(0, 5);

      run first(adam);
      first.epochs(0, 2);
      if (mpi().is_root()) nn::save_training(first.model, *first.optimizer, first.progress(2), file);
      MPI_Barrier(MPI_COMM_WORLD);
      BOOST_TEST(!std::filesystem::exists(nn::detail::partial_path(file)));

      run resumed(adam);  // a new process: other initial values would do as well
      const nn::training_progress progress = nn::load_training(resumed.model, *resumed.optimizer, file);
      BOOST_TEST(progress.epochs == 2u);
      BOOST_TEST(progress.shuffle.seed == 5u);
      BOOST_TEST(progress.shuffle.shuffles == 2u);
      BOOST_TEST(resumed.optimizer->steps() == first.optimizer->steps());
      BOOST_TEST(resumed.optimizer->learning_rate() == first.optimizer->learning_rate());
      resumed.loader.restore(progress.shuffle);
      BOOST_TEST(resumed.loader.order() == first.loader.order(), boost::test_tools::per_element());
      resumed.epochs(2, 5);
      BOOST_TEST(values(resumed.model) == values(whole.model), boost::test_tools::per_element());
      for (std::size_t kind = 0; kind < whole.optimizer->state().size(); ++kind)
        for (std::size_t p = 0; p < whole.model.parameters().size(); ++p)
          BOOST_TEST(resumed.optimizer->state()[kind].buffers[p] == whole.optimizer->state()[kind].buffers[p],
                     boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(restoring_a_shuffle_position_draws_the_same_orders) {
  const auto set = janus::testing::random_set(50, 2, 17);
  janus::data::batches<float> going_on(set, 8, 11), restored(set, 8, 0);
  for (int i = 0; i < 3; ++i) going_on.shuffle();
  restored.restore(going_on.position());
  BOOST_TEST(restored.position().shuffles == 3u);
  BOOST_TEST(restored.order() == going_on.order(), boost::test_tools::per_element());
  going_on.shuffle();
  restored.shuffle();
  BOOST_TEST(restored.order() == going_on.order(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_shares_of_a_batch_make_up_the_batch) {
  const auto set = janus::testing::random_set(23, 2, 17);
  janus::data::batches<float> loader(set, 10, 1);
  loader.shuffle();
  for (std::size_t parts : {1u, 2u, 3u, 4u, 11u}) {
    for (std::size_t b = 0; b < loader.size(); ++b) {
      std::vector<std::int64_t> joined;
      std::vector<float> features;
      std::size_t smallest = 100, largest = 0;
      for (std::size_t part = 0; part < parts; ++part) {
        const auto share = loader.shard(b, part, parts);
        joined.insert(joined.end(), share.labels.begin(), share.labels.end());
        const auto v = share.features.to_vector();
        features.insert(features.end(), v.begin(), v.end());
        smallest = std::min(smallest, share.labels.size());
        largest = std::max(largest, share.labels.size());
      }
      BOOST_TEST(joined == loader[b].labels, boost::test_tools::per_element());
      BOOST_TEST(features == loader[b].features.to_vector(), boost::test_tools::per_element());
      BOOST_TEST(largest - smallest <= 1u);
    }
  }
  BOOST_CHECK_THROW(loader.shard(0, 2, 2), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(each_reader_takes_its_own_kind_of_checkpoint) {
  shared_folder folder;
  const auto parameters = folder.path / "parameters.janus", training = folder.path / "training.janus";
  nn::mlp<float> trained({4, 3, 2}, 1);
  optim::sgd<float> sgd(trained.parameters(), {.learning_rate = 0.1, .momentum = 0.5});
  if (mpi().is_root()) {
    nn::save(trained, parameters);
    nn::save_training(trained, sgd, {}, training);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto refused = [](auto load, const std::string& fragment) {
    BOOST_CHECK_EXCEPTION(load(), data_error, [&](const data_error& error) {
      BOOST_TEST_MESSAGE(error.what());
      return std::string(error.what()).find(fragment) != std::string::npos;
    });
  };
  nn::mlp<float> model({4, 3, 2}, 2);
  optim::sgd<float> other(model.parameters(), {.learning_rate = 0.1, .momentum = 0.5});
  refused([&] { nn::load(model, training); },
          "byte 8: version 2, this janus reads version 1 with load(): version 2 is a training checkpoint; read it "
          "with janus::nn::load_training");
  refused([&] { nn::load_training(model, other, parameters); },
          "byte 8: version 1, this janus reads version 2 with load_training(): version 1 holds parameters alone");
  BOOST_TEST(values(model) != values(trained), boost::test_tools::per_element());
  nn::load_parameters(model, training);
  BOOST_TEST(values(model) == values(trained), boost::test_tools::per_element());
  nn::mlp<float> again({4, 3, 2}, 3);
  nn::load_parameters(again, parameters);
  BOOST_TEST(values(again) == values(trained), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_the_state_of_another_optimiser_or_a_damaged_one) {
  shared_folder folder;
  const auto file = folder.path / "training.janus";
  const auto mine = folder.path / (std::to_string(mpi().rank()) + ".janus");
  nn::mlp<float> trained({4, 3, 2}, 1);
  optim::sgd<float> sgd(trained.parameters(), {.learning_rate = 0.1, .momentum = 0.5});
  if (mpi().is_root()) nn::save_training(trained, sgd, {.epochs = 3, .shuffle = {7, 3}}, file);
  MPI_Barrier(MPI_COMM_WORLD);

  nn::mlp<float> model({4, 3, 2}, 2);
  const std::vector<float> before = values(model);
  const auto refused = [&](const std::filesystem::path& path, optim::optimizer<float>& optimizer,
                           const std::string& fragment) {
    BOOST_CHECK_EXCEPTION(nn::load_training(model, optimizer, path), data_error, [&](const data_error& error) {
      BOOST_TEST_MESSAGE(error.what());
      return error.file() == path.string() && std::string(error.what()).find(fragment) != std::string::npos;
    });
    BOOST_TEST(values(model) == before, boost::test_tools::per_element());
    BOOST_TEST(optimizer.steps() == 0);
  };
  optim::adam<float> adam(model.parameters(), {});
  refused(file, adam,
          "holds optimiser state 'velocity' where the optimiser keeps 'first_moment', 'second_moment': a checkpoint "
          "of another optimiser");
  optim::sgd<float> plain(model.parameters(), {.learning_rate = 0.1});
  refused(file, plain, "holds optimiser state 'velocity' where the optimiser keeps none");

  optim::sgd<float> momentum(model.parameters(), {.learning_rate = 0.1, .momentum = 0.5});
  std::filesystem::copy_file(file, mine);
  alter(mine, [](std::vector<std::uint8_t>& bytes) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bytes.data() + bytes.size() - 4 - sizeof nan, &nan, sizeof nan);  // the last velocity value
  });
  refused(mine, momentum, "optimiser state 'velocity' of '2.bias' holds NaN at index 1");
  alter(mine, [](std::vector<std::uint8_t>& bytes) { bytes.insert(bytes.end() - 4, 4, 0); });
  refused(mine, momentum, "4 unexpected bytes after the values");
  alter(mine, [](std::vector<std::uint8_t>& bytes) { bytes.erase(bytes.end() - 12, bytes.end() - 4); });
  refused(mine, momentum, "truncated: the file ends inside the parameter values and optimiser state");

  // Adam's second moment is a mean of squares: negative, its square root
  // would turn the next step into NaN.
  const auto adam_file = folder.path / ("adam-" + std::to_string(mpi().rank()) + ".janus");
  {
    nn::mlp<float> saved({4, 3, 2}, 1);
    optim::adam<float> saved_adam(saved.parameters(), {});
    nn::save_training(saved, saved_adam, {}, adam_file);
  }
  alter(adam_file, [](std::vector<std::uint8_t>& bytes) {
    const float negative = -0.25f;
    std::memcpy(bytes.data() + bytes.size() - 4 - sizeof negative, &negative, sizeof negative);
  });
  refused(adam_file, adam, "optimiser state 'second_moment' of '2.bias' holds the negative value -0.250000 at index 1");
  alter(adam_file, [](std::vector<std::uint8_t>& bytes) {
    const float positive = 0.25f;
    std::memcpy(bytes.data() + bytes.size() - 4 - sizeof positive, &positive, sizeof positive);
  });
  nn::mlp<float> adam_model({4, 3, 2}, 2);
  optim::adam<float> adam_again(adam_model.parameters(), {});
  nn::load_training(adam_model, adam_again, adam_file);
  BOOST_TEST(adam_again.state_values(1, 3)[1] == 0.25f);

  nn::mlp<float> another({4, 3, 2}, 1);
  BOOST_CHECK_THROW(nn::load_training(another, momentum, file), std::invalid_argument);  // it updates `model`
  const auto progress = nn::load_training(model, momentum, file);
  BOOST_TEST(progress.epochs == 3u);
  BOOST_TEST(progress.shuffle.seed == 7u);
  BOOST_TEST(progress.shuffle.shuffles == 3u);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_that_cannot_be_renamed_into_place_is_reported) {
  shared_folder folder;
  const auto taken = folder.path / (std::to_string(mpi().rank()) + "-taken");
  std::filesystem::create_directories(taken / "full");  // a folder that is not empty: no file replaces it
  nn::mlp<float> model({4, 3, 2}, 1);
  optim::sgd<float> sgd(model.parameters(), {.learning_rate = 0.1});
  BOOST_CHECK_EXCEPTION(nn::save_training(model, sgd, {}, taken), data_error, [&](const data_error& error) {
    BOOST_TEST_MESSAGE(error.what());
    return error.file() == taken.string() && std::string(error.what()).find("cannot be written") != std::string::npos;
  });
  BOOST_TEST(!std::filesystem::exists(nn::detail::partial_path(taken)));
}
