# Building BPF programs and their skeletons with CMake.
#
#   bpfxx_add_bpf_object(<target> SOURCES a.bpf.c [b.bpf.c ...]
#                        [INCLUDES dir ...] [DEFINES NAME[=VALUE] ...]
#                        [COMPILE_OPTIONS opt ...] [OUTPUT_DIR dir] [ARCH arch])
#     Compiles each source with clang (-target bpf -g -O2 -D__TARGET_ARCH_<arch>)
#     against bpfxx's BPF-side headers (<bpf/bpf_helpers.h>, ...) and a
#     "vmlinux.h" of the running kernel, into OUTPUT_DIR/<name>.bpf.o
#     (default: the current binary directory). <target> is a custom target,
#     built by default, that holds the objects; its BPF_OBJECTS property lists
#     their paths.
#
#   bpfxx_add_skeleton(<target> BPF_OBJECT <bpf-object-target | path.bpf.o>
#                      [NAME name])
#     Generates NAME.skel.h (`bpfxx gen skeleton OBJ name NAME`; NAME
#     defaults to the object's file name without .bpf.o) and defines <target>,
#     an INTERFACE library whose include directory holds the header: link an
#     application to it and `#include "NAME.skel.h"`.
#
# Cache variables:
#   BPFXX_BPF_CLANG           clang used for BPF (found: clang-19, then clang)
#   BPFXX_VMLINUX_H           use this vmlinux.h instead of generating one
#   BPFXX_VMLINUX_BTF         kernel BTF the vmlinux.h is dumped from
#   BPFXX_SKELETON_GENERATOR  another generator with bpftool's syntax (e.g.
#                             /usr/sbin/bpftool); empty: the bpfxx command
#   BPFXX_TOOL                the bpfxx command to run (empty: the bpfxx_tool
#                             target when building bpfxx itself, the installed
#                             bpfxx::bpfxx_tool when found through find_package)
#
# The vmlinux.h is generated once per build directory, by the first call,
# and shared by every object; depfiles make objects rebuild when any header
# they include changes.

# Script mode: run a command with its standard output going to a file (used
# for generation steps; portable, and a failed run leaves no partial file).
if(CMAKE_SCRIPT_MODE_FILE AND DEFINED BPFXX_RUN_OUTPUT)
  # The command is everything after "--" on cmake's command line.
  set(_bpfxx_cmd "")
  set(_bpfxx_in_cmd FALSE)
  math(EXPR _bpfxx_last "${CMAKE_ARGC} - 1")
  foreach(_bpfxx_i RANGE ${_bpfxx_last})
    if(_bpfxx_in_cmd)
      list(APPEND _bpfxx_cmd "${CMAKE_ARGV${_bpfxx_i}}")
    elseif(CMAKE_ARGV${_bpfxx_i} STREQUAL "--")
      set(_bpfxx_in_cmd TRUE)
    endif()
  endforeach()
  execute_process(COMMAND ${_bpfxx_cmd} OUTPUT_FILE "${BPFXX_RUN_OUTPUT}.tmp"
                  RESULT_VARIABLE _bpfxx_rc)
  if(NOT _bpfxx_rc STREQUAL "0")
    file(REMOVE "${BPFXX_RUN_OUTPUT}.tmp")
    list(JOIN _bpfxx_cmd " " _bpfxx_shown)
    message(FATAL_ERROR "'${_bpfxx_shown}' failed (${_bpfxx_rc})")
  endif()
  # Under Ninja (restat), an unchanged result keeps its old time stamp, so
  # a rebuilt bpfxx command does not recompile every BPF object. Make
  # would rerun a step whose output stays older than its inputs.
  if(BPFXX_RUN_RESTAT AND EXISTS "${BPFXX_RUN_OUTPUT}")
    file(SHA256 "${BPFXX_RUN_OUTPUT}" _bpfxx_old)
    file(SHA256 "${BPFXX_RUN_OUTPUT}.tmp" _bpfxx_new)
    if(_bpfxx_old STREQUAL _bpfxx_new)
      file(REMOVE "${BPFXX_RUN_OUTPUT}.tmp")
      return()
    endif()
  endif()
  file(RENAME "${BPFXX_RUN_OUTPUT}.tmp" "${BPFXX_RUN_OUTPUT}")
  return()
endif()

include_guard(GLOBAL)

# In the source tree this file sits in cmake/ beside include/; an installed
# package sets BPFXX_BPF_INCLUDE_DIR before including it.
if(NOT DEFINED BPFXX_BPF_INCLUDE_DIR)
  get_filename_component(BPFXX_BPF_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)
endif()
set_property(GLOBAL PROPERTY BPFXX_BPF_INCLUDE_DIR "${BPFXX_BPF_INCLUDE_DIR}")
set_property(GLOBAL PROPERTY BPFXX_BPF_MODULE "${CMAKE_CURRENT_LIST_FILE}")

