// janus/data/locate.hpp: mnist_location, where a program looks for MNIST:
// a folder given on the command line, else $JANUS_MNIST, else data/mnist.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "janus/data/error.hpp"
#include "janus/data/mnist.hpp"

namespace janus::data {

/// The folder to read MNIST from. The first place that is *named* wins (a
/// flag, then the environment), so a typo in either is reported rather than
/// silently replaced by another copy of the data.
inline std::filesystem::path mnist_location(const std::optional<std::filesystem::path>& flag,
                                            const std::filesystem::path& fallback = "data/mnist") {
  std::filesystem::path dir;
  std::string source;
  if (flag && !flag->empty()) {
    dir = *flag;
    source = "--data";
  } else if (const char* env = std::getenv("JANUS_MNIST"); env != nullptr && *env != '\0') {
    dir = env;
    source = "JANUS_MNIST";
  } else {
    dir = fallback;
    source = "the default location";
  }
  if (!has_mnist(dir))
    throw data_error(dir.string(), "(from " + source +
                                       ") does not hold the four MNIST files; run scripts/fetch-mnist.sh to fetch "
                                       "them into data/mnist, or name their folder with --data DIR or JANUS_MNIST");
  return dir;
}

}  // namespace janus::data
