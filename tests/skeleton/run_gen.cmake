# Runs `bpfxx gen KIND OBJ name NAME` and writes its stdout to OUT; fails
# the build when the command fails. -DTOOL -DKIND -DOBJ -DNAME -DOUT
execute_process(COMMAND ${TOOL} gen ${KIND} ${OBJ} name ${NAME}
  OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "bpfxx gen ${KIND} ${OBJ} failed (${rc}): ${err}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