find_program(BPFXX_BPF_CLANG NAMES clang-19 clang DOC "clang used to compile BPF programs")
set(BPFXX_VMLINUX_H "" CACHE FILEPATH "Use this vmlinux.h instead of dumping the kernel's BTF")
set(BPFXX_VMLINUX_BTF "/sys/kernel/btf/vmlinux" CACHE FILEPATH "Kernel BTF that vmlinux.h is dumped from")
set(BPFXX_SKELETON_GENERATOR "" CACHE STRING
    "Skeleton generator with bpftool's syntax (empty: the bpfxx command)")
set(BPFXX_TOOL "" CACHE FILEPATH "The bpfxx command (empty: the bpfxx_tool target)")

# The kernel's name for the target architecture, for -D__TARGET_ARCH_<arch>
# (bpf_tracing.h reads registers through it).
function(_bpfxx_target_arch out)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" cpu)
  if(cpu MATCHES "^(x86_64|amd64|i.86|x86)$")
    set(arch x86)
  elseif(cpu MATCHES "^(aarch64|arm64)")
    set(arch arm64)
  elseif(cpu MATCHES "^arm")
    set(arch arm)
  elseif(cpu MATCHES "^(ppc|powerpc)")
    set(arch powerpc)
  elseif(cpu MATCHES "^s390")
    set(arch s390)
  elseif(cpu MATCHES "^riscv")
    set(arch riscv)
  elseif(cpu MATCHES "^mips")
    set(arch mips)
  elseif(cpu MATCHES "^loongarch")
    set(arch loongarch)
  else()
    message(FATAL_ERROR "bpfxx: unknown architecture '${CMAKE_SYSTEM_PROCESSOR}': pass ARCH")
  endif()
  set(${out} ${arch} PARENT_SCOPE)
endfunction()

# The bpfxx command as something add_custom_command can run and depend on.
function(_bpfxx_tool out_command out_depends)
  if(BPFXX_TOOL)
    set(${out_command} "${BPFXX_TOOL}" PARENT_SCOPE)
    set(${out_depends} "${BPFXX_TOOL}" PARENT_SCOPE)
  elseif(TARGET bpfxx_tool)
    set(${out_command} "$<TARGET_FILE:bpfxx_tool>" PARENT_SCOPE)
    set(${out_depends} bpfxx_tool PARENT_SCOPE)
  elseif(TARGET bpfxx::bpfxx_tool)
    set(${out_command} "$<TARGET_FILE:bpfxx::bpfxx_tool>" PARENT_SCOPE)
    set(${out_depends} bpfxx::bpfxx_tool PARENT_SCOPE)
  else()
    message(FATAL_ERROR "bpfxx: no bpfxx command: set BPFXX_TOOL or use find_package(bpfxx)")
  endif()
endfunction()

# A command line that runs `command...` with its output in `output`.
function(_bpfxx_redirect out output)
  get_property(module GLOBAL PROPERTY BPFXX_BPF_MODULE)
  set(restat OFF)
  if(CMAKE_GENERATOR MATCHES "Ninja")
    set(restat ON)
  endif()
  set(${out} ${CMAKE_COMMAND} "-DBPFXX_RUN_OUTPUT=${output}" -DBPFXX_RUN_RESTAT=${restat}
      -P "${module}" -- ${ARGN} PARENT_SCOPE)
endfunction()

# The shared vmlinux.h: its directory in `out_dir`; `out_target` is the
# target that makes it (empty when the user supplied one).
function(_bpfxx_vmlinux_h out_dir out_target)
  if(BPFXX_VMLINUX_H)
    get_filename_component(dir "${BPFXX_VMLINUX_H}" DIRECTORY)
    get_filename_component(name "${BPFXX_VMLINUX_H}" NAME)
    if(NOT name STREQUAL "vmlinux.h")
      message(FATAL_ERROR "bpfxx: BPFXX_VMLINUX_H must name a file called vmlinux.h")
    endif()
    set(${out_dir} "${dir}" PARENT_SCOPE)
    set(${out_target} "" PARENT_SCOPE)
    return()
  endif()
  set(dir "${CMAKE_BINARY_DIR}/bpfxx-vmlinux")
  if(NOT TARGET bpfxx_vmlinux_h)
    _bpfxx_tool(tool tool_depends)
    _bpfxx_redirect(run "${dir}/vmlinux.h" ${tool} btf dump file "${BPFXX_VMLINUX_BTF}" format c)
    file(MAKE_DIRECTORY "${dir}")
    add_custom_command(OUTPUT "${dir}/vmlinux.h"
      COMMAND ${run}
      DEPENDS ${tool_depends}
      COMMENT "Generating vmlinux.h from ${BPFXX_VMLINUX_BTF}"
      VERBATIM)
    add_custom_target(bpfxx_vmlinux_h DEPENDS "${dir}/vmlinux.h")
  endif()
  set(${out_dir} "${dir}" PARENT_SCOPE)
  set(${out_target} bpfxx_vmlinux_h PARENT_SCOPE)
endfunction()

