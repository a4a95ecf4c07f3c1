// mnist_mlp: trains a multi-layer perceptron on MNIST with janus's tensor
// tape, and shows it learning: a progress bar, one line per epoch, a metrics
// CSV and, where gnuplot is installed, plots of the curves and of test digits.
// Built with janus::distributed, it also runs under mpirun, each process
// training on its share of every batch (docs/distributed.md).
//
//   scripts/fetch-mnist.sh            # once: the data into data/mnist
//   build/examples/mnist_mlp          # 784-256-256-10, about 98% in a minute
//   mpirun -np 2 -x OPENBLAS_NUM_THREADS=1 build/examples/mnist_mlp
//   build/examples/mnist_mlp --help
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <numbers>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "janus/data.hpp"
#include "janus/nn.hpp"
#include "janus/optim.hpp"
#include "janus/tensor.hpp"
#ifdef MNIST_MLP_DISTRIBUTED
#include "janus/distributed.hpp"
#endif
#include "digit_grid.hpp"
#include "run_program.hpp"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

// ---------------------------------------------------------------- flags

struct settings {
  std::vector<std::size_t> hidden = {256, 256};
  int epochs = 10;
  std::size_t batch_size = 128;
  std::string optimizer = "sgd";
  std::optional<double> learning_rate;  // per optimiser when not given
  std::optional<double> momentum;       // sgd's, 0.9 when not given
  bool nesterov = false;
  double weight_decay = 0.0;
  bool cosine = true;
  std::uint64_t seed = 1;
  std::size_t train_limit = 0;
  std::optional<fs::path> data;
  fs::path out = "out/mnist";
  std::optional<fs::path> save;
  std::optional<fs::path> load;
  std::optional<fs::path> resume;
  bool overlap = true;
  bool help = false;
};

constexpr std::string_view usage = R"(usage: mnist_mlp [options]
  --hidden SIZES      hidden layer sizes, comma-separated, each 1 to 16384 (default 256,256)
  --epochs N          passes over the training set (default 10; 0 only evaluates)
  --batch N           mini-batch size (default 128)
  --optimizer NAME    sgd, adam or adamw (default sgd)
  --lr RATE           learning rate, positive (default 0.05 for sgd, 0.001 for adam and adamw)
  --momentum M        sgd momentum, in [0, 1) (default 0.9)
  --nesterov          sgd with Nesterov momentum (needs a momentum above 0)
  --weight-decay W    L2 penalty (sgd, adam) or decoupled decay (adamw) (default 0)
  --schedule NAME     cosine (the rate falls to 0 over the run) or constant (default cosine)
  --seed N            initialisation and shuffling seed (default 1)
  --train-limit N     train on the first N images only (default: all 60000)
  --data DIR          folder of the four MNIST files (else $JANUS_MNIST, else data/mnist)
  --out DIR           where metrics.csv and the PNGs go (default out/mnist)
  --save FILE         write a training checkpoint to FILE after every epoch (parameters,
                      optimiser state, progress)
  --load FILE         start from the parameters in FILE (written by --save)
  --resume FILE       continue the run that wrote FILE with --save, after its last epoch,
                      with the same flags
  --no-overlap        under mpirun, start every gradient all-reduce after the backward
                      pass rather than layer by layer during it (to measure the gain)
Under mpirun -np K the global batch, --batch, is split over the K processes;
rank 0 prints and writes the files.
)";

template <class Number>
Number parse_number(std::string_view flag, std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(std::string(flag) + ": '" + std::string(text) + "' is not a number");
  return value;
}

// from_chars reads "nan" and "inf" too; no rate, momentum or decay is either.
double parse_finite(std::string_view flag, std::string_view text) {
  const auto value = parse_number<double>(flag, text);
  if (!std::isfinite(value))
    throw std::invalid_argument(std::string(flag) + ": '" + std::string(text) + "' is not a finite number");
  return value;
}

// Two layers this wide already hold a gigabyte of weights between them, and
// as much again of gradients and momentum; wider ones would only end in an
// allocation failure, or the system's out-of-memory killer, after the data
// had loaded.
constexpr std::size_t max_layer_size = 1u << 14;

