// Runtime ISA dispatch. A DispatchStub holds one function pointer per instruction-set level
// (baseline, avx2, avx512). Kernel files under cpu/kernels/ are compiled once per level and
// register their function with CMP_REGISTER_KERNEL; the first call picks the best level this
// CPU supports (COMPUTE_CPU_ISA=baseline|avx2|avx512 forces a lower one, for tests).
#pragma once

#include "core/error.h"

#include <atomic>

namespace cmp::cpu {

constexpr int kIsaLevels = 3;  // 0 baseline, 1 avx2, 2 avx512
int selected_isa_level();      // computed once from cpuid and COMPUTE_CPU_ISA
const char* isa_level_name(int level);

template <typename Fn>
class DispatchStub {
public:
    explicit constexpr DispatchStub(const char* name) : name_(name) {}

    void set(int level, Fn fn) { table_[level] = fn; }
    // The kernel compiled for one level (null when that level was not built): tests use it to
    // compare the variants with each other on one machine. Never call a level above
    // selected_isa_level() unless the CPU is known to support it.
    Fn at(int level) const { return level >= 0 && level < kIsaLevels ? table_[level] : nullptr; }

    template <typename... Args>
    decltype(auto) operator()(Args&&... args) {
        Fn fn = chosen_.load(std::memory_order_acquire);
        if (!fn) fn = choose();
        return fn(std::forward<Args>(args)...);
    }

private:
    Fn choose() {
        for (int level = selected_isa_level(); level >= 0; --level) {
            if (table_[level]) {
                chosen_.store(table_[level], std::memory_order_release);
                return table_[level];
            }
        }
        fail(CMP_STATUS_INTERNAL_ERROR, str("no CPU kernel registered for ", name_));
    }

    const char* name_;
    Fn table_[kIsaLevels] = {};
    std::atomic<Fn> chosen_{nullptr};
};

#define CMP_DECLARE_STUB(name, fn_type) \
    using name##_fn = fn_type;          \
    extern ::cmp::cpu::DispatchStub<name##_fn> name

#define CMP_DEFINE_STUB(name) ::cmp::cpu::DispatchStub<name##_fn> name(#name)

// Inside a kernel file: registers fn for the level this translation unit is compiled for.
#define CMP_REGISTER_KERNEL(stub, fn)                                             \
    namespace {                                                                   \
    const bool stub##_registered_##CMP_ISA_NAME = [] {                            \
        stub.set(CMP_ISA_LEVEL, fn);                                              \
        return true;                                                              \
    }();                                                                          \
    }

}  // namespace cmp::cpu
