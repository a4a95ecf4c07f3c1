// tests/atom_cluster.hpp: positions of atoms for the pair-potential tests of
// the static engine and the tape: a small lattice, slightly irregular so that
// no two pair distances are equal, x, y, z of each atom in turn.
#pragma once

#include <cstddef>
#include <vector>

namespace janus::testing {

inline std::vector<double> cluster(std::size_t atoms) {
  std::vector<double> r(3 * atoms);
  for (std::size_t a = 0; a < atoms; ++a) {
    r[3 * a] = 1.1 * static_cast<double>(a % 3) + 0.05 * static_cast<double>(a);
    r[3 * a + 1] = 1.2 * static_cast<double>((a / 3) % 3) - 0.03 * static_cast<double>(a);
    r[3 * a + 2] = 1.15 * static_cast<double>(a / 9) + 0.02 * static_cast<double>(a % 2);
  }
  return r;
}

}  // namespace janus::testing
