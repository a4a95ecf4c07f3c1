// janus/data/error.hpp: data_error, the exception for a data file that is
// missing, damaged or not what the reader expects.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace janus::data {

/// Says which file is wrong, where (a byte offset, when one helps) and how:
/// "train-images-idx3-ubyte: byte 16: truncated: ...". The offset counts
/// bytes of the decompressed content for a gzip file.
class data_error : public std::runtime_error {
 public:
  data_error(std::string file, std::string problem, std::optional<std::uint64_t> offset = std::nullopt)
      : std::runtime_error(compose(file, problem, offset)),
        file_(std::move(file)),
        problem_(std::move(problem)),
        offset_(offset) {}

  const std::string& file() const noexcept { return file_; }
  const std::string& problem() const noexcept { return problem_; }
  std::optional<std::uint64_t> offset() const noexcept { return offset_; }

 private:
  static std::string compose(const std::string& file, const std::string& problem,
                             std::optional<std::uint64_t> offset) {
    std::string message = file + ": ";
    if (offset) message += "byte " + std::to_string(*offset) + ": ";
    return message + problem;
  }

  std::string file_;
  std::string problem_;
  std::optional<std::uint64_t> offset_;
};

}  // namespace janus::data
