# Warnings and sanitizers shared by every target of the project.
function(compute_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${COMPUTE_WERROR}>:/WX>)
  else()
    # C and C++ only: nvcc (CUDA sources of compute_cuda) takes its warning flags differently.
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C,CXX>:-Wall -Wextra -Wpedantic -Wshadow=local
      $<$<BOOL:${COMPUTE_WERROR}>:-Werror>
      # GCC 12 reports a false -Wrestrict inside libstdc++'s std::string at -O3 (GCC bug 105329).
      $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>>)
  endif()
endfunction()

if(COMPUTE_SANITIZE AND NOT MSVC)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
