# bench_peer_libtorch: janus against libtorch's C++ API (Debian: libtorch-dev),
# built only when Torch and janus::tensor are found; without them the rest of
# the build goes on.
# Not with clang: Debian's libtorch 1.13 headers do not compile as C++20 under
# clang 16 with libstdc++ 12 (ATen/core/List.h moves a std::vector<c10::IValue>
# while IValue is incomplete; clang instantiates the vector's C++20 constexpr
# destructor there: "arithmetic on a pointer to an incomplete type
# 'c10::IValue'"), and janus needs C++20. GCC accepts them.
if(JANUS_HAS_TENSOR AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  find_package(Torch QUIET)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(STATUS "clang: bench_peer_libtorch is not built (libtorch's headers need GCC in C++20)")
elseif(JANUS_HAS_TENSOR AND Torch_FOUND)
  add_executable(bench_peer_libtorch ${CMAKE_CURRENT_LIST_DIR}/peer_libtorch.cpp)
  janus_program(bench_peer_libtorch)
  # Torch's imported targets carry its include folders, which CMake passes as
  # SYSTEM (-isystem), so its headers' warnings do not fail a -Werror build.
  target_link_libraries(bench_peer_libtorch PRIVATE ${TORCH_LIBRARIES} benchmark::benchmark)
else()
  message(STATUS "libtorch not found: bench_peer_libtorch is not built")
endif()
