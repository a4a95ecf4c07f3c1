// janus/nn/checkpoint.hpp: checkpoints in a small binary file that says
// which model it belongs to and detects damage: save and load, a module's
// parameters; save_training and load_training, a training run to resume
// (the parameters, the optimiser's state and how far the run has got).
//
// Layout, all integers little-endian:
//   "JANUSNN\0"                    8 bytes, the magic
//   version (u32): 1 parameters (save), 2 a training checkpoint (save_training);
//   element size in bytes (u32: 4 float, 8 double), parameter count (u32)
//   per parameter: name length (u32), name, rank (u32), sizes (u64 each)
//   version 2 only: epochs completed (u64), shuffle seed (u64), shuffles
//     drawn (u64), optimiser steps (u64), learning rate (f64), state kind
//     count (u32), per kind: name length (u32), name
//   the values of every parameter in that order, IEEE little-endian;
//     version 2: then per state kind, a buffer of each parameter's size
//   CRC-32 (zlib's) of every byte before it (u32)
// Every reader refuses a file whose checksum, names or shapes do not match
// the module (and the optimiser), or that holds a NaN or infinite value,
// before it changes a single value.
#pragma once

#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "janus/data/batches.hpp"
#include "janus/data/error.hpp"
#include "janus/nn/module.hpp"
#include "janus/optim/optimizer.hpp"

