// Hostile data files: a gzip file that inflates far past what its header
// declares, sets of no images, images of no or of billions of pixels, and
// a batch size at the top of size_t. Each is refused with a data_error that
// names the file and the problem, or (the batch size) handled exactly.
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "idx_files.hpp"
#include "janus/data/batches.hpp"
#include "janus/data/idx.hpp"
#include "janus/data/mnist.hpp"

using namespace janus::data;
using janus::data::testing::gzip_bytes;
using janus::data::testing::idx_bytes;
using janus::data::testing::scratch_dir;

namespace {

// The process's peak resident memory so far, in bytes.
std::size_t peak_memory() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

// A folder of the four MNIST files, the images of the given shapes (every
// pixel 7) and as many labels (all 3) as each image file's first dimension.
void write_mnist(const scratch_dir& dir, const std::vector<std::uint32_t>& train,
                 const std::vector<std::uint32_t>& test) {
  auto images = [](const std::vector<std::uint32_t>& shape) {
    return idx_bytes(shape, std::vector<std::uint8_t>(std::size_t{shape[0]} * shape[1] * shape[2], 7));
  };
  dir.write("train-images-idx3-ubyte", images(train));
  dir.write("train-labels-idx1-ubyte", idx_bytes({train[0]}, std::vector<std::uint8_t>(train[0], 3)));
  dir.write("t10k-images-idx3-ubyte", images(test));
  dir.write("t10k-labels-idx1-ubyte", idx_bytes({test[0]}, std::vector<std::uint8_t>(test[0], 3)));
}

// A predicate for BOOST_CHECK_EXCEPTION: the error names `file` and its
// message holds `fragment`.
auto names(const std::filesystem::path& file, const std::string& fragment) {
  return [=](const data_error& error) {
    BOOST_TEST_MESSAGE(error.what());
    return error.file() == file.string() && std::string(error.what()).find(fragment) != std::string::npos;
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(stops_inflating_a_gzip_file_at_its_declared_size) {
  scratch_dir dir;
  // A header promising 4 bytes, then a GiB of zeros: one member with the
  // IDX content, then 64 members of 16 MiB of zeros each (about 1 MB on disk).
  std::vector<std::uint8_t> file_bytes = gzip_bytes(idx_bytes({4}, {1, 2, 3, 4}));
  const std::vector<std::uint8_t> zeros = gzip_bytes(std::vector<std::uint8_t>(16u << 20));
  for (int i = 0; i < 64; ++i) file_bytes.insert(file_bytes.end(), zeros.begin(), zeros.end());
  const auto file = dir.write("bomb.gz", file_bytes);

  const std::size_t before = peak_memory();
  BOOST_CHECK_EXCEPTION(read_idx(file), data_error, [&](const data_error& error) {
    BOOST_TEST_MESSAGE(error.what());
    return error.file() == file.string() && error.offset() == std::optional<std::uint64_t>(8 + 4) &&
           std::string(error.what()).find("unexpected bytes after the 4 bytes of data") != std::string::npos;
  });
  // Inflating the whole stream would take over a GiB; reading what the
  // header promises and one byte more takes zlib's buffers.
  BOOST_TEST(peak_memory() - before < (64u << 20), "peak memory grew by " << (peak_memory() - before) << " bytes");
}

BOOST_AUTO_TEST_CASE(reads_no_more_than_the_file_holds_whatever_the_header_promises) {
  scratch_dir dir;
  auto bytes = idx_bytes({60000, 28, 28}, std::vector<std::uint8_t>(100, 1));
  const auto file = dir.write_gzip("short.gz", bytes);
  const std::size_t before = peak_memory();
  BOOST_CHECK_EXCEPTION(read_idx(file), data_error, names(file, "promises 47040000 bytes of data, the file holds 100"));
  BOOST_TEST(peak_memory() - before < (16u << 20), "peak memory grew by " << (peak_memory() - before) << " bytes");
}

BOOST_AUTO_TEST_CASE(refuses_trailing_bytes_in_a_gzip_file) {
  scratch_dir dir;
  auto bytes = idx_bytes({3}, {1, 2, 3});
  bytes.push_back(4);
  const auto file = dir.write_gzip("long.gz", bytes);
  BOOST_CHECK_EXCEPTION(read_idx(file), data_error, [&](const data_error& error) {
    return error.offset() == std::optional<std::uint64_t>(8 + 3) && names(file, "unexpected bytes")(error);
  });
}

BOOST_AUTO_TEST_CASE(refuses_a_set_of_no_images) {
  scratch_dir dir;
  write_mnist(dir, {0, 28, 28}, {5, 28, 28});
  const auto train_images = dir.path() / "train-images-idx3-ubyte", test_images = dir.path() / "t10k-images-idx3-ubyte";
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, names(train_images, "holds no images"));
  write_mnist(dir, {5, 28, 28}, {0, 28, 28});
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, names(test_images, "holds no images"));
}

BOOST_AUTO_TEST_CASE(refuses_images_of_no_pixels) {
  scratch_dir dir;
  write_mnist(dir, {5, 0, 28}, {5, 0, 28});
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error,
                        names(dir.path() / "train-images-idx3-ubyte", "images of 0x28 pixels"));
}

