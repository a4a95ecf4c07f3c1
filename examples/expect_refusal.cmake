# A test of a program that must refuse to run: runs PROGRAM with ARGS (its
# arguments separated by "|", so that an argument may be empty) and passes
# when the program exits with a non-zero status and its output matches EXPECT.
# With NEEDS_MNIST set, it is skipped (prints "skipped:") unless JANUS_MNIST
# names the data set.
#   cmake -DPROGRAM=... "-DARGS=--lr|nan" "-DEXPECT=regex" [-DNEEDS_MNIST=ON] -P expect_refusal.cmake
if(NEEDS_MNIST AND "$ENV{JANUS_MNIST}" STREQUAL "")
  message("skipped: JANUS_MNIST does not name the MNIST data set")
  return()
endif()

# execute_process drops empty elements of an expanded list, so the call is
# written out with every argument quoted.
string(REPLACE "|" ";" arguments "${ARGS}")
set(command "\"${PROGRAM}\"")
foreach(argument IN LISTS arguments)
  string(REPLACE "\\" "\\\\" argument "${argument}")
  string(REPLACE "\"" "\\\"" argument "${argument}")
  string(APPEND command " \"${argument}\"")
endforeach()
cmake_language(EVAL CODE
  "execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)")
message("${output}")
if(status EQUAL 0)
  message(FATAL_ERROR "the program exited with status 0")
endif()
if(NOT output MATCHES "${EXPECT}")
  message(FATAL_ERROR "the output does not match: ${EXPECT}")
endif()
