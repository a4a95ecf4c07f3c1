# bench_peer_adolc: janus against ADOL-C (Debian: libadolc-dev), built only
# when ADOL-C is found (and janus's scalar tape, part of janus::tensor);
# without them the rest of the build goes on.
find_path(JANUS_ADOLC_INCLUDE_DIR adolc/adolc.h)
find_library(JANUS_ADOLC_LIBRARY adolc)
if(JANUS_HAS_TENSOR AND JANUS_ADOLC_INCLUDE_DIR AND JANUS_ADOLC_LIBRARY)
  add_executable(bench_peer_adolc ${CMAKE_CURRENT_LIST_DIR}/peer_adolc.cpp)
  janus_program(bench_peer_adolc)
  # SYSTEM: ADOL-C's headers are not ours to keep free of warnings.
  target_include_directories(bench_peer_adolc SYSTEM PRIVATE ${JANUS_ADOLC_INCLUDE_DIR})
  target_link_libraries(bench_peer_adolc PRIVATE ${JANUS_ADOLC_LIBRARY} benchmark::benchmark)
else()
  message(STATUS "ADOL-C not found: bench_peer_adolc is not built")
endif()
