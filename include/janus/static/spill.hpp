// janus/static/spill.hpp: the arena of a functional call, where large
// operands are kept so that building a long formula costs time linear in its
// length.
//
// An expression holds its operands by value, so that `auto` locals never
// dangle. Folding N terms into one sum therefore copies the whole tree built
// so far at every `+`: O(N^2) bytes, which the optimiser keeps in registers
// only for short formulas. Inside `janus::grad(f)(args...)` and the other
// functional forms the call outlives everything f builds, so an operand
// larger than `spill_bytes` is copied once into the call's arena and the new
// node holds a pointer to it (`spilled<Node>`): each `+` of a fold then copies
// one pointer and one term. The type still spells the whole tree, so the
// sweep generated from it is the same; it reads those nodes through the
// pointers.
//
// The arena lives in the functional call's frame and grows on the heap only
// past `inline_bytes`. Spilling happens at run time only, so a formula large
// enough to spill is not a constant expression.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <vector>

#include "janus/static/expression.hpp"
#include "janus/static/limits.hpp"
#include "janus/static/node_traits.hpp"

namespace janus::detail {

/// Bump allocation of trivially destructible nodes, freed all at once, or
/// back to a mark (a sum frees what each element's body spilled).
class spill_arena {
 public:
  static constexpr std::size_t inline_bytes = 4096;

  struct mark {
    std::size_t chunk;
    std::size_t used;
  };

  spill_arena() = default;
  ~spill_arena() {
    for (const chunk& c : chunks_) delete[] c.bytes;
  }
  spill_arena(const spill_arena&) = delete;
  spill_arena& operator=(const spill_arena&) = delete;

  template <class Node>
  const Node* store(const Node& node) {
    static_assert(std::is_trivially_destructible_v<Node> && std::is_trivially_copyable_v<Node>);
    static_assert(alignof(Node) <= alignment);
    // Every block a multiple of the alignment, so that the next one is aligned too.
    constexpr std::size_t size = (sizeof(Node) + alignment - 1) / alignment * alignment;
    if (capacity_ - used_ < size) [[unlikely]]
      next_chunk(size);
    void* place = current_ + used_;
    used_ += size;
    return ::new (place) Node(node);
  }

  mark position() const { return {chunk_, used_}; }

  /// Whether anything was stored since `m`.
  bool stored_since(mark m) const { return used_ != m.used || chunk_ != m.chunk; }

  /// Frees everything stored since `m`; the chunks stay for reuse.
  void release_to(mark m) {
    chunk_ = m.chunk;
    current_ = chunk_ == 0 ? first_ : chunks_[chunk_ - 1].bytes;
    capacity_ = chunk_ == 0 ? inline_bytes : chunks_[chunk_ - 1].size;
    used_ = m.used;
  }

 private:
  static constexpr std::size_t alignment = alignof(std::max_align_t);

  // Owned: freed by the destructor, or when a larger one replaces it. (The
  // arena is in every functional call's frame; <memory> would cost every
  // user of janus.hpp its compile time.)
  struct chunk {
    std::byte* bytes;
    std::size_t size;
  };

  [[gnu::cold, gnu::noinline]] void next_chunk(std::size_t at_least) {
    if (chunk_ == chunks_.size() || chunks_[chunk_].size < at_least) {
      for (std::size_t k = chunk_; k < chunks_.size(); ++k) delete[] chunks_[k].bytes;
      chunks_.resize(chunk_);
      const std::size_t size = at_least > 2 * capacity_ ? at_least : 2 * capacity_;
      chunks_.reserve(chunk_ + 1);  // a failed push_back must not lose the new block
      chunks_.push_back({new std::byte[size], size});
    }
    current_ = chunks_[chunk_].bytes;
    capacity_ = chunks_[chunk_].size;
    ++chunk_;
    used_ = 0;
  }

