// Chooses the CPU instruction-set level once per process: the best the CPU supports, lowered
// (never raised) by COMPUTE_CPU_ISA so tests can exercise every compiled variant.
#include "cpu/dispatch_stub.h"

#include <cstdlib>
#include <cstring>

namespace cmp::cpu {

namespace {

int detect_level() {
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#if defined(__GNUC__) || defined(__clang__)
    __builtin_cpu_init();
    // Must match the flags cmake/IsaDispatch.cmake compiles each level with.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) return 1;
#endif
#endif
    return 0;  // arm64 and others compile one (baseline) variant
}

// COMPUTE_CPU_ISA names a level; unknown names are ignored (the library must still load).
int env_level() {
    const char* env = std::getenv("COMPUTE_CPU_ISA");
    if (!env) return kIsaLevels - 1;
    for (int level = 0; level < kIsaLevels; ++level)
        if (std::strcmp(env, isa_level_name(level)) == 0) return level;
    return kIsaLevels - 1;
}

}  // namespace

int selected_isa_level() {
    static const int level = [] {
        int hw = detect_level();
        int forced = env_level();
        return forced < hw ? forced : hw;
    }();
    return level;
}

const char* isa_level_name(int level) {
    switch (level) {
        case 0: return "baseline";
        case 1: return "avx2";
        case 2: return "avx512";
        default: return "unknown";
    }
}

}  // namespace cmp::cpu
