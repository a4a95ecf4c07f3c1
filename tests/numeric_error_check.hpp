// tests/numeric_error_check.hpp: the check the anomaly tests of every engine
// make of janus::numeric_error's message.
#pragma once

#include <boost/test/unit_test.hpp>

#include <functional>
#include <initializer_list>
#include <string>

#include "janus/error.hpp"

namespace janus::testing {

/// `action` throws janus::numeric_error whose message holds every one of `parts`.
inline void require_numeric_error(const std::function<void()>& action, std::initializer_list<std::string> parts) {
  try {
    action();
  } catch (const janus::numeric_error& error) {
    const std::string message = error.what();
    for (const std::string& part : parts)
      BOOST_TEST(message.find(part) != std::string::npos, "\"" << message << "\" lacks \"" << part << "\"");
    return;
  }
  BOOST_FAIL("no janus::numeric_error was thrown");
}

}  // namespace janus::testing
