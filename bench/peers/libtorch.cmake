# bench_peer_libtorch: janus against libtorch's C++ API (Debian: libtorch-dev),
# built only when Torch and janus::tensor are found; without them the rest of
# the build goes on.
if(JANUS_HAS_TENSOR)
  find_package(Torch QUIET)
endif()
if(JANUS_HAS_TENSOR AND Torch_FOUND)
  add_executable(bench_peer_libtorch ${CMAKE_CURRENT_LIST_DIR}/peer_libtorch.cpp)
  janus_program(bench_peer_libtorch)
  # Torch's imported targets carry its include folders, which CMake passes as
  # SYSTEM (-isystem), so its headers' warnings do not fail a -Werror build.
  target_link_libraries(bench_peer_libtorch PRIVATE ${TORCH_LIBRARIES} benchmark::benchmark)
else()
  message(STATUS "libtorch not found: bench_peer_libtorch is not built")
endif()
