// tests/distributed/mpi_fixture.hpp: MPI for the whole test program (a
// Boost.Test global fixture), for the programs that mpirun starts.
#pragma once

#include <boost/test/unit_test.hpp>

#include <memory>

#include "janus/distributed/environment.hpp"

namespace janus::testing {

struct mpi_fixture {
  mpi_fixture() {
    auto& suite = boost::unit_test::framework::master_test_suite();
    environment() = std::make_unique<janus::distributed::environment>(suite.argc, suite.argv);
  }
  ~mpi_fixture() { environment().reset(); }

  static std::unique_ptr<janus::distributed::environment>& environment() {
    static std::unique_ptr<janus::distributed::environment> held;
    return held;
  }
};

inline const janus::distributed::environment& mpi() { return *mpi_fixture::environment(); }

}  // namespace janus::testing

using janus::testing::mpi_fixture;  // the macro takes a plain name
BOOST_TEST_GLOBAL_FIXTURE(mpi_fixture);
