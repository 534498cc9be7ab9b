# Proves the layer check catches what it should: on a tree with a planted upward include it must
# fail and name that file, line and the layers; on the real tree it must pass.
# Usage: cmake -DSOURCE=<source root> -P cmake/test_check_layers.cmake
set(check ${CMAKE_CURRENT_LIST_DIR}/check_layers.cmake)
execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${SOURCE}/tests/layers/upward -P ${check}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
  message(FATAL_ERROR "the planted upward include passed the layer check:\n${out}")
endif()
set(want "models/platform/upward.c:3: the platform layer includes models/market/market.h of the market layer")
string(FIND "${out}" "${want}" at)
if(at LESS 0)
  message(FATAL_ERROR "the layer check failed without naming the planted include:\n${out}")
endif()
string(FIND "${out}" "fine.c" at)
if(NOT at LESS 0)
  message(FATAL_ERROR "the layer check refused a downward include:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${SOURCE} -P ${check}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the source tree has upward includes:\n${out}")
endif()
message(STATUS "layer check: catches the planted include, passes the tree")