  alignas(alignment) std::byte first_[inline_bytes];
  std::byte* current_ = first_;
  std::size_t capacity_ = inline_bytes;
  std::size_t used_ = 0;
  std::size_t chunk_ = 0;  // 0: first_, k: chunks_[k - 1]
  std::vector<chunk> chunks_;
};

/// The arena of the innermost functional call running on this thread: where
/// sums free what their elements spilled (`spill_frame`) and where a sum's
/// own expression takes the arena's address from. Spills themselves use the
/// address each expression carries (`argument_values`, expression.hpp).
inline spill_arena*& current_spill_arena() {
  thread_local spill_arena* arena = nullptr;
  return arena;
}

/// Makes `arena` the current one for the lifetime of the scope (calls nest:
/// f may itself take a gradient).
class spill_scope {
 public:
  explicit spill_scope(spill_arena& arena) : previous_(current_spill_arena()) { current_spill_arena() = &arena; }
  ~spill_scope() { current_spill_arena() = previous_; }
  spill_scope(const spill_scope&) = delete;
  spill_scope& operator=(const spill_scope&) = delete;

 private:
  spill_arena* previous_;
};

/// Frees what was spilled since it was made, each time `release` is called
/// and at the end of its scope: the body of a sum is built and swept once per
/// element, and its trees are dead after that. Bodies rarely spill, so
/// `release` writes nothing unless something was stored (a store per element
/// would be a store the sum's loop does not need).
class spill_frame {
 public:
  // Constant evaluation spills nothing (see above), so there is nothing to free.
  constexpr spill_frame() {
    if (!std::is_constant_evaluated()) {
      arena_ = current_spill_arena();
      if (arena_) mark_ = arena_->position();
    }
  }
  constexpr ~spill_frame() { release(); }
  spill_frame(const spill_frame&) = delete;
  spill_frame& operator=(const spill_frame&) = delete;

  constexpr void release() const {
    if (!std::is_constant_evaluated() && arena_ && arena_->stored_since(mark_)) [[unlikely]]
      arena_->release_to(mark_);
  }

 private:
  spill_arena* arena_ = nullptr;
  spill_arena::mark mark_{};
};

/// What a scope frees when its trees cannot have spilled: their variables are
/// not in an argument block (`spills` below), so there is nothing to free.
struct no_spill_frame {
  constexpr void release() const {}
};

/// The frame for trees over `Values`.
template <class Values>
using spill_frame_for = std::conditional_t<is_argument_values<Values>, spill_frame, no_spill_frame>;

/// Operands whose node is larger than this are spilled: a few terms of a
/// fold stay by value (the optimiser keeps those in registers), a longer
/// tree becomes one pointer.
inline constexpr std::size_t spill_bytes = 32;

/// Trees that read elements of array arguments are the bodies of sums, built
/// once per element and small: they stay by value, in registers, rather than
/// going through the arena per element.
template <class Node, class Values>
inline constexpr bool spills = is_argument_values<Values> && !is_pure<Node> && sizeof(Node) > spill_bytes &&
                               node_traits<Node>::all_ids == node_traits<Node>::leaf_ids;

/// Whether making a tree of this type may have spilled: it holds a spilled
/// operand, or a node that is not made of operands alone (a sum, a
/// preaccumulated subtree), which may have spilled in making itself.
template <class Node>
struct spills_in_making : std::bool_constant<node_traits<Node>::kind == node_kind::sum ||
                                             node_traits<Node>::kind == node_kind::preaccumulated> {};
template <class Node>
struct spills_in_making<spilled<Node>> : std::true_type {};
template <class Node>
inline constexpr bool may_have_spilled = in_operands<spills_in_making, Node>;

/// `e` with its node moved into the current call's arena.
template <class Node, class T, std::size_t N, class Values>
expression<spilled<Node>, T, N, Values> spill(const expression<Node, T, N, Values>& e) {
  return {{e.variable_values.arena->store(e.node)}, e.variable_values};
}

}  // namespace janus::detail
