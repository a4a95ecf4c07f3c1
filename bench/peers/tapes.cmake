# bench_peer_tapes and bench_peer_tapes_adept_unsafe: janus::var against
# Adept-2 (rjhogan/Adept-2 2.1.3) and CoDiPack (SciCompKL/CoDiPack 3.1.1), the
# operator-overloading tapes with expression templates, built only when the
# unmodified copies in ../shared/peers beside the checkout (where CI lays
# them) are found; without them the rest of the build goes on.
set(JANUS_ADEPT_DIR "${PROJECT_SOURCE_DIR}/../shared/peers/adept-2.1.3"
    CACHE PATH "Adept-2's folder, holding include/adept_source.h (bench_peer_tapes)")
set(JANUS_CODIPACK_DIR "${PROJECT_SOURCE_DIR}/../shared/peers/codipack-3.1.1"
    CACHE PATH "CoDiPack's folder, holding include/codi.hpp (bench_peer_tapes)")
if(EXISTS "${JANUS_ADEPT_DIR}/include/adept_source.h" AND EXISTS "${JANUS_CODIPACK_DIR}/include/codi.hpp")
  # ADEPT_STACK_THREAD_UNSAFE (one global stack instead of one per thread,
  # Adept's fastest setting) holds for a whole program, Adept's library code
  # included: the same sources make two programs, each timing janus and
  # CoDiPack beside its Adept, so that every ratio comes from one process.
  foreach(program bench_peer_tapes bench_peer_tapes_adept_unsafe)
    add_executable(${program} ${CMAKE_CURRENT_LIST_DIR}/peer_tapes.cpp ${CMAKE_CURRENT_LIST_DIR}/adept_library.cpp)
    janus_program(${program})
    # SYSTEM: Adept's and CoDiPack's headers are not ours to keep free of warnings.
    target_include_directories(${program} SYSTEM PRIVATE "${JANUS_ADEPT_DIR}/include" "${JANUS_CODIPACK_DIR}/include")
    target_link_libraries(${program} PRIVATE benchmark::benchmark)
  endforeach()
  target_compile_definitions(bench_peer_tapes_adept_unsafe PRIVATE ADEPT_STACK_THREAD_UNSAFE)
  # Adept's library code is not ours either, and it opens with a #warning
  # (BLAS and LAPACK support off), which no SYSTEM include silences.
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/adept_library.cpp PROPERTIES COMPILE_OPTIONS -w)
elseif(NOT EXISTS "${JANUS_ADEPT_DIR}/include/adept_source.h")
  message(STATUS "Adept not found in ${JANUS_ADEPT_DIR}: bench_peer_tapes and bench_peer_tapes_adept_unsafe are not built")
else()
  message(STATUS "CoDiPack not found in ${JANUS_CODIPACK_DIR}: bench_peer_tapes and bench_peer_tapes_adept_unsafe are not built")
endif()
