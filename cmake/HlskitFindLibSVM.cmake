# libsvm 3.24 (Debian's libsvm-dev) has neither a CMake nor a pkg-config file: LibSVM::svm from
# the library and svm.h (in /usr/include/libsvm/ on Debian), as cmake/HlskitDeps.cmake does for the
# build; used by the installed hlskitConfig.cmake.
if(NOT TARGET LibSVM::svm)
  find_library(SVM_LIBRARY svm REQUIRED)
  find_path(SVM_INCLUDE_DIR svm.h PATH_SUFFIXES libsvm REQUIRED)
  add_library(LibSVM::svm UNKNOWN IMPORTED)
  set_target_properties(LibSVM::svm PROPERTIES IMPORTED_LOCATION "${SVM_LIBRARY}"
                                               INTERFACE_INCLUDE_DIRECTORIES "${SVM_INCLUDE_DIR}")
endif()