namespace janus::nn {

/// How far a training run has got, beside its parameters and optimiser
/// state: what a resumed run needs to take the very steps it would have.
struct training_progress {
  std::uint64_t epochs = 0;          // epochs completed
  data::shuffle_position shuffle;    // of the training batches
};

namespace detail {

inline constexpr char checkpoint_magic[8] = {'J', 'A', 'N', 'U', 'S', 'N', 'N', '\0'};
inline constexpr std::uint32_t parameters_version = 1;
inline constexpr std::uint32_t training_version = 2;

inline void put_le(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

/// Reads a checkpoint's bytes front to back; every read checks the length,
/// so a short file is an error naming the offset, never a read past the end.
class checkpoint_reader {
 public:
  checkpoint_reader(const std::vector<std::uint8_t>& bytes, std::size_t end, std::string file)
      : bytes_(bytes), end_(end), file_(std::move(file)) {}

  std::uint64_t le(int count, const char* what) {
    need(static_cast<std::size_t>(count), what);
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i) value |= std::uint64_t{bytes_[offset_ + static_cast<std::size_t>(i)]} << (8 * i);
    offset_ += static_cast<std::size_t>(count);
    return value;
  }

  std::string text(std::size_t count, const char* what) {
    need(count, what);
    std::string value(reinterpret_cast<const char*>(bytes_.data() + offset_), count);
    offset_ += count;
    return value;
  }

  void need(std::size_t count, const char* what) const {
    if (end_ - offset_ < count)
      throw janus::data::data_error(file_, std::string("truncated: the file ends inside ") + what, offset_);
  }

  [[noreturn]] void fail(const std::string& what, std::size_t at) const { throw janus::data::data_error(file_, what, at); }

  std::size_t offset() const noexcept { return offset_; }
  std::size_t end() const noexcept { return end_; }

 private:
  const std::vector<std::uint8_t>& bytes_;
  std::size_t end_;
  std::string file_;
  std::size_t offset_ = 0;
};

/// The whole file. A path that is not a regular file (a directory, say) is
/// refused by name here; the stream would otherwise throw a failure that
/// names neither the file nor the problem.
inline std::vector<std::uint8_t> read_checkpoint_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw janus::data::data_error(name, "cannot be opened: no such file");
  if (std::filesystem::is_directory(file, ec))
    throw janus::data::data_error(name, "cannot be opened: a directory, not a checkpoint file");
  if (!std::filesystem::is_regular_file(file, ec))
    throw janus::data::data_error(name, "cannot be opened: not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw janus::data::data_error(name, "cannot be opened");
  try {
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  } catch (const std::ios_base::failure& error) {
    throw janus::data::data_error(name, std::string("cannot be read (") + error.what() + ")");
  }
}

/// Refuses a value that is NaN or infinite: the parameters of a training
/// run that diverged would otherwise load as if trained, and turn every
/// later result into NaN. `at` is the offset of the first value in `bytes`;
/// `what` names the values ("parameter '0.weight'").
/// With `non_negative`, a negative value is refused too (an optimiser state
/// such as Adam's mean of squares, whose square root the next step takes).
template <class T>
void check_finite(const std::string& what, std::size_t count, const std::vector<std::uint8_t>& bytes, std::size_t at,
                  const std::string& file, bool non_negative = false) {
  for (std::size_t i = 0; i < count; ++i, at += sizeof(T)) {
    T value;
    std::memcpy(&value, bytes.data() + at, sizeof(T));
    if (!std::isfinite(value))
      throw janus::data::data_error(file, what + " holds " + (std::isnan(value) ? "NaN" : "an infinite value") +
                                              " at index " + std::to_string(i), at);
    if (non_negative && value < 0)
      throw janus::data::data_error(file, what + " holds the negative value " + std::to_string(value) +
                                              " at index " + std::to_string(i) + ", which it never is", at);
  }
}

/// The first part of every checkpoint: magic, version, element size and
/// each parameter's name and shape.
template <class T>
std::vector<std::uint8_t> checkpoint_header(std::uint32_t version, const std::vector<named_parameter<T>>& parameters) {
  static_assert(std::endian::native == std::endian::little, "janus checkpoints are written on little-endian machines");
  std::vector<std::uint8_t> bytes(std::begin(checkpoint_magic), std::end(checkpoint_magic));
  put_le(bytes, version, 4);
  put_le(bytes, sizeof(T), 4);
  put_le(bytes, parameters.size(), 4);
  for (const auto& [name, tensor] : parameters) {
    put_le(bytes, name.size(), 4);
    bytes.insert(bytes.end(), name.begin(), name.end());
    put_le(bytes, tensor.shape().size(), 4);
    for (std::size_t size : tensor.shape()) put_le(bytes, size, 8);
  }
  return bytes;
}

template <class T>
void put_values(std::vector<std::uint8_t>& bytes, const T* values, std::size_t count) {
  const auto* first = reinterpret_cast<const std::uint8_t*>(values);
  bytes.insert(bytes.end(), first, first + count * sizeof(T));
}

/// Appends the checksum and writes the file.
inline void write_checkpoint(std::vector<std::uint8_t>& bytes, const std::filesystem::path& file) {
  put_le(bytes, crc32(0L, bytes.data(), static_cast<uInt>(bytes.size())), 4);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw janus::data::data_error(file.string(), "cannot be written");
}

/// Where save_training() writes before renaming the file into place.
inline std::filesystem::path partial_path(const std::filesystem::path& file) {
  return file.string() + ".partial";
}

/// A checkpoint file read whole, its magic number and checksum verified;
/// `version` is set to its version, which `refuse_version(version, reader)`
/// throws for when the caller does not read it.
template <class RefuseVersion>
std::vector<std::uint8_t> open_checkpoint(const std::filesystem::path& file, std::uint32_t& version,
                                          RefuseVersion refuse_version) {
  const std::string name = file.string();
  std::vector<std::uint8_t> bytes = read_checkpoint_file(file);
  if (bytes.size() < sizeof checkpoint_magic ||
      std::memcmp(bytes.data(), checkpoint_magic, sizeof checkpoint_magic) != 0)
    throw janus::data::data_error(name, "not a janus checkpoint (wrong magic number)", 0);
  if (bytes.size() < sizeof checkpoint_magic + 4)
    throw janus::data::data_error(name, "truncated: too short for a checkpoint", bytes.size());
  const std::size_t body = bytes.size() - 4;
  std::uint32_t stored_crc = 0;
  for (int i = 0; i < 4; ++i) stored_crc |= std::uint32_t{bytes[body + static_cast<std::size_t>(i)]} << (8 * i);
  if (crc32(0L, bytes.data(), static_cast<uInt>(body)) != stored_crc)
    throw janus::data::data_error(name, "damaged: the checksum does not match the content", body);
  checkpoint_reader reader(bytes, body, name);
  reader.text(sizeof checkpoint_magic, "the magic number");
  version = static_cast<std::uint32_t>(reader.le(4, "the version"));
  refuse_version(version, reader);
  return bytes;
}

/// What a training checkpoint holds beside the parameters.
struct training_record {
  training_progress progress;
  std::uint64_t steps = 0;
  double learning_rate = 0;
  std::vector<std::string> state_kinds;
};

/// Reads a checkpoint of version 1 or 2 (`version`) after its version
/// field, checking it against `model` and, when given, `optimizer`; then,
/// and only when every check has passed, writes the values into them.
/// Returns what a training checkpoint holds beside the parameters.
template <class T>
training_record read_checkpoint(const std::vector<std::uint8_t>& bytes, std::uint32_t version, module<T>& model,
                                optim::optimizer<T>* optimizer, const std::string& name) {
  checkpoint_reader reader(bytes, bytes.size() - 4, name);
  reader.text(sizeof checkpoint_magic + 4, "the version");
  const auto element = reader.le(4, "the element size");
  if (element != sizeof(T))
    reader.fail("holds " + std::to_string(element) + "-byte values, the model has " + std::to_string(sizeof(T)) +
                    "-byte values", reader.offset() - 4);

  auto parameters = model.named_parameters();
  const auto count = reader.le(4, "the parameter count");
  if (count != parameters.size())
    reader.fail("holds " + std::to_string(count) + " parameters, the model has " + std::to_string(parameters.size()),
                reader.offset() - 4);
  for (const auto& [expected_name, tensor] : parameters) {
    const std::size_t at = reader.offset();
    const auto length = reader.le(4, "a parameter name");
    const std::string stored_name = reader.text(length, "a parameter name");
    const auto rank = reader.le(4, "a parameter rank");
    shape_type shape;
    for (std::uint64_t axis = 0; axis < rank; ++axis) shape.push_back(reader.le(8, "a parameter shape"));
    if (stored_name != expected_name || shape != tensor.shape())
      reader.fail("holds parameter '" + stored_name + "' of shape " + to_string(shape) + " where the model has '" +
                      expected_name + "' of shape " + to_string(tensor.shape()) + ": a checkpoint of another model",
                  at);
  }

  training_record record;
  if (version == training_version) {
    record.progress.epochs = reader.le(8, "the epoch count");
    record.progress.shuffle.seed = reader.le(8, "the shuffle seed");
    record.progress.shuffle.shuffles = reader.le(8, "the shuffle count");
    const std::size_t steps_at = reader.offset();
    record.steps = reader.le(8, "the step count");
    if (record.steps > static_cast<std::uint64_t>(std::numeric_limits<long>::max()))
      reader.fail("holds " + std::to_string(record.steps) + " optimiser steps, more than a count can hold", steps_at);
    const std::size_t rate_at = reader.offset();
    record.learning_rate = std::bit_cast<double>(reader.le(8, "the learning rate"));
    if (!(record.learning_rate > 0) || !std::isfinite(record.learning_rate))
      reader.fail("holds the learning rate " + std::to_string(record.learning_rate) + ", not a positive number",
                  rate_at);
    const std::size_t kinds_at = reader.offset();
    const auto kinds = reader.le(4, "the state kind count");
    for (std::uint64_t k = 0; k < kinds; ++k) {
      const auto length = reader.le(4, "a state kind");
      record.state_kinds.push_back(reader.text(length, "a state kind"));
    }
    if (optimizer != nullptr) {
      std::vector<std::string> expected;
      for (const auto& state : optimizer->state()) expected.push_back(state.kind);
      if (record.state_kinds != expected) {
        const auto list = [](const std::vector<std::string>& names) {
          std::string text;
          for (const auto& kind : names) text += (text.empty() ? "'" : ", '") + kind + "'";
          return text.empty() ? std::string("none") : text;
        };
        reader.fail("holds optimiser state " + list(record.state_kinds) + " where the optimiser keeps " +
                        list(expected) + ": a checkpoint of another optimiser", kinds_at);
      }
    }
  }

  std::size_t parameter_bytes = 0;
  for (const auto& named : parameters) parameter_bytes += named.tensor.numel() * sizeof(T);
  // Each state kind holds one buffer of each parameter's size; divided
  // rather than multiplied, so that a forged kind count cannot overflow.
  const std::size_t kinds = record.state_kinds.size();
  const std::size_t remaining = reader.end() - reader.offset();
  if (parameter_bytes != 0 && remaining / parameter_bytes < kinds + 1)
    reader.need(remaining + 1, kinds == 0 ? "the parameter values" : "the parameter values and optimiser state");
  const std::size_t values_bytes = parameter_bytes * (kinds + 1);
  if (remaining != values_bytes)
    reader.fail(std::to_string(remaining - values_bytes) + " unexpected bytes after the values",
                reader.offset() + values_bytes);
  std::size_t at = reader.offset();
  for (const auto& named : parameters) {
    check_finite<T>("parameter '" + named.name + "'", named.tensor.numel(), bytes, at, name);
    at += named.tensor.numel() * sizeof(T);
  }
  for (std::size_t kind = 0; kind < kinds; ++kind) {
    // The kinds equal the optimiser's here (checked above).
    const bool non_negative = optimizer != nullptr && optimizer->state()[kind].non_negative;
    for (const auto& named : parameters) {
      check_finite<T>("optimiser state '" + record.state_kinds[kind] + "' of '" + named.name + "'",
                      named.tensor.numel(), bytes, at, name, non_negative);
      at += named.tensor.numel() * sizeof(T);
    }
  }

  at = reader.offset();
  for (auto& named : parameters) {
    const std::size_t size = named.tensor.numel() * sizeof(T);
    std::memcpy(named.tensor.data(), bytes.data() + at, size);
    at += size;
  }
  if (optimizer != nullptr) {
    for (std::size_t kind = 0; kind < kinds; ++kind)
      for (std::size_t p = 0; p < parameters.size(); ++p) {
        const std::span<T> buffer = optimizer->state_values(kind, p);
        std::memcpy(buffer.data(), bytes.data() + at, buffer.size_bytes());
        at += buffer.size_bytes();
      }
    optimizer->set_steps(static_cast<long>(record.steps));
    optimizer->set_learning_rate(record.learning_rate);
  }
  return record;
}

/// An optimiser checkpointed with a model must update that model's
/// parameters in the order of parameters(): the file stores its state in
/// that order.
template <class T>
void check_optimizes(const module<T>& model, const optim::optimizer<T>& optimizer, const char* function) {
  const auto parameters = model.parameters();
  const auto& updated = optimizer.parameters();
  bool same = parameters.size() == updated.size();
  for (std::size_t i = 0; same && i < parameters.size(); ++i)
    same = parameters[i].handle().get() == updated[i].handle().get();
  if (!same)
    throw std::invalid_argument(std::string("janus::nn::") + function +
                                ": the optimiser must update the model's parameters, in the order of parameters()");
}

}  // namespace detail

/// Writes every parameter of `model` to `file` (replacing it).
template <class T>
void save(const module<T>& model, const std::filesystem::path& file) {
  const auto parameters = model.named_parameters();
  std::vector<std::uint8_t> bytes = detail::checkpoint_header(detail::parameters_version, parameters);
  for (const auto& named : parameters) detail::put_values(bytes, named.tensor.data(), named.tensor.numel());
  detail::write_checkpoint(bytes, file);
}

/// Reads parameters saved by save() into `model`, which must have the same
/// parameter names, shapes and element type.
template <class T>
void load(module<T>& model, const std::filesystem::path& file) {
  std::uint32_t version = 0;
  const auto bytes = detail::open_checkpoint(file, version, [](std::uint32_t found, detail::checkpoint_reader& reader) {
    if (found == detail::parameters_version) return;
    reader.fail("version " + std::to_string(found) + ", this janus reads version " +
                    std::to_string(detail::parameters_version) + " with load()" +
                    (found == detail::training_version
                         ? ": version 2 is a training checkpoint; read it with janus::nn::load_training, or its "
                           "parameters alone with janus::nn::load_parameters"
                         : ""),
                reader.offset() - 4);
  });
  detail::read_checkpoint<T>(bytes, version, model, nullptr, file.string());
}

/// Reads the parameters of either kind of checkpoint, one of save() or one
/// of save_training(), into `model`: to evaluate or fine-tune a trained model.
template <class T>
void load_parameters(module<T>& model, const std::filesystem::path& file) {
  std::uint32_t version = 0;
  const auto bytes = detail::open_checkpoint(file, version, [](std::uint32_t found, detail::checkpoint_reader& reader) {
    if (found != detail::parameters_version && found != detail::training_version)
      reader.fail("version " + std::to_string(found) + ", this janus reads versions 1 and 2", reader.offset() - 4);
  });
  detail::read_checkpoint<T>(bytes, version, model, nullptr, file.string());
}

/// Writes a training checkpoint: the parameters of `model`, the state of
/// `optimizer` (which updates them) and `progress`. The file is written
/// beside `file` (as FILE.partial) and then renamed over it, so that a
/// process killed while writing leaves the previous checkpoint whole.
template <class T>
void save_training(const module<T>& model, const optim::optimizer<T>& optimizer, const training_progress& progress,
                   const std::filesystem::path& file) {
  detail::check_optimizes(model, optimizer, "save_training");
  const auto parameters = model.named_parameters();
  std::vector<std::uint8_t> bytes = detail::checkpoint_header(detail::training_version, parameters);
  detail::put_le(bytes, progress.epochs, 8);
  detail::put_le(bytes, progress.shuffle.seed, 8);
  detail::put_le(bytes, progress.shuffle.shuffles, 8);
  detail::put_le(bytes, static_cast<std::uint64_t>(optimizer.steps()), 8);
  detail::put_le(bytes, std::bit_cast<std::uint64_t>(optimizer.learning_rate()), 8);
  detail::put_le(bytes, optimizer.state().size(), 4);
  for (const auto& state : optimizer.state()) {
    detail::put_le(bytes, state.kind.size(), 4);
    bytes.insert(bytes.end(), state.kind.begin(), state.kind.end());
  }
  for (const auto& named : parameters) detail::put_values(bytes, named.tensor.data(), named.tensor.numel());
  for (const auto& state : optimizer.state())
    for (const auto& buffer : state.buffers) detail::put_values(bytes, buffer.data(), buffer.size());
  const std::filesystem::path partial = detail::partial_path(file);
  detail::write_checkpoint(bytes, partial);
  std::error_code ec;
  std::filesystem::rename(partial, file, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    throw janus::data::data_error(file.string(), "cannot be written (the rename from " + partial.string() +
                                                     " failed: " + ec.message() + ")");
  }
}

/// Reads a checkpoint written by save_training() into `model` and
/// `optimizer` (parameters, state, step count and learning rate) and
/// returns the run's progress, from which it continues. The optimiser must
/// be of the kind that wrote it and update the model's parameters.
template <class T>
training_progress load_training(module<T>& model, optim::optimizer<T>& optimizer, const std::filesystem::path& file) {
  detail::check_optimizes(model, optimizer, "load_training");
  std::uint32_t version = 0;
  const auto bytes = detail::open_checkpoint(file, version, [](std::uint32_t found, detail::checkpoint_reader& reader) {
    if (found == detail::training_version) return;
    reader.fail("version " + std::to_string(found) + ", this janus reads version " +
                    std::to_string(detail::training_version) + " with load_training()" +
                    (found == detail::parameters_version
                         ? ": version 1 holds parameters alone, no optimiser state or progress to resume from; read "
                           "it with janus::nn::load"
                         : ""),
                reader.offset() - 4);
  });
  return detail::read_checkpoint<T>(bytes, version, model, &optimizer, file.string()).progress;
}

}  // namespace janus::nn