BOOST_AUTO_TEST_CASE(refuses_images_too_large_from_the_header_alone) {
  scratch_dir dir;
  write_mnist(dir, {5, 28, 28}, {5, 28, 28});
  // A header of one 65535x65535 image (4 GiB of pixels, 16 GiB as floats),
  // followed by only a few: the size is refused before any data is read.
  const auto images =
      dir.write("train-images-idx3-ubyte", idx_bytes({1, 65535, 65535}, std::vector<std::uint8_t>(10, 1)));
  dir.write("train-labels-idx1-ubyte", idx_bytes({1}, {3}));
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, [&](const data_error& error) {
    return error.offset() == std::optional<std::uint64_t>(8) && names(images, "images of 65535x65535 pixels")(error);
  });
  // The largest accepted: a million pixels.
  write_mnist(dir, {1, 1024, 1024}, {1, 1024, 1024});
  BOOST_TEST(load_mnist(dir.path()).train.feature_count == max_image_pixels);
  write_mnist(dir, {1, 1025, 1024}, {1, 1025, 1024});
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, names(dir.path() / "train-images-idx3-ubyte", "1025x1024"));
}

BOOST_AUTO_TEST_CASE(checks_the_headers_agree_before_reading_the_data) {
  scratch_dir dir;
  write_mnist(dir, {5, 28, 28}, {5, 28, 28});
  // The labels disagree with the images, whose data is cut short: the
  // disagreement, which the headers show, is what is reported.
  auto images = idx_bytes({5, 28, 28}, std::vector<std::uint8_t>(100, 1));
  dir.write("t10k-images-idx3-ubyte", images);
  const auto labels = dir.write("t10k-labels-idx1-ubyte", idx_bytes({4}, {1, 2, 3, 4}));
  BOOST_CHECK_EXCEPTION(load_mnist(dir.path()), data_error, names(labels, "holds 4 labels but"));
}

BOOST_AUTO_TEST_CASE(counts_the_batches_of_the_largest_batch_size) {
  labelled_set set;
  set.feature_count = 2;
  set.sample_shape = {2};
  set.features = {1, 2, 3, 4, 5, 6};
  set.labels = {0, 1, 2};
  for (const std::size_t size : {std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::size_t>::max() - 1,
                                 std::size_t{3}, std::size_t{4}}) {
    batches<float> loader(set, size, 1);
    BOOST_TEST(loader.size() == 1u, "batch size " << size);
    const auto only = loader[0];
    BOOST_TEST(only.labels == (std::vector<std::int64_t>{0, 1, 2}), boost::test_tools::per_element());
    BOOST_TEST(only.features.to_vector() == set.features, boost::test_tools::per_element());
  }
  BOOST_TEST((batches<float>(set, 2, 1).size()) == 2u);
}
