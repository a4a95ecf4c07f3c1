# Builds a program that must not compile and checks the compiler's message:
# the build fails, its first error carries janus's own sentence, and the
# whole diagnostic (make's own lines aside) fits in MAX_LINES lines.
#   cmake -DBUILD_DIR=... -DTARGET=... -DEXPECT=regex -DMAX_LINES=n -P check_diagnostic.cmake
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
string(APPEND output "${errors}")
if(status EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled, but it must not")
endif()
string(REPLACE "\n" ";" lines "${output}")
set(diagnostic "")
foreach(line IN LISTS lines)
  # make's progress and failure lines are not the compiler's message.
  if(line MATCHES "^(g?make(\\[[0-9]+\\])?: |\\[ *[0-9]+%\\] )" OR line STREQUAL "")
    continue()
  endif()
  list(APPEND diagnostic "${line}")
endforeach()
set(first_error "")
foreach(line IN LISTS diagnostic)
  if(line MATCHES "error: ")
    set(first_error "${line}")
    break()
  endif()
endforeach()
list(LENGTH diagnostic count)
if(NOT first_error MATCHES "${EXPECT}")
  message(FATAL_ERROR "the first error is not janus's sentence (${EXPECT}):\n${first_error}\n\n${output}")
endif()
if(count GREATER MAX_LINES)
  message(FATAL_ERROR "the diagnostic takes ${count} lines, more than ${MAX_LINES}:\n${output}")
endif()
message(STATUS "first error: ${first_error} (${count} lines)")
