# Extract the integration-test tarballs from SRC into DST (once; re-extracts
# when a tarball is newer than the stamp).
file(MAKE_DIRECTORY ${DST})
foreach(tarball corpus-tests corpus-tests-json-schemas corpus-tests-validation)
  set(src ${SRC}/${tarball}.tar.gz)
  set(stamp ${DST}/.${tarball}.stamp)
  if(EXISTS ${src} AND (NOT EXISTS ${stamp} OR ${src} IS_NEWER_THAN ${stamp}))
    message(STATUS "extracting ${src}")
    file(ARCHIVE_EXTRACT INPUT ${src} DESTINATION ${DST})
    file(TOUCH ${stamp})
  endif()
endforeach()
