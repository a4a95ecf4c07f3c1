// Hostile inputs to the tensor engine: shapes whose element count, byte
// count or strides overflow std::size_t, and graphs used from a thread that
// did not record them.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "testing.hpp"

using namespace janus;
using namespace janus::testing;

namespace {

// 274177 * 67280421310721 = 2^64 + 1: a product that wraps to 1 element.
constexpr std::size_t wraps_to_one_a = 274177;
constexpr std::size_t wraps_to_one_b = 67280421310721;
// 3 * 6148914691236517206 = 2^64 + 2.
constexpr std::size_t third_of_wrap = 6148914691236517206ull;

}  // namespace

BOOST_AUTO_TEST_CASE(a_reshape_whose_count_wraps_is_refused) {
  const Tensor two = Tensor::ones({2});
  require_error([&] { (void)sum(reshape(two, {2, (1ull << 63) + 1}), 0); },
                {"reshape", "(2, 9223372036854775809)", "too large"});
}

BOOST_AUTO_TEST_CASE(a_tensor_too_large_to_address_is_refused) {
  // (2^62 + 1) floats: the byte count wraps to 4.
  require_error([] { (void)sum(Tensor::zeros({(1ull << 62) + 1})); }, {"(4611686018427387905)", "too large"});
  require_error([] { (void)transpose(Tensor::zeros({3, third_of_wrap})); }, {"(3, 6148914691236517206)"});
  require_error([] { (void)Tensor::full({wraps_to_one_a, wraps_to_one_b}, 1.0f); },
                {"(274177, 67280421310721)"});
  require_error([] { (void)Tensor::arange((1ull << 62) + 1); }, {"arange", "(4611686018427387905)"});
  // The count of the values given matches the wrapped count of the shape.
  require_error([] { (void)Tensor({2, (1ull << 63) + 1}, {1, 2}); }, {"(2, 9223372036854775809)"});
  // The bound is on bytes: as many doubles as floats do not fit.
  const std::size_t floats_fit = (1ull << 61) - 1;
  require_error([&] { (void)dtensor::zeros({floats_fit}); }, {"too large", "8 bytes"});
}

BOOST_AUTO_TEST_CASE(an_empty_tensor_whose_other_sizes_overflow_is_refused) {
  // No element, but a reduction over the empty axis or a stride over the
  // others would multiply the remaining sizes.
  require_error([] { (void)Tensor::zeros({3, 0, third_of_wrap}); }, {"(3, 0, 6148914691236517206)"});
  require_error([] { (void)Tensor::zeros({1ull << 32, 0, 1ull << 32}); }, {"(4294967296, 0, 4294967296)"});
  // A shape with a zero and small other sizes is fine.
  BOOST_TEST(Tensor::zeros({1ull << 40, 0, 7}).numel() == 0u);
}

BOOST_AUTO_TEST_CASE(results_whose_shape_overflows_are_refused) {
  // Each input is empty and valid; the result's shape is not.
  const std::size_t largest_blas = 2147483647;
  const Tensor matrices = Tensor::zeros({4, largest_blas, 0});
  const Tensor columns = Tensor::zeros({0, largest_blas});
  require_error([&] { (void)matmul(matrices, columns); }, {"matmul", "(4, 2147483647, 2147483647)"});

  const Tensor tall = Tensor::zeros({wraps_to_one_a, 1, 0});
  const Tensor wide = Tensor::zeros({1, wraps_to_one_b, 0});
  require_error([&] { (void)(tall + wide); }, {"add", "(274177, 67280421310721, 0)"});

  const Tensor rows = Tensor::zeros({largest_blas, 0});
  require_error([&] { (void)linear(rows, rows); }, {"linear", "(2147483647, 2147483647)"});

  const std::vector<std::int64_t> labels(wraps_to_one_a, 0);
  require_error([&] { (void)one_hot(labels, wraps_to_one_b); }, {"one_hot", "(274177, 67280421310721)"});
}

BOOST_AUTO_TEST_CASE(shape_numel_reports_an_overflow) {
  require_error([] { (void)shape_numel({1ull << 32, 1ull << 32}); }, {"(4294967296, 4294967296)"});
  BOOST_TEST(shape_numel({2, 0, 1ull << 40}) == 0u);
  BOOST_TEST(shape_numel({}) == 1u);
}

namespace {

/// Thread A records y = sum(x * 3) and stays alive until told to finish.
/// Handles count references without atomics, so the threads take turns:
/// x is shared by reference, and this thread waits while the other records.
struct graph_on_another_thread {
  Tensor y;
  std::promise<void> recorded;
  std::promise<void> finish;
  std::thread thread;

  explicit graph_on_another_thread(const Tensor& x) {
    thread = std::thread([this, &x] {
      y = sum(x * 3.0f);
      recorded.set_value();
      finish.get_future().wait();
      release_graph();
    });
    recorded.get_future().wait();
  }
  ~graph_on_another_thread() {
    finish.set_value();
    thread.join();
  }
};

bool names_another_thread(const graph_error& error) {
  return std::string(error.what()).find("another thread") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(backward_of_a_graph_recorded_on_another_thread_throws) {
  const Tensor x = Tensor::ones({3}, true);
  {
    graph_on_another_thread other(x);
    // This thread's tape is empty.
    BOOST_CHECK_EXCEPTION(other.y.backward(), graph_error, names_another_thread);
    // This thread's tape holds two operations of its own.
    const Tensor mine = sum(x * 2.0f);
    BOOST_TEST(recorded_operations() == 2u);
    BOOST_CHECK_EXCEPTION(other.y.backward(), graph_error, names_another_thread);
    // Recording on top of the other thread's graph is refused as well.
    BOOST_CHECK_EXCEPTION((void)(other.y * 2.0f), graph_error, names_another_thread);
    BOOST_TEST(recorded_operations() == 2u);
    mine.backward();
  }
  require_values(x.grad(), {2, 2, 2});
}

BOOST_AUTO_TEST_CASE(tensors_record_again_after_no_grad_guards_die_out_of_order) {
  auto first = std::make_unique<no_grad>();
  auto second = std::make_unique<no_grad>();
  const Tensor x = Tensor::ones({2}, true);
  BOOST_TEST(!(x * 2.0f).requires_grad());
  first.reset();
  BOOST_TEST(!(x * 2.0f).requires_grad());
  second.reset();
  const Tensor y = sum(x * 2.0f);
  BOOST_TEST(y.requires_grad());
  y.backward();
  require_values(x.grad(), {2, 2});
}

BOOST_AUTO_TEST_CASE(matrix_sizes_beyond_the_blas_integer_are_refused) {
  // Empty, so nothing is allocated: a matrix size BLAS cannot be told is
  // refused whatever the data.
  const std::size_t beyond = std::size_t{1} << 32;
  const Tensor many_rows = Tensor::zeros({beyond, 0});
  require_error([&] { (void)matmul(many_rows, Tensor::zeros({0, 0})); }, {"matmul", "(4294967296, 0)", "BLAS"});
  require_error([&] { (void)linear(many_rows, Tensor::zeros({2, 0})); }, {"linear", "(4294967296, 0)", "BLAS"});
}
