# Regenerates bpf_helper_defs.h from the helper table into a temporary file
# and fails when it differs from the committed header.
#   cmake -DSRC=<project source dir> -DOUT=<scratch file> -P check-helper-defs.cmake
execute_process(
  COMMAND ${CMAKE_COMMAND} -DTABLE=${SRC}/scripts/helpers.tsv -DOUT=${OUT}
          -P ${SRC}/scripts/gen-helper-defs.cmake
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen-helper-defs.cmake failed")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${SRC}/include/bpf/bpf_helper_defs.h
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "include/bpf/bpf_helper_defs.h is out of date: run\n"
          "  cmake -DTABLE=scripts/helpers.tsv -DOUT=include/bpf/bpf_helper_defs.h "
          "-P scripts/gen-helper-defs.cmake")
endif()
message(STATUS "bpf_helper_defs.h matches scripts/helpers.tsv")
