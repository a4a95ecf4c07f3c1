// After a first training step, a step of the same shapes allocates nothing:
// the tape's nodes, intermediate results and gradients all come back from
// the pools. Counted with a replaced global operator new.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "janus/tensor.hpp"

namespace {
std::size_t allocations = 0;

void* counted(std::size_t size, std::size_t alignment) {
  ++allocations;
  if (size == 0) size = 1;
  void* block = alignment > alignof(std::max_align_t) ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                                                      : std::malloc(size);
  if (block == nullptr) throw std::bad_alloc();
  return block;
}
}  // namespace

void* operator new(std::size_t size) { return counted(size, 0); }
void* operator new[](std::size_t size) { return counted(size, 0); }
void* operator new(std::size_t size, std::align_val_t alignment) { return counted(size, static_cast<std::size_t>(alignment)); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return counted(size, static_cast<std::size_t>(alignment)); }
void operator delete(void* block) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }
void operator delete(void* block, std::align_val_t) noexcept { std::free(block); }
void operator delete[](void* block, std::align_val_t) noexcept { std::free(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept { std::free(block); }

using namespace janus;

namespace {

struct network {
  Tensor w1, b1, w2, b2;
};

/// One step of a small MLP with most operations of the engine, then an SGD update.
float train_step(const network& net, const Tensor& images, const std::vector<std::int64_t>& labels,
                 const shape_type& flat_shape) {
  const Tensor batch = slice_rows(images, 0, 8);
  const Tensor x = reshape(batch, flat_shape);
  const Tensor hidden = relu(linear(x, net.w1, net.b1));
  const Tensor squashed = tanh(hidden) * net.b1 + sigmoid(hidden);
  const Tensor logits = linear(squashed, net.w2, net.b2);
  const Tensor probabilities = softmax(transpose(logits), 0);
  const Tensor extra = mean(sum(probabilities, 0)) + max(logits) * 0.0f + mse_loss(logits, logits.detach());
  Tensor loss = cross_entropy(logits, labels) + extra;
  loss.backward();
  const no_grad updating;
  for (const Tensor* parameter : {&net.w1, &net.b1, &net.w2, &net.b2}) {
    float* values = const_cast<Tensor*>(parameter)->data();
    const float* gradient = parameter->grad_data();
    for (std::size_t i = 0; i < parameter->numel(); ++i) values[i] -= 0.1f * gradient[i];
    parameter->zero_grad();
  }
  return loss.item();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_second_identical_step_allocates_nothing) {
  std::mt19937 gen(3);
  const network net{Tensor::uniform({5, 6}, -0.5f, 0.5f, gen, true), Tensor::zeros({5}, true),
                    Tensor::uniform({3, 5}, -0.5f, 0.5f, gen, true), Tensor::zeros({3}, true)};
  const Tensor images = Tensor::uniform({16, 2, 3}, 0.0f, 1.0f, gen);
  const std::vector<std::int64_t> labels{0, 1, 2, 0, 1, 2, 0, 1};
  const shape_type flat_shape{8, 6};

  const float first_loss = train_step(net, images, labels, flat_shape);
  const std::size_t before = allocations;
  const float second_loss = train_step(net, images, labels, flat_shape);
  BOOST_TEST(allocations - before == 0u);
  BOOST_TEST(allocations > 0u);  // the counter does count
  BOOST_TEST(second_loss < first_loss);
}
