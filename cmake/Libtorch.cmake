# libtorch from the torch wheel of the project's virtual environment (scripts/setup.sh
# passes Torch_DIR). The wheel's include directory also carries private copies of fmt,
# protobuf and pybind11 headers; on the include path they would shadow Debian's fmt
# (used by spdlog) and protobuf (used by the ONNX library). So the libtorch targets get a
# private include directory that only links the libtorch headers themselves.
#
# Debian's protobuf is found first: Caffe2's CMake package otherwise defines
# protobuf::libprotobuf as an empty stand-in target.
find_package(Protobuf REQUIRED)
find_package(Torch 2.13 REQUIRED)

set(T2O_TORCH_INCLUDE_DIR ${CMAKE_BINARY_DIR}/libtorch-include)
file(MAKE_DIRECTORY ${T2O_TORCH_INCLUDE_DIR})
foreach(entry ATen c10 caffe2 torch)
  if(NOT EXISTS ${T2O_TORCH_INCLUDE_DIR}/${entry})
    file(CREATE_LINK ${TORCH_INSTALL_PREFIX}/include/${entry} ${T2O_TORCH_INCLUDE_DIR}/${entry} SYMBOLIC)
  endif()
endforeach()

foreach(target torch torch_cpu c10 torch_cpu_library)
  if(TARGET ${target})
    get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
    if(dirs)
      list(TRANSFORM dirs REPLACE "^${TORCH_INSTALL_PREFIX}/include" "${T2O_TORCH_INCLUDE_DIR}")
      set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${dirs}")
    endif()
  endif()
endforeach()

# The wheel's MKL is linked into libtorch_cpu; its CMake target only adds search paths
# under an empty MKL_ROOT (/lib/intel64, ...).
if(TARGET caffe2::mkl)
  set_target_properties(caffe2::mkl PROPERTIES INTERFACE_LINK_DIRECTORIES "" INTERFACE_LINK_LIBRARIES "")
endif()
