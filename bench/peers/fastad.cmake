# bench_peer_fastad: janus against FastAD (JamesYang007/FastAD 3.2.1,
# header-only, needs Eigen 3: Debian libeigen3-dev), built only when the
# unmodified copy in ../shared/peers beside the checkout (where CI lays it)
# and Eigen's headers are found; without them the rest of the build goes on.
set(JANUS_FASTAD_DIR "${PROJECT_SOURCE_DIR}/../shared/peers/fastad-3.2.1"
    CACHE PATH "FastAD's folder, holding include/fastad (bench_peer_fastad)")
find_path(JANUS_EIGEN_INCLUDE_DIR Eigen/Core PATH_SUFFIXES eigen3)
if(EXISTS "${JANUS_FASTAD_DIR}/include/fastad" AND JANUS_EIGEN_INCLUDE_DIR)
  add_executable(bench_peer_fastad ${CMAKE_CURRENT_LIST_DIR}/peer_fastad.cpp)
  janus_program(bench_peer_fastad)
  # SYSTEM: FastAD's and Eigen's headers are not ours to keep free of warnings.
  target_include_directories(bench_peer_fastad SYSTEM PRIVATE "${JANUS_FASTAD_DIR}/include" ${JANUS_EIGEN_INCLUDE_DIR})
  target_link_libraries(bench_peer_fastad PRIVATE benchmark::benchmark)
  # GCC 12 warns of the deliberately undefined vectors of its own AVX-512
  # intrinsics (_mm256_undefined_pd) once Eigen's reductions are inlined,
  # system headers or not, which would fail a -Werror build with -march=native.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(bench_peer_fastad PRIVATE -Wno-uninitialized -Wno-maybe-uninitialized)
  endif()
elseif(NOT EXISTS "${JANUS_FASTAD_DIR}/include/fastad")
  message(STATUS "FastAD not found in ${JANUS_FASTAD_DIR}: bench_peer_fastad is not built")
else()
  message(STATUS "Eigen 3 not found (Debian: libeigen3-dev): bench_peer_fastad is not built")
endif()
