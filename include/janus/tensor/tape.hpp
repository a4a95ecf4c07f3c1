// janus/tensor/tape.hpp: the per-thread record of tensor operations and its reverse sweep.
//
// Each recorded operation is a node built in an arena that is reset, never
// freed, when the graph is released: after the first training step the nodes
// of the next step land in memory already there. A node holds its output and
// inputs (keeping their values alive for the backward step) and a step that
// turns the output's gradient into the inputs' gradients.
//
// Under `janus::detect_anomaly` (tape/anomaly.hpp) `record` checks the
// output's values and `backward` the inputs' gradients after every step
// (tensor/anomaly.hpp says what the reports hold).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "janus/error.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tensor/anomaly.hpp"
#include "janus/tensor/impl.hpp"

namespace janus::detail {

template <class T>
class tensor_tape;

template <class T>
struct tensor_node {
  static constexpr std::size_t max_inputs = 3;

  const tensor_tape<T>* tape = nullptr;  // the tape that recorded it, one per thread
  std::string_view op;
  impl_ref<T> output;
  std::array<impl_ref<T>, max_inputs> inputs;
  std::size_t input_count = 0;
  std::size_t index = 0;  // position on the tape

  tensor_node() = default;
  tensor_node(const tensor_node&) = delete;
  tensor_node& operator=(const tensor_node&) = delete;
  virtual void backward() = 0;
  virtual ~tensor_node() {
    if (output->producer == this) output->producer = nullptr;
    // An intermediate result's gradient lives only as long as its graph.
    if (!output->leaf) {
      block_pool<T>::release(output->gradient, output->count);
      output->gradient = nullptr;
    }
  }

  tensor_impl<T>& input(std::size_t k) const { return *inputs[k]; }
  /// True when input k wants a gradient: work for the others is skipped.
  bool wants(std::size_t k) const { return tracks_gradient(*inputs[k]); }
};

template <class T, class Step>
struct recorded_node final : tensor_node<T> {
  explicit recorded_node(Step s) : step(std::move(s)) {}
  void backward() override { step(*this); }
  Step step;
};

/// Memory for nodes: chunks kept from one graph to the next.
class node_arena {
 public:
  void* allocate(std::size_t size, std::size_t align) {
    while (true) {
      if (current_ < chunks_.size()) {
        chunk& c = chunks_[current_];
        void* place = c.bytes.get() + used_;
        std::size_t room = c.size - used_;
        if (std::align(align, size, place, room) != nullptr) {
          used_ = c.size - room + size;
          return place;
        }
        ++current_;
        used_ = 0;
        continue;
      }
      const std::size_t size_of_chunk = std::max(default_chunk, size + align);
      chunks_.push_back({std::make_unique<std::byte[]>(size_of_chunk), size_of_chunk});
    }
  }
  void reset() {
    current_ = 0;
    used_ = 0;
  }

 private:
  static constexpr std::size_t default_chunk = 64 * 1024;
  struct chunk {
    std::unique_ptr<std::byte[]> bytes;
    std::size_t size;
  };
  std::vector<chunk> chunks_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
};

template <class T>
class tensor_tape {
 public:
  tensor_tape() = default;
  tensor_tape(const tensor_tape&) = delete;
  tensor_tape& operator=(const tensor_tape&) = delete;
  ~tensor_tape() { release(); }

  /// Records `output = op(inputs...)`; `step(node)` will propagate its gradient.
  template <class Step, class... Inputs>
  void record(std::string_view op, const impl_ref<T>& output, Step step, const Inputs&... inputs) {
    static_assert(sizeof...(Inputs) <= tensor_node<T>::max_inputs);
    (check_recorded_here(op, *inputs), ...);
    if (is_detecting_anomalies()) [[unlikely]]
      check_output_values(op, *output, std::array<const tensor_impl<T>*, sizeof...(Inputs)>{inputs.get()...});
    using node_type = recorded_node<T, Step>;
    if (nodes_.size() == nodes_.capacity()) nodes_.reserve(std::max<std::size_t>(64, 2 * nodes_.size()));
    void* place = arena_.allocate(sizeof(node_type), alignof(node_type));
    auto* node = ::new (place) node_type(std::move(step));
    node->tape = this;
    node->op = op;
    node->output = output;
    std::size_t k = 0;
    ((node->inputs[k++] = inputs), ...);
    node->input_count = k;
    node->index = nodes_.size();
    nodes_.push_back(node);
    output->requires_grad = true;
    output->leaf = false;
    output->producer = node;
  }

  /// Seeds `root`'s gradient, sweeps back from its node to the start of the
  /// tape, then releases every recorded operation (also when a step throws).
  void backward(tensor_impl<T>& root, const T* seed) {
    // Checked before the guard: this thread's own graph stays recorded.
    if (root.producer->tape != this) {
      throw graph_error("backward: the graph of this tensor was recorded on another thread; call backward() on "
                        "the thread that recorded it");
    }
    struct release_guard {
      tensor_tape* tape;
      ~release_guard() { tape->release(); }
    } guard{this};
    const gradient_slot<T> slot = gradient_of(root);
    for (std::size_t i = 0; i < root.count; ++i) {
      slot.data[i] = slot.accumulate ? slot.data[i] + seed[i] : seed[i];
    }
    const bool checked = is_detecting_anomalies();
    for (std::size_t i = root.producer->index + 1; i-- > 0;) {
      tensor_node<T>* node = nodes_[i];
      // A node whose output got no gradient is not on the path to the root.
      if (node->output->gradient != nullptr) {
        node->backward();
        if (checked) [[unlikely]] check_input_gradients(*node);
      }
    }
  }

  /// Destroys the recorded operations, newest first; their intermediate
  /// results go back to the pools once no handle holds them.
  void release() {
    while (!nodes_.empty()) {
      tensor_node<T>* node = nodes_.back();
      nodes_.pop_back();
      node->~tensor_node<T>();
    }
    arena_.reset();
  }

  std::size_t size() const { return nodes_.size(); }
  const std::vector<tensor_node<T>*>& nodes() const { return nodes_; }

 private:
  // A graph lives on the tape of the thread that recorded it: an operation
  // recorded here on a result from another thread's graph would never be
  // swept through it, and the sweep would leave gradients short.
  void check_recorded_here(std::string_view op, const tensor_impl<T>& input) const {
    if (input.producer != nullptr && input.producer->tape != this) {
      throw graph_error(std::string(op) + ": an input is the result of a graph recorded on another thread; a "
                        "tensor stays with the thread that recorded it until backward() (or detach() it)");
    }
  }

  node_arena arena_;
  std::vector<tensor_node<T>*> nodes_;
};

/// This thread's tensor tape for element type T (the scalar tape is
/// janus::tape::this_thread_tape).
template <class T>
tensor_tape<T>& this_thread_tensor_tape() {
  thread_local tensor_tape<T> tape;
  return tape;
}

/// True when an operation on these inputs must be recorded.
template <class T, class... Inputs>
bool should_record(const Inputs&... inputs) {
  return is_recording() && (tracks_gradient(*inputs) || ...);
}

}  // namespace janus::detail

namespace janus {

/// Operations recorded on this thread's tensor tape of element type T and not yet released.
template <class T = float>
std::size_t recorded_operations() {
  return detail::this_thread_tensor_tape<T>().size();
}

/// Drops this thread's recorded graph without a backward pass, e.g. after a
/// forward pass that was only evaluated. backward() does this by itself.
template <class T = float>
void release_graph() {
  detail::this_thread_tensor_tape<T>().release();
}

}  // namespace janus
