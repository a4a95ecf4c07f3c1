// Fuzz target: janus::nn::load_training on any file, into a small float MLP
// with each of three optimisers, because a training checkpoint names the
// optimiser's kinds of state and must be refused by an optimiser of another
// kind: SGD with momentum ("velocity"), Adam ("first_moment" and
// "second_moment") and plain SGD (no state). Each input must be loaded or
// refused with a data_error naming the file; a refused file must leave the
// model's values and the optimiser's state buffers, step count and learning
// rate as they were, and a loaded one must hold finite values and save back
// (save_training) to the very same bytes.
//
// Almost every mutation of a checkpoint breaks its CRC-32, which
// load_training() checks first; so each input is also loaded with its last
// four bytes replaced by the CRC of the rest, to reach the parser behind the
// check.
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "janus/nn.hpp"
#include "janus/optim/adam.hpp"
#include "janus/optim/sgd.hpp"
#include "memory_file.hpp"

namespace {

/// A directory of its own for the files that save_training() writes: it
/// writes FILE.partial and renames it over FILE, which a memory_file's path
/// (/proc/self/fd/N) does not allow.
class scratch_directory {
 public:
  scratch_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "janus-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~scratch_directory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  scratch_directory(const scratch_directory&) = delete;
  scratch_directory& operator=(const scratch_directory&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// Everything load_training() may change, as bits: the parameters' values,
/// then every state buffer, then the step count and the learning rate.
struct snapshot {
  std::vector<float> values;
  long steps = 0;
  std::uint64_t learning_rate = 0;

  bool operator==(const snapshot& other) const {
    return values.size() == other.values.size() &&
           std::memcmp(values.data(), other.values.data(), values.size() * sizeof(float)) == 0 &&
           steps == other.steps && learning_rate == other.learning_rate;
  }
};

/// A model and an optimiser of it, its state set apart from the zeros of a
/// fresh optimiser so that a refused file that wrote zeros would show.
struct trainee {
  // The shapes of the committed seeds: 0.weight (2, 3), 0.bias (2), 2.weight (2, 2), 2.bias (2).
  janus::nn::mlp<float> model{{3, 2, 2}, 1};
  std::unique_ptr<janus::optim::optimizer<float>> optimizer;

  explicit trainee(std::unique_ptr<janus::optim::optimizer<float>> (*make)(janus::nn::module<float>&))
      : optimizer(make(model)) {
    float next = 0.5f;
    for (std::size_t kind = 0; kind < optimizer->state().size(); ++kind)
      for (std::size_t p = 0; p < model.parameters().size(); ++p)
        for (float& v : optimizer->state_values(kind, p)) v = (next += 0.25f);
    optimizer->set_steps(7);
    optimizer->set_learning_rate(0.125);
  }

  snapshot take() const {
    snapshot s;
    for (const auto& p : model.parameters()) {
      const auto v = p.to_vector();
      s.values.insert(s.values.end(), v.begin(), v.end());
    }
    for (const auto& state : optimizer->state())
      for (const auto& buffer : state.buffers) s.values.insert(s.values.end(), buffer.begin(), buffer.end());
    s.steps = optimizer->steps();
    s.learning_rate = std::bit_cast<std::uint64_t>(optimizer->learning_rate());
    return s;
  }
};

std::unique_ptr<janus::optim::optimizer<float>> make_momentum(janus::nn::module<float>& model) {
  return std::make_unique<janus::optim::sgd<float>>(model.parameters(),
                                                     janus::optim::sgd_options{.learning_rate = 0.1, .momentum = 0.9});
}

std::unique_ptr<janus::optim::optimizer<float>> make_adam(janus::nn::module<float>& model) {
  return std::make_unique<janus::optim::adam<float>>(model.parameters(), janus::optim::adam_options{});
}

std::unique_ptr<janus::optim::optimizer<float>> make_plain(janus::nn::module<float>& model) {
  return std::make_unique<janus::optim::sgd<float>>(model.parameters(), janus::optim::sgd_options{});
}

void load_one(trainee& run, const std::vector<std::uint8_t>& bytes) {
  static janus::fuzz::memory_file file;
  static const scratch_directory scratch;
  const auto& path = file.hold(bytes.data(), bytes.size());
  const snapshot before = run.take();
  janus::nn::training_progress progress;
  try {
    progress = janus::nn::load_training(run.model, *run.optimizer, path);
  } catch (const janus::data::data_error& error) {
    if (error.file() != path.string()) janus::fuzz::violated("a data_error that does not name the file");
    if (!(run.take() == before)) janus::fuzz::violated("a refused file changed the model or the optimiser");
    return;
  }
  for (float v : run.take().values)
    if (!std::isfinite(v)) janus::fuzz::violated("a loaded file gave a non-finite value");
  const double rate = run.optimizer->learning_rate();
  if (!(rate > 0) || !std::isfinite(rate)) janus::fuzz::violated("a loaded file gave a learning rate not above 0");
  const std::filesystem::path saved_path = scratch.path() / "saved";
  janus::nn::save_training(run.model, *run.optimizer, progress, saved_path);
  std::ifstream in(saved_path, std::ios::binary);
  const std::vector<std::uint8_t> written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (written != bytes) janus::fuzz::violated("a loaded file does not save back to the same bytes");
}

void load_all(const std::vector<std::uint8_t>& bytes) {
  static trainee momentum(make_momentum), adam(make_adam), plain(make_plain);
  load_one(momentum, bytes);
  load_one(adam, bytes);
  load_one(plain, bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  load_all(bytes);
  if (size >= 4) {
    const std::size_t body = size - 4;
    const auto crc = crc32(0L, bytes.data(), static_cast<uInt>(body));
    for (std::size_t i = 0; i < 4; ++i) bytes[body + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    load_all(bytes);
  }
  return 0;
}
