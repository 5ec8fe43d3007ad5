# Golden test: the header generated now from a committed object must equal
# the committed header byte for byte. -DTOOL -DKIND -DOBJ -DNAME -DEXPECTED
# -DWORK (scratch file). With -DUPDATE=ON it rewrites EXPECTED instead.
execute_process(COMMAND ${TOOL} gen ${KIND} ${OBJ} name ${NAME}
  OUTPUT_FILE ${WORK} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bpfxx gen ${KIND} failed (${rc}): ${err}")
endif()
if(UPDATE)
  file(COPY_FILE ${WORK} ${EXPECTED})
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK} ${EXPECTED} RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  execute_process(COMMAND diff -u ${EXPECTED} ${WORK} OUTPUT_VARIABLE d)
  string(SUBSTRING "${d}" 0 4000 d)
  message(FATAL_ERROR "generated ${KIND} differs from ${EXPECTED}; if on purpose, rebuild the "
                      "target skeleton_golden_update.\n${d}")
endif()
