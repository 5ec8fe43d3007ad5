# Checks every helper id of the table against BPF_FUNC_<name> of our uapi
# <linux/bpf.h>: generates a C file of _Static_assert()s and compiles it.
#   cmake -DSRC=<source dir> -DOUT=<scratch .c> -DCC=<clang> -DEXTRA_INC=<dir or empty> -P check-helper-ids.cmake
execute_process(
  COMMAND ${CMAKE_COMMAND} -DTABLE=${SRC}/scripts/helpers.tsv -DOUT=${OUT} -DMODE=ids
          -P ${SRC}/scripts/gen-helper-defs.cmake
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen-helper-defs.cmake (MODE=ids) failed")
endif()
set(inc -I${SRC}/include/bpf/uapi)
if(EXTRA_INC)
  list(APPEND inc -I${EXTRA_INC})
endif()
execute_process(
  COMMAND ${CC} -target bpf -fsyntax-only ${inc} ${OUT}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "helper ids in scripts/helpers.tsv do not match include/bpf/uapi/linux/bpf.h")
endif()
message(STATUS "all helper ids match BPF_FUNC_* of the uapi header")
