// tests/fuzz/memory_file.hpp: memory_file, a file held in memory (memfd)
// that a fuzz target refills with each input, so that the readers under
// test open a real path, as they do in use, without writing to a disk.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace janus::fuzz {

class memory_file {
 public:
  memory_file() : descriptor_(memfd_create("janus-fuzz", 0)) {
    if (descriptor_ < 0) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(descriptor_);
  }
  ~memory_file() { ::close(descriptor_); }
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;

  /// Replaces the content with `size` bytes; returns the path that opens it.
  const std::filesystem::path& hold(const std::uint8_t* data, std::size_t size) {
    if (::ftruncate(descriptor_, 0) != 0) std::abort();
    for (std::size_t done = 0; done < size;) {
      const ssize_t wrote = ::pwrite(descriptor_, data + done, size - done, static_cast<off_t>(done));
      if (wrote <= 0) std::abort();
      done += static_cast<std::size_t>(wrote);
    }
    return path_;
  }

 private:
  int descriptor_;
  std::filesystem::path path_;
};

/// Stops the run with a message: libFuzzer records the input as a finding.
[[noreturn]] inline void violated(const char* what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

}  // namespace janus::fuzz