// "256,256": every comma separates two sizes, so "", "256," and "256,,10" are refused.
std::vector<std::size_t> parse_sizes(std::string_view text) {
  std::vector<std::size_t> sizes;
  for (;;) {
    const std::size_t comma = text.find(',');
    const auto size = parse_number<std::size_t>("--hidden", text.substr(0, comma));
    if (size == 0) throw std::invalid_argument("--hidden: a layer needs at least one unit");
    if (size > max_layer_size)
      throw std::invalid_argument("--hidden: " + std::to_string(size) + " units; a layer has at most " +
                                  std::to_string(max_layer_size));
    sizes.push_back(size);
    if (comma == std::string_view::npos) return sizes;
    text.remove_prefix(comma + 1);
  }
}

settings parse_flags(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc || *argv[i + 1] == '\0') throw std::invalid_argument(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      s.help = true;
      return s;
    } else if (flag == "--hidden") s.hidden = parse_sizes(value());
    else if (flag == "--epochs") s.epochs = parse_number<int>(flag, value());
    else if (flag == "--batch") s.batch_size = parse_number<std::size_t>(flag, value());
    else if (flag == "--optimizer") s.optimizer = value();
    else if (flag == "--lr") s.learning_rate = parse_finite(flag, value());
    else if (flag == "--momentum") s.momentum = parse_finite(flag, value());
    else if (flag == "--nesterov") s.nesterov = true;
    else if (flag == "--weight-decay") s.weight_decay = parse_finite(flag, value());
    else if (flag == "--schedule") {
      const std::string_view name = value();
      if (name != "cosine" && name != "constant")
        throw std::invalid_argument("--schedule: '" + std::string(name) + "' is not cosine or constant");
      s.cosine = name == "cosine";
    } else if (flag == "--seed") s.seed = parse_number<std::uint64_t>(flag, value());
    else if (flag == "--train-limit") s.train_limit = parse_number<std::size_t>(flag, value());
    else if (flag == "--data") s.data = fs::path(value());
    else if (flag == "--out") s.out = fs::path(value());
    else if (flag == "--save") s.save = fs::path(value());
    else if (flag == "--load") s.load = fs::path(value());
    else if (flag == "--resume") s.resume = fs::path(value());
    else if (flag == "--no-overlap") s.overlap = false;
    else throw std::invalid_argument("unknown option '" + std::string(flag) + "' (see --help)");
  }
  if (s.epochs < 0) throw std::invalid_argument("--epochs must not be negative");
  if (s.batch_size == 0) throw std::invalid_argument("--batch must be positive");
  if (s.optimizer != "sgd" && s.optimizer != "adam" && s.optimizer != "adamw")
    throw std::invalid_argument("--optimizer: '" + s.optimizer + "' is not sgd, adam or adamw");
  if (s.learning_rate && !(*s.learning_rate > 0)) throw std::invalid_argument("--lr must be positive");
  if (s.momentum && !(*s.momentum >= 0 && *s.momentum < 1))
    throw std::invalid_argument("--momentum must lie in [0, 1)");
  if (s.weight_decay < 0) throw std::invalid_argument("--weight-decay must not be negative");
  if (s.optimizer != "sgd" && (s.momentum || s.nesterov))
    throw std::invalid_argument("--momentum and --nesterov are sgd's; --optimizer " + s.optimizer + " has neither");
  if (s.nesterov && s.momentum == 0.0) throw std::invalid_argument("--nesterov needs a --momentum above 0");
  if (s.load && s.resume)
    throw std::invalid_argument("--load and --resume exclude each other: --resume restores the parameters too");
  return s;
}

