// Adept-2's library code (the Stack, the gradient sweeps), which a program
// that uses Adept compiles itself: adept_source.h holds all of it and must be
// included in exactly one translation unit of the program; the others include
// <adept.h>. Built into bench_peer_tapes and bench_peer_tapes_adept_unsafe,
// each with that program's ADEPT_STACK_THREAD_UNSAFE setting, since the
// setting changes this code too. bench/peers/tapes.cmake compiles this file
// without warnings: the code is Adept's, and it opens with a #warning that
// its BLAS and LAPACK support is off (the scalar benchmarks need neither).
#include <adept_source.h>
