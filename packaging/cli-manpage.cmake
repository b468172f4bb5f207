# Writes the tasktrail-cli(1) man page from the CLI's own help, so the page says what the
# binary does: `tasktrail-cli --help` for the synopsis and description, and each verb's
# `tasktrail-cli VERB --help` in a VERBS section, followed by the help of each of its sub-verbs
# that has one of its own (`tasktrail-cli findings triage --help`, `policy load --help`, ...). help2man lays the page out when it is
# installed (HELP2MAN); otherwise this script writes the same sections itself.
#
#   cmake -DCLI=path/to/tasktrail-cli -DHELP2MAN=/usr/bin/help2man -DGZIP=/usr/bin/gzip
#         -DVERSION=0.1.0 -DOUT=tasktrail-cli.1.gz -P cli-manpage.cmake
foreach(var CLI OUT VERSION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "cli-manpage.cmake: ${var} is not set")
  endif()
endforeach()

set(ENV{QT_QPA_PLATFORM} offscreen)
set(ENV{LC_ALL} C.UTF-8)

# try_help(out ARGS...): the help `tasktrail-cli ARGS... --help` prints, or empty when it
# fails; run_help() stops the build then.
function(try_help out)
  execute_process(COMMAND "${CLI}" ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  # Usage lines name the binary by the path it was run from; the page names the command.
  string(REPLACE "${CLI}" "tasktrail-cli" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(run_help out)
  try_help(text ${ARGN})
  if(text STREQUAL "")
    execute_process(COMMAND "${CLI}" ${ARGN} --help RESULT_VARIABLE rc ERROR_VARIABLE err)
    message(FATAL_ERROR "cli-manpage.cmake: '${CLI} ${ARGN} --help' failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Text shown as is: backslashes escaped, and a line starting with '.' or ' not a request.
function(roff_verbatim out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

run_help(top)
# The verbs are the lines "  name  description" under "Verbs:".
string(REGEX MATCH "Verbs:\n(.*)\n\n" verb_block "${top}")
set(verb_text "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "\n  [a-z][a-z-]*" verb_lines "\n${verb_text}")
# A verb's sub-verbs are among the words of its line under "Verbs:" (e.g. "triage" in
# "findings  conformance findings (...); triage ID...") and the first words of its help's
# indented lines (e.g. "load" in "  load PATH...  validate files ..."): those whose
# `VERB WORD --help` prints a help of its own, not the verb's. --help is read before any
# action, so asking runs none.
set(verbs_section "")
foreach(line IN LISTS verb_lines)
  string(STRIP "${line}" verb)
  run_help(help ${verb})
  roff_verbatim(body "${help}")
  string(APPEND verbs_section ".SS ${verb}\n${body}")
  string(REGEX MATCH "\n  ${verb} +([^\n]*)" summary "\n${verb_text}")
  set(summary "${CMAKE_MATCH_1}")
  string(REGEX MATCHALL "[a-z][a-z-]+" words "${summary}")
  string(REGEX MATCHALL "\n  [a-z][a-z-]+ " indented "\n${help}")
  foreach(word IN LISTS indented)
    string(STRIP "${word}" word)
    list(APPEND words "${word}")
  endforeach()
  list(REMOVE_DUPLICATES words)
  foreach(sub IN LISTS words)
    try_help(sub_help ${verb} ${sub})
    if(sub_help STREQUAL "" OR sub_help STREQUAL help)
      continue()
    endif()
    roff_verbatim(body "${sub_help}")
    string(APPEND verbs_section ".SS ${verb} ${sub}\n${body}")
  endforeach()
endforeach()
if(verbs_section STREQUAL "")
  message(FATAL_ERROR "cli-manpage.cmake: no verbs found in '${CLI} --help'")
endif()

get_filename_component(dir "${OUT}" DIRECTORY)
string(REGEX REPLACE "\\.gz$" "" page "${OUT}")
set(include "${dir}/tasktrail-cli.h2m")
file(WRITE "${include}" "[VERBS]\n${verbs_section}
[ENVIRONMENT]
.TP
.B TASKTRAIL_DB
The database used when no \\fB--db\\fR is given.
")
set(name "records, launches and explains coding-agent tasks from the command line")
if(HELP2MAN)
  execute_process(COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section=1
                          --name=${name} --version-string=${VERSION} --include=${include}
                          --output=${page} "${CLI}"
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cli-manpage.cmake: help2man failed (${rc}): ${err}")
  endif()
  # help2man names the program by the path it ran; the page names the command.
  file(READ "${page}" text)
  string(REPLACE "${CLI}" "tasktrail-cli" text "${text}")
  file(WRITE "${page}" "${text}")
else()
  roff_verbatim(description "${top}")
  file(READ "${include}" sections)
  string(REGEX REPLACE "(^|\n)\\[([A-Z ]+)\\]\n" "\\1.SH \\2\n" sections "${sections}")
  file(WRITE "${page}" ".TH TASKTRAIL-CLI 1 \"\" \"tasktrail-cli ${VERSION}\" \"User Commands\"
.SH NAME
tasktrail-cli \\- ${name}
.SH SYNOPSIS
.B tasktrail-cli
\\fIVERB\\fR [\\fIOPTIONS\\fR]
.SH DESCRIPTION
${description}${sections}")
endif()

if(GZIP)
  # -n: no name or time stamp inside, so the same page gives the same bytes.
  execute_process(COMMAND "${GZIP}" -9 -n -f "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cli-manpage.cmake: gzip failed (${rc})")
  endif()
endif()