function(bpfxx_add_bpf_object target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIR;ARCH" "SOURCES;INCLUDES;DEFINES;COMPILE_OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "bpfxx_add_bpf_object(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "bpfxx_add_bpf_object(${target}): SOURCES is required")
  endif()
  if(NOT BPFXX_BPF_CLANG)
    message(FATAL_ERROR "bpfxx_add_bpf_object(${target}): no clang found; set BPFXX_BPF_CLANG")
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  get_filename_component(arg_OUTPUT_DIR "${arg_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  file(MAKE_DIRECTORY "${arg_OUTPUT_DIR}") # Ninja makes it; Makefiles do not
  if(NOT arg_ARCH)
    _bpfxx_target_arch(arg_ARCH)
  endif()
  get_property(include_dir GLOBAL PROPERTY BPFXX_BPF_INCLUDE_DIR)
  _bpfxx_vmlinux_h(vmlinux_dir vmlinux_target)

  # bpf/uapi: bpfxx's own <linux/bpf.h>, newer than the system's, for
  # programs that include it instead of vmlinux.h.
  set(flags -target bpf -g -O2 -Wall -D__TARGET_ARCH_${arg_ARCH} -I${vmlinux_dir} -I${include_dir}
            -I${include_dir}/bpf/uapi)
  # <linux/types.h>, for programs that use the uapi headers instead of
  # vmlinux.h, pulls <asm/types.h> from the multiarch directory, which
  # clang -target bpf does not search by itself.
  if(CMAKE_LIBRARY_ARCHITECTURE AND EXISTS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/asm/types.h)
    list(APPEND flags -idirafter /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  foreach(dir IN LISTS arg_INCLUDES)
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND flags -I${dir})
  endforeach()
  foreach(def IN LISTS arg_DEFINES)
    list(APPEND flags -D${def})
  endforeach()
  list(APPEND flags ${arg_COMPILE_OPTIONS})

  set(objects "")
  foreach(src IN LISTS arg_SOURCES)
    get_filename_component(src "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(name "${src}" NAME)
    string(REGEX REPLACE "(\\.bpf)?\\.c$" "" name "${name}")
    set(obj "${arg_OUTPUT_DIR}/${name}.bpf.o")
    add_custom_command(OUTPUT "${obj}"
      COMMAND ${BPFXX_BPF_CLANG} ${flags} -MD -MF "${obj}.d" -c "${src}" -o "${obj}"
      DEPENDS "${src}" ${vmlinux_target}
      DEPFILE "${obj}.d"
      COMMENT "Compiling BPF object ${name}.bpf.o"
      VERBATIM)
    set_property(GLOBAL PROPERTY "_bpfxx_object_target:${obj}" ${target})
    list(APPEND objects "${obj}")
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${objects})
  set_target_properties(${target} PROPERTIES BPF_OBJECTS "${objects}")
endfunction()

function(bpfxx_add_skeleton target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "BPF_OBJECT;NAME" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "bpfxx_add_skeleton(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_BPF_OBJECT)
    message(FATAL_ERROR "bpfxx_add_skeleton(${target}): BPF_OBJECT is required")
  endif()
  # BPF_OBJECT names a bpfxx_add_bpf_object() target with one object, or
  # an object file (made by such a target or already there).
  set(object_target "")
  if(TARGET ${arg_BPF_OBJECT})
    get_target_property(obj ${arg_BPF_OBJECT} BPF_OBJECTS)
    list(LENGTH obj count)
    if(NOT obj OR NOT count EQUAL 1)
      message(FATAL_ERROR "bpfxx_add_skeleton(${target}): target ${arg_BPF_OBJECT} does not hold "
                          "exactly one BPF object; give the object's path")
    endif()
    set(object_target ${arg_BPF_OBJECT})
  else()
    get_filename_component(obj "${arg_BPF_OBJECT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    get_property(object_target GLOBAL PROPERTY "_bpfxx_object_target:${obj}")
    if(NOT object_target AND NOT EXISTS "${obj}")
      message(FATAL_ERROR "bpfxx_add_skeleton(${target}): BPF_OBJECT '${arg_BPF_OBJECT}' is neither "
                          "a bpfxx_add_bpf_object() target nor an object file (${obj})")
    endif()
  endif()
  if(NOT arg_NAME)
    get_filename_component(arg_NAME "${obj}" NAME)
    string(REGEX REPLACE "(\\.bpf)?\\.o$" "" arg_NAME "${arg_NAME}")
    string(MAKE_C_IDENTIFIER "${arg_NAME}" arg_NAME)
  endif()

  if(BPFXX_SKELETON_GENERATOR)
    set(generator "${BPFXX_SKELETON_GENERATOR}")
    set(generator_depends "")
  else()
    _bpfxx_tool(generator generator_depends)
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(header "${dir}/${arg_NAME}.skel.h")
  _bpfxx_redirect(run "${header}" ${generator} gen skeleton "${obj}" name ${arg_NAME})
  file(MAKE_DIRECTORY "${dir}")
  add_custom_command(OUTPUT "${header}"
    COMMAND ${run}
    DEPENDS "${obj}" ${object_target} ${generator_depends}
    COMMENT "Generating skeleton ${arg_NAME}.skel.h"
    VERBATIM)
  add_library(${target} INTERFACE "${header}")
  target_include_directories(${target} INTERFACE "${dir}")
  if(object_target)
    add_dependencies(${target} ${object_target})
  endif()
endfunction()
