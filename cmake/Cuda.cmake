# The CUDA backend, libcompute_cuda: a separate shared library the core loads at run time
# (native/src/core/cuda_runtime.cpp), so libcompute itself never links CUDA.
#
#   -DCOMPUTE_CUDA=AUTO (default)  build it when a CUDA toolkit (nvcc) is found
#   -DCOMPUTE_CUDA=ON              require it (configure fails without a toolkit)
#   -DCOMPUTE_CUDA=OFF             never build it
#
# Targets sm_80, sm_86, sm_89 and sm_90 as SASS plus sm_90 PTX (which newer GPUs JIT), with the
# CUDA runtime linked statically: the library needs only the driver (libcuda.so) at run time,
# and loads (reporting no device) where there is none.
set(COMPUTE_CUDA AUTO CACHE STRING "Build the CUDA backend library compute_cuda: AUTO, ON or OFF")
set_property(CACHE COMPUTE_CUDA PROPERTY STRINGS AUTO ON OFF)
set(COMPUTE_CUDA_ARCHITECTURES "80-real;86-real;89-real;90-real;90-virtual" CACHE STRING
    "CUDA architectures of compute_cuda (CMAKE_CUDA_ARCHITECTURES syntax)")
set(COMPUTE_CUDA_BUILT OFF)

if(NOT COMPUTE_CUDA STREQUAL "OFF")
  # Debian's CUDA 11.8 accepts host compilers up to GCC 11 / clang 14, and Debian 12's g++ is
  # 12: use clang-14 as nvcc's host compiler when it is there and nothing else was chosen.
  # (Newer toolkits accept the system g++, and keep working with clang-14 too.)
  if(CMAKE_CUDA_HOST_COMPILER)
    set(ENV{CUDAHOSTCXX} ${CMAKE_CUDA_HOST_COMPILER})
  elseif(NOT DEFINED ENV{CUDAHOSTCXX})
    find_program(COMPUTE_CLANGXX_14 NAMES clang++-14)
    if(COMPUTE_CLANGXX_14)
      set(CMAKE_CUDA_HOST_COMPILER ${COMPUTE_CLANGXX_14} CACHE FILEPATH "Host compiler of nvcc")
      # check_language's probe project sees the environment, not this cache entry (CMake 3.25).
      set(ENV{CUDAHOSTCXX} ${COMPUTE_CLANGXX_14})
    endif()
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    set(COMPUTE_CUDA_BUILT ON)
  elseif(COMPUTE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "COMPUTE_CUDA=ON but no CUDA compiler was found: install a CUDA toolkit "
                        "(tools/install_cuda_toolkit.sh on Debian) or set CMAKE_CUDA_COMPILER")
  else()
    message(STATUS "compute_cuda: no CUDA toolkit found, the CUDA backend is not built")
  endif()
endif()

if(COMPUTE_CUDA_BUILT)
  find_package(CUDAToolkit REQUIRED)
  # Kernels are .cu files (nvcc); host-only code (allocator, devices, the table) is .cpp, built
  # by the project's C++ compiler against the CUDA runtime API.
  file(GLOB COMPUTE_CUDA_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/native/src/cuda/*.cu
                                                   ${CMAKE_CURRENT_SOURCE_DIR}/native/src/cuda/*.cpp)
  add_library(compute_cuda SHARED ${COMPUTE_CUDA_SOURCES})
  add_library(Compute::compute_cuda ALIAS compute_cuda)
  target_include_directories(compute_cuda PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/native/include
                                                  ${CMAKE_CURRENT_SOURCE_DIR}/native/src)
  set_target_properties(compute_cuda PROPERTIES
    CUDA_ARCHITECTURES "${COMPUTE_CUDA_ARCHITECTURES}"
    CUDA_STANDARD 17
    CUDA_STANDARD_REQUIRED ON
    CUDA_RUNTIME_LIBRARY Static
    CUDA_VISIBILITY_PRESET hidden
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR})
  # Fatbins compressed (nvcc -Xfatbin=-compress-all): the SASS of 4 architectures plus PTX is
  # most of the library; the driver decompresses a module when it loads it. The library got
  # about 4x smaller (98 MB -> 24 MB; docs/CUDA.md, "Package size").
  target_compile_options(compute_cuda PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:-Xfatbin=-compress-all>)
  # Warnings: nvcc's own (all-warnings as errors) and the host compiler's, through -Xcompiler.
  target_compile_options(compute_cuda PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>
    $<$<AND:$<COMPILE_LANGUAGE:CUDA>,$<BOOL:${COMPUTE_WERROR}>>:--Werror=all-warnings -Xcompiler=-Werror>)
  compute_set_warnings(compute_cuda)
  # cuBLAS for the matrix products and cuBLASLt for the bias epilogue (cuda/gemm_lt.cpp), linked
  # dynamically (NVIDIA's redistributable libcublas / libcublasLt, not bundled): only compute_cuda
  # needs them, never the core.
  if(NOT TARGET CUDA::cublas OR NOT TARGET CUDA::cublasLt)
    message(FATAL_ERROR "compute_cuda: the CUDA toolkit at ${CUDAToolkit_LIBRARY_DIR} has no cuBLAS (libcublas, libcublasLt); "
                        "install it (Debian: libcublas11 and its -dev part come with nvidia-cuda-toolkit; NVIDIA's "
                        "toolkit: the libcublas-dev package) or configure with -DCOMPUTE_CUDA=OFF")
  endif()
  target_link_libraries(compute_cuda PRIVATE CUDA::cudart_static CUDA::cublas CUDA::cublasLt Threads::Threads ${CMAKE_DL_LIBS})
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(compute_cuda PRIVATE -Wl,--no-undefined)
  endif()
  message(STATUS "compute_cuda: CUDA ${CMAKE_CUDA_COMPILER_VERSION} (${CMAKE_CUDA_COMPILER}), host compiler "
                 "${CMAKE_CUDA_HOST_COMPILER}, architectures ${COMPUTE_CUDA_ARCHITECTURES}")
endif()
