# Per-ISA kernel compilation. Every .cpp under the kernels folder is compiled once per
# instruction set with that set's flags and CMP_ISA_NAME/CMP_ISA_LEVEL defined; the files
# register their functions with the dispatch stubs (native/src/cpu/dispatch_stub.h) and the
# best level the CPU supports is chosen once, at load.
#
# Inline functions from shared headers (std::vector, Half conversions...) are emitted in every
# variant as COMDAT sections, and the linker keeps the first copy it sees. The baseline objects
# (the library's own sources, then the baseline kernels) are linked before the avx2/avx512 ones,
# so the copies kept are baseline code and a CPU without AVX-512 never runs an AVX-512 copy.
# Keep "baseline" first in isa_list. Templates in cpu/loops.h live in a namespace named after
# the ISA, so each variant keeps its own vectorised copy of those.
function(compute_add_isa_kernels target dir)
  file(GLOB kernel_sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
    if(MSVC)
      set(isa_list "baseline;avx2;avx512")
      set(flags_baseline "")
      set(flags_avx2 "/arch:AVX2")
      set(flags_avx512 "/arch:AVX512")
    else()
      set(isa_list "baseline;avx2;avx512")
      set(flags_baseline "")
      set(flags_avx2 "-mavx2;-mfma;-mf16c")
      set(flags_avx512 "-mavx512f;-mavx512bw;-mavx512vl;-mavx512dq;-mavx2;-mfma;-mf16c;-mprefer-vector-width=512")
    endif()
  else()
    # arm64 and others: NEON is the baseline there, one variant.
    set(isa_list "baseline")
    set(flags_baseline "")
  endif()
  set(level 0)
  foreach(isa IN LISTS isa_list)
    set(objlib ${target}_kernels_${isa})
    add_library(${objlib} OBJECT ${kernel_sources})
    target_include_directories(${objlib} PRIVATE
      ${CMAKE_CURRENT_SOURCE_DIR}/native/include ${CMAKE_CURRENT_SOURCE_DIR}/native/src)
    target_compile_definitions(${objlib} PRIVATE CMP_ISA_NAME=${isa} CMP_ISA_LEVEL=${level} COMPUTE_BUILDING_LIBRARY)
    # -fno-trapping-math and -fno-math-errno change no result (kernels neither read the FP
    # exception flags nor errno); without them GCC will not if-convert a select whose arms
    # hold FP operations that could raise a flag, nor inline sqrt, and such loops stay scalar
    # (log, erfc, sqrt ran 7-10x slower than PyTorch).
    target_compile_options(${objlib} PRIVATE ${flags_${isa}}
      $<$<NOT:$<CXX_COMPILER_ID:MSVC>>:-O3 -fno-trapping-math -fno-math-errno>)
    compute_set_warnings(${objlib})
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${objlib}>)
    math(EXPR level "${level} + 1")
  endforeach()
  set(COMPUTE_ISA_LIST "${isa_list}" PARENT_SCOPE)
endfunction()