std::unique_ptr<janus::optim::optimizer<float>> make_optimizer(const settings& s,
                                                               std::vector<janus::Tensor> parameters) {
  namespace optim = janus::optim;
  if (s.optimizer == "sgd")
    return std::make_unique<optim::sgd<float>>(std::move(parameters),
                                               optim::sgd_options{.learning_rate = s.learning_rate.value_or(0.05),
                                                                  .momentum = s.momentum.value_or(0.9),
                                                                  .nesterov = s.nesterov,
                                                                  .weight_decay = s.weight_decay});
  if (s.optimizer == "adam")
    return std::make_unique<optim::adam<float>>(
        std::move(parameters),
        optim::adam_options{.learning_rate = s.learning_rate.value_or(1e-3), .weight_decay = s.weight_decay});
  return std::make_unique<optim::adamw<float>>(
      std::move(parameters),
      optim::adamw_options{.learning_rate = s.learning_rate.value_or(1e-3), .weight_decay = s.weight_decay});
}

// ---------------------------------------------------------------- processes

// Under mpirun, with janus::distributed, every process trains the whole
// model on its share of each batch and the gradients are averaged
// (janus/distributed.hpp); alone, or built without MPI, one process does
// all. Either way rank 0 prints and writes the files.
#ifdef MNIST_MLP_DISTRIBUTED
class processes {
 public:
  processes(int& argc, char**& argv) : mpi_(argc, argv) {}
  int rank() const { return mpi_.rank(); }
  int size() const { return mpi_.size(); }
  bool root() const { return mpi_.is_root(); }
  /// Sums over the processes, in place.
  void sum(std::span<double> values) const { janus::distributed::sum(values); }
  /// The exit status after an error: 1, alone; one of several processes
  /// ends the whole job, naming itself, as the others may wait for it.
  int fail(std::string_view why) const {
    if (size() > 1) mpi_.abort("mnist_mlp", why);
    std::cerr << "mnist_mlp: " << why << "\n";
    return 1;
  }

 private:
  janus::distributed::environment mpi_;
};

// The model as the training loop runs it: gradients averaged over the
// processes, their all-reduce overlapped with the backward pass.
class trained_model {
 public:
  trained_model(janus::nn::sequential<float>& model, bool overlap)
      : parallel_(model, MPI_COMM_WORLD, {.overlap = overlap}) {}
  janus::Tensor operator()(const janus::Tensor& features) { return parallel_(features); }
  void synchronize() { parallel_.synchronize(); }

 private:
  janus::distributed::data_parallel<float> parallel_;
};
#else
class processes {
 public:
  processes(int&, char**&) {}
  int rank() const { return 0; }
  int size() const { return 1; }
  bool root() const { return true; }
  void sum(std::span<double>) const {}
  int fail(std::string_view why) const {
    std::cerr << "mnist_mlp: " << why << "\n";
    return 1;
  }
};

class trained_model {
 public:
  trained_model(janus::nn::sequential<float>& model, bool) : model_(model) {}
  janus::Tensor operator()(const janus::Tensor& features) { return model_(features); }
  void synchronize() {}

 private:
  janus::nn::sequential<float>& model_;
};
#endif

// ---------------------------------------------------------------- progress

// A bar redrawn in place on a terminal; on a pipe or a file, a plain line
// at each quarter of the epoch, so logs stay readable.
class progress {
 public:
  /// Drawn only when `shown` (on rank 0).
  progress(int epoch, int epochs, std::size_t batches, bool shown)
      : epoch_(epoch), epochs_(epochs), batches_(batches), shown_(shown), terminal_(::isatty(STDOUT_FILENO) != 0),
        start_(clock_type::now()), last_draw_(start_) {}

  void update(std::size_t done, std::size_t images, double mean_loss) {
    if (!shown_) return;
    const auto now = clock_type::now();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double speed = seconds > 0 ? static_cast<double>(images) / seconds : 0.0;
    char line[160];
    if (terminal_) {
      if (done != batches_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
      last_draw_ = now;
      constexpr int width = 30;
      const int filled = static_cast<int>(width * done / batches_);
      std::snprintf(line, sizeof line, "\repoch %d/%d [%s%s] %3d%%  loss %.4f  %6.0f images/s", epoch_, epochs_,
                    std::string(static_cast<std::size_t>(filled), '#').c_str(),
                    std::string(static_cast<std::size_t>(width - filled), '.').c_str(),
                    static_cast<int>(100 * done / batches_), mean_loss, speed);
      std::cout << line << std::flush;
    } else {
      const std::size_t quarter = 4 * done / batches_;
      if (quarter == last_quarter_ || done == batches_) return;
      last_quarter_ = quarter;
      std::snprintf(line, sizeof line, "epoch %d/%d %3d%%  loss %.4f  %.0f images/s\n", epoch_, epochs_,
                    static_cast<int>(100 * done / batches_), mean_loss, speed);
      std::cout << line << std::flush;
    }
  }

  /// Clears the bar so the epoch's summary line takes its place.
  void finish() const {
    if (shown_ && terminal_) std::cout << "\r" << std::string(90, ' ') << "\r";
  }

 private:
  int epoch_, epochs_;
  std::size_t batches_;
  bool shown_, terminal_;
  clock_type::time_point start_, last_draw_;
  std::size_t last_quarter_ = 0;
};

// ---------------------------------------------------------------- evaluation

// Predicted class of every sample, without recording anything.
std::vector<std::int64_t> predict(janus::nn::module<float>& model, const janus::data::labelled_set& set) {
  janus::no_grad guard;
  janus::data::batches<float> in_order(set, 2000, 0);
  std::vector<std::int64_t> predictions;
  predictions.reserve(set.size());
  for (std::size_t b = 0; b < in_order.size(); ++b) {
    const janus::Tensor logits = model(in_order[b].features);
    const std::size_t classes = logits.shape()[1];
    const float* row = logits.data();
    for (std::size_t r = 0; r < logits.shape()[0]; ++r, row += classes)
      predictions.push_back(std::max_element(row, row + classes) - row);
  }
  return predictions;
}

// The percentage of right answers over `set`, each process predicting its
// share of every batch.
double accuracy(janus::nn::module<float>& model, const janus::data::labelled_set& set, const processes& team) {
  janus::no_grad guard;
  janus::data::batches<float> in_order(set, 2000, 0);
  double counts[2] = {0, 0};  // right, all
  for (std::size_t b = 0; b < in_order.size(); ++b) {
    const auto part = in_order.shard(b, static_cast<std::size_t>(team.rank()), static_cast<std::size_t>(team.size()));
    if (part.labels.empty()) continue;
    const janus::Tensor logits = model(part.features);
    const std::size_t classes = logits.shape()[1];
    const float* row = logits.data();
    for (std::size_t r = 0; r < part.labels.size(); ++r, row += classes)
      counts[0] += std::max_element(row, row + classes) - row == part.labels[r];
    counts[1] += static_cast<double>(part.labels.size());
  }
  team.sum(counts);
  return counts[1] == 0 ? 0.0 : 100.0 * counts[0] / counts[1];
}

// ---------------------------------------------------------------- figures

bool gnuplot_available() { return examples::run_program({"gnuplot", "--version"}, true); }

// gnuplot runs in the output folder and the scripts name their files alone,
// so that no path given on the command line ends up inside a gnuplot script.
bool run_gnuplot(const fs::path& script) {
  return examples::run_program({"gnuplot", script.filename().string()}, false, script.parent_path().string());
}

// Loss over training steps and accuracy over epochs, side by side.
bool plot_curves(const fs::path& out, int epochs) {
  const fs::path script = out / "curves.gp";
  std::ofstream gp(script);
  gp << "set terminal pngcairo size 1200,450 font 'sans,11'\n"
     << "set output 'curves.png'\n"
     << "set datafile separator ','\n"
     << "set xrange [0:" << epochs << "]\n"
     << "set key autotitle columnhead\n"
     << "set multiplot layout 1,2 title 'janus: MLP on MNIST'\n"
     << "set title 'training loss'\nset xlabel 'epoch'\nset ylabel 'cross-entropy'\nset logscale y\nset grid\n"
     << "plot 'loss.csv' using 1:2 with lines lc rgb '#8080c0' title 'per 50 steps', \\\n"
     << "     'metrics.csv' using ($1 - 0.5):2 with linespoints lw 2 pt 7 lc rgb '#202080' title 'epoch mean'\n"
     << "unset logscale y\n"
     << "set title 'accuracy'\nset ylabel 'accuracy (%)'\nset key bottom right\n"
     << "plot 'metrics.csv' using 1:3 with linespoints lw 2 pt 7 title 'train', \\\n"
     << "     '' using 1:4 with linespoints lw 2 pt 5 title 'test'\n"
     << "unset multiplot\n";
  gp.close();
  return gp && run_gnuplot(script);
}

// A grid of test digits (examples/digit_grid.hpp), each with its predicted
// label underneath: green when right; red, boxed and with the true label
// when wrong.
bool plot_digits(const fs::path& out, const janus::data::mnist& data, const std::vector<std::int64_t>& predictions) {
  const examples::digit_grid grid = examples::make_digit_grid(data.test, predictions, data.mean, data.stddev);
  std::ofstream matrix(out / "digits.dat");
  for (std::size_t y = 0; y < grid.height; ++y)
    for (std::size_t x = 0; x < grid.width; ++x)
      matrix << grid.pixels[y * grid.width + x] << (x + 1 < grid.width ? ' ' : '\n');
  matrix.close();
  const fs::path script = out / "digits.gp";
  std::ofstream gp(script);
  gp << "set terminal pngcairo size " << grid.width * 3 << "," << grid.height * 3 + 60 << " font 'sans,12'\n"
     << "set output 'digits.png'\n"
     << "set title 'MNIST test digits (the first 64, then the first mistakes) and predicted labels; wrong in red, true label in brackets'\n"
     << "unset key\nunset colorbox\nunset tics\nunset border\n"
     << "set palette gray negative\nset cbrange [0:1]\n"
     << "set xrange [-0.5:" << grid.width - 0.5 << "]\nset yrange [" << grid.height - 0.5 << ":-0.5]\n"
     << "set size ratio -1\nset lmargin 1\nset rmargin 1\nset bmargin 1\n";
  for (std::size_t k = 0; k < grid.shown.size(); ++k) {
    const std::size_t i = grid.shown[k];
    const bool right = predictions[i] == data.test.labels[i];
    gp << "set label " << k + 1 << " '" << predictions[i];
    if (!right) gp << " (" << data.test.labels[i] << ")";
    gp << "' at " << grid.label_x(k) << "," << grid.label_y(k) << " center front font ',13' textcolor rgb '"
       << (right ? "#1a7f1a" : "#d01010") << "'\n";
    if (!right) {
      const double x0 = static_cast<double>(grid.cell_left(k)) + 0.5, y0 = static_cast<double>(grid.cell_top(k)) + 0.5;
      const double x1 = x0 + static_cast<double>(grid.cell_width) - 1, y1 = y0 + static_cast<double>(grid.cell_height) - 1;
      gp << "set object " << k + 1 << " rectangle from " << x0 << "," << y0 << " to " << x1 << "," << y1
         << " front fillstyle empty border rgb '#d01010' lw 2\n";
    }
  }
  gp << "plot 'digits.dat' matrix with image pixels\n";
  gp.close();
  return matrix && gp && run_gnuplot(script);
}

// ---------------------------------------------------------------- outputs

// A file opened for writing, its header line written and flushed at once,
// so that an output that cannot be written stops the program before the
// data is loaded, not after training. A run resumed after `epochs_done`
// epochs keeps the rows an earlier run wrote for them (the first column
// counts epochs), so that the file ends as an uninterrupted run's would.
std::ofstream open_output(const fs::path& file, std::string_view header, std::uint64_t epochs_done) {
  std::vector<std::string> kept;
  if (epochs_done > 0) {
    std::ifstream earlier(file);
    std::string row;
    for (std::getline(earlier, row); std::getline(earlier, row);) {
      double epoch = 0;
      const auto [end, error] = std::from_chars(row.data(), row.data() + row.size(), epoch);
      if (error == std::errc() && epoch <= static_cast<double>(epochs_done)) kept.push_back(row);
    }
  }
  std::ofstream out(file, std::ios::trunc);
  out << header;
  for (const std::string& row : kept) out << row << "\n";
  out << std::flush;
  if (!out) throw std::runtime_error("--out: cannot write " + file.string());
  return out;
}

// An output named by `flag` must be writable before training starts. Opened
// for appending, an existing file keeps its content (a resumed run keeps
// some of it); one made by this check is removed again.
void check_writable(std::string_view flag, const fs::path& file) {
  std::error_code ec;
  const bool existed = fs::exists(file, ec);
  if (existed && !fs::is_regular_file(file, ec))
    throw std::runtime_error(std::string(flag) + ": " + file.string() + " exists and is not a regular file");
  const bool writable = std::ofstream(file, std::ios::app).is_open();
  if (!existed) fs::remove(file, ec);
  if (!writable) throw std::runtime_error(std::string(flag) + ": cannot write " + file.string());
}

// ---------------------------------------------------------------- training

// data/mnist under the working directory, else under the checkout this
// program was built from (where scripts/fetch-mnist.sh puts it).
fs::path default_data_dir() {
  const fs::path here = "data/mnist";
  if (janus::data::has_mnist(here)) return here;
  return fs::path(__FILE__).parent_path().parent_path() / "data" / "mnist";
}

// Where a --resume run continues: the progress its checkpoint holds, which
// must be of a run with this seed and this many batches per epoch.
janus::nn::training_progress resume(const settings& s, janus::nn::module<float>& model,
                                    janus::optim::optimizer<float>& optimizer, std::size_t batches_per_epoch) {
  const janus::nn::training_progress saved = janus::nn::load_training(model, optimizer, *s.resume);
  const std::string file = s.resume->string();
  if (saved.shuffle.seed != s.seed)
    throw std::runtime_error("--resume: " + file + " holds a run with --seed " + std::to_string(saved.shuffle.seed) +
                             ", not " + std::to_string(s.seed));
  if (static_cast<std::uint64_t>(optimizer.steps()) != saved.epochs * batches_per_epoch)
    throw std::runtime_error("--resume: " + file + " holds " + std::to_string(optimizer.steps()) + " steps in " +
                             std::to_string(saved.epochs) + " epochs, not " + std::to_string(batches_per_epoch) +
                             " per epoch as this run takes (another --batch or --train-limit?)");
  if (saved.epochs > static_cast<std::uint64_t>(s.epochs))
    throw std::runtime_error("--resume: " + file + " holds " + std::to_string(saved.epochs) + " epochs, more than --epochs " +
                             std::to_string(s.epochs));
  return saved;
}

int run(const settings& s, const processes& team) {
  // Every path is checked before the data is loaded; the outputs of an
  // earlier run are replaced only when the others are usable. Only rank 0
  // writes, so only rank 0 checks the outputs.
  std::error_code ec, made;
  if (s.load && !fs::is_regular_file(*s.load, ec))
    throw std::runtime_error("--load: " + s.load->string() + " is not a file");
  if (s.resume && !fs::is_regular_file(*s.resume, ec))
    throw std::runtime_error("--resume: " + s.resume->string() + " is not a file");
  const fs::path metrics_file = s.out / "metrics.csv", loss_file = s.out / "loss.csv";
  if (team.root()) {
    if (s.save) check_writable("--save", *s.save);
    fs::create_directories(s.out, made);
    if (!fs::is_directory(s.out, ec))
      throw std::runtime_error("--out: cannot make the folder " + s.out.string() +
                               (made ? " (" + made.message() + ")" : ""));
    check_writable("--out", metrics_file);
    check_writable("--out", loss_file);
  }
  const fs::path where = janus::data::mnist_location(s.data, default_data_dir());

  const auto data_start = clock_type::now();
  janus::data::mnist data = janus::data::load_mnist(where, {.standardise = true, .train_limit = s.train_limit});
  if (team.root())
    std::printf("MNIST from %s: %zu training and %zu test images (%.1f s)\n", where.string().c_str(),
                data.train.size(), data.test.size(),
                std::chrono::duration<double>(clock_type::now() - data_start).count());

  std::vector<std::size_t> sizes = {data.train.feature_count};
  sizes.insert(sizes.end(), s.hidden.begin(), s.hidden.end());
  sizes.push_back(10);
  janus::nn::mlp<float> model(sizes, s.seed);
  auto optimizer = make_optimizer(s, model.parameters());
  const double base_rate = optimizer->learning_rate();
  janus::data::batches<float> loader(data.train, s.batch_size, s.seed);
  // Every process reads the checkpoint itself, so it must be reachable
  // from every node; the data_parallel model then agrees with rank 0.
  janus::nn::training_progress reached{.epochs = 0, .shuffle = loader.position()};
  if (s.load) {
    janus::nn::load_parameters(model, *s.load);
    if (team.root()) std::printf("parameters loaded from %s\n", s.load->string().c_str());
  }
  if (s.resume) {
    reached = resume(s, model, *optimizer, loader.size());
    loader.restore(reached.shuffle);
    if (team.root())
      std::printf("resumed from %s after epoch %llu\n", s.resume->string().c_str(),
                  static_cast<unsigned long long>(reached.epochs));
  }
  trained_model parallel(model, s.overlap);
  std::string architecture;
  for (std::size_t size : sizes) architecture += (architecture.empty() ? "" : "-") + std::to_string(size);
  if (team.root()) {
    std::printf("MLP %s with ReLU, %zu parameters; %s, batch %zu, seed %llu", architecture.c_str(),
                model.parameter_count(), s.optimizer.c_str(), s.batch_size, static_cast<unsigned long long>(s.seed));
    if (team.size() > 1) std::printf("; %d processes, each on its share of every batch", team.size());
    std::printf("\n");
  }

  std::ofstream metrics, loss_log;
  if (team.root()) {
    metrics = open_output(metrics_file, "epoch,train_loss,train_accuracy,test_accuracy,seconds\n", reached.epochs);
    loss_log = open_output(loss_file, "epoch,loss\n", reached.epochs);
  }
  // Every output is attempted; any that could not be written makes the exit status 1.
  std::vector<std::string> unwritten;
  const auto save_checkpoint = [&] {
    if (!s.save || !team.root()) return;
    try {
      janus::nn::save_training(model, *optimizer, reached, *s.save);
    } catch (const janus::data::data_error&) {
      if (std::find(unwritten.begin(), unwritten.end(), s.save->string()) == unwritten.end())
        unwritten.push_back(s.save->string());
    }
  };

  // Cosine annealing: large steps early, small ones to settle at the end.
  const double total_steps = static_cast<double>(loader.size()) * s.epochs;
  long step = optimizer->steps();
  const auto rank = static_cast<std::size_t>(team.rank()), ranks = static_cast<std::size_t>(team.size());
  // With nothing left to train (--epochs 0, or a finished run resumed) the
  // model is only evaluated, and --save still writes it.
  const bool trains = reached.epochs < static_cast<std::uint64_t>(s.epochs);
  double test_accuracy = 0;
  if (!trains) {
    test_accuracy = accuracy(model, data.test, team);
    if (team.root()) std::printf("test accuracy %.2f%%\n", test_accuracy);
    save_checkpoint();
  }

  const auto training_start = clock_type::now();
  for (int epoch = static_cast<int>(reached.epochs) + 1; epoch <= s.epochs; ++epoch) {
    const auto epoch_start = clock_type::now();
    loader.shuffle();
    progress bar(epoch, s.epochs, loader.size(), team.root());
    double loss_sum = 0.0, window_sum = 0.0;
    std::size_t seen = 0, window_steps = 0;
    for (std::size_t b = 0; b < loader.size(); ++b) {
      const auto batch = loader.shard(b, rank, ranks);
      if (s.cosine)
        optimizer->set_learning_rate(base_rate * 0.5 *
                                     (1 + std::cos(std::numbers::pi * static_cast<double>(step) / total_steps)));
      ++step;
      optimizer->zero_grad();
      // This process's rows: their mean loss, and the sum over them for the metrics.
      double step_loss[2] = {0, static_cast<double>(batch.labels.size())};
      if (!batch.labels.empty()) {
        janus::Tensor loss = janus::nn::cross_entropy(parallel(batch.features), std::span<const std::int64_t>(batch.labels));
        const double value = loss.item();
        // Past a NaN or an infinity every later step is nonsense; stop and say so.
        if (!std::isfinite(value)) {
          bar.finish();
          char why[200];
          std::snprintf(why, sizeof why,
                        "the training loss became %s at epoch %d, step %ld, at learning rate %g; try a smaller --lr",
                        std::isnan(value) ? "NaN" : "infinite", epoch, step, optimizer->learning_rate());
          throw std::runtime_error(why);
        }
        loss.backward();
        step_loss[0] = value * step_loss[1];
      }
      parallel.synchronize();
      optimizer->step();
      team.sum(step_loss);
      loss_sum += step_loss[0];
      seen += static_cast<std::size_t>(step_loss[1]);
      window_sum += step_loss[0] / step_loss[1];
      if (++window_steps == 50) {
        if (team.root())
          loss_log << epoch - 1 + static_cast<double>(b + 1) / static_cast<double>(loader.size()) << ","
                   << window_sum / 50 << "\n";
        window_sum = 0.0;
        window_steps = 0;
      }
      bar.update(b + 1, seen, loss_sum / static_cast<double>(seen));
    }
    bar.finish();
    const double train_loss = loss_sum / static_cast<double>(seen);
    const double seconds = std::chrono::duration<double>(clock_type::now() - epoch_start).count();
    const double train_accuracy = accuracy(model, data.train, team);
    test_accuracy = accuracy(model, data.test, team);
    reached = {.epochs = static_cast<std::uint64_t>(epoch), .shuffle = loader.position()};
    if (team.root()) {
      std::printf("epoch %2d  loss %.4f  train %.2f%%  test %.2f%%  %.1f s\n", epoch, train_loss, train_accuracy,
                  test_accuracy, seconds);
      std::fflush(stdout);
      metrics << epoch << "," << train_loss << "," << train_accuracy << "," << test_accuracy << "," << seconds << "\n"
              << std::flush;
      loss_log << std::flush;
    }
    // After the logs are on disk: a run killed in between repeats this epoch and writes its rows again.
    save_checkpoint();
  }
  if (!team.root()) return 0;
  if (trains)
    std::printf("trained in %.1f s; test accuracy %.2f%%\n",
                std::chrono::duration<double>(clock_type::now() - training_start).count(), test_accuracy);

  metrics.close();
  if (metrics) std::printf("metrics in %s\n", metrics_file.string().c_str());
  else unwritten.push_back(metrics_file.string());
  loss_log.close();
  if (!loss_log) unwritten.push_back(loss_file.string());
  if (s.save && std::find(unwritten.begin(), unwritten.end(), s.save->string()) == unwritten.end())
    std::printf("checkpoint in %s\n", s.save->string().c_str());
  if (!gnuplot_available()) {
    std::printf("gnuplot is not on PATH: no plots\n");
  } else {
    if (s.epochs > 0) {
      if (plot_curves(s.out, s.epochs)) std::printf("plot in %s\n", (s.out / "curves.png").string().c_str());
      else unwritten.push_back((s.out / "curves.png").string());
    }
    if (plot_digits(s.out, data, predict(model, data.test)))
      std::printf("digits in %s\n", (s.out / "digits.png").string().c_str());
    else unwritten.push_back((s.out / "digits.png").string());
  }
  for (const std::string& file : unwritten) std::fprintf(stderr, "mnist_mlp: %s could not be written\n", file.c_str());
  return unwritten.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  processes team(argc, argv);
  settings s;
  try {
    s = parse_flags(argc, argv);
  } catch (const std::exception& error) {
    // Every process reads the same flags and stops alike; one message is enough.
    if (team.root()) std::cerr << "mnist_mlp: " << error.what() << "\n";
    return 1;
  }
  if (s.help) {
    if (team.root()) std::cout << usage;
    return 0;
  }
  try {
    return run(s, team);
  } catch (const std::exception& error) {
    return team.fail(error.what());
  }
}
