// The inner loop for pointwise ops whose vectorised form holds only on some inputs (fmod's
// fmod_fast, sin's argument reduction), built on the loops of cpu/loops.h.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/checked_loop.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/loops.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Each block of up to 512 elements runs `fastest` when `ok_fastest` (a predicate on the opmath
// inputs) holds for every element of it, else `fast` when `ok` does, else `exact`: for sin, a
// float-lane path for small arguments, the double-lane one up to 2^26, the C library beyond.
// Deciding per block before writing anything keeps in-place ops right (out may alias an input)
// and costs one vectorised pass over the block (both predicates at once) while it is in L1.
template <typename out_t, typename... in_t, typename OkFastest, typename Fastest, typename Ok, typename Fast,
          typename Exact>
auto tiered_pointwise_loop(OkFastest ok_fastest, Fastest fastest, Ok ok, Fast fast, Exact exact) {
    return [ok_fastest, fastest, ok, fast, exact](char** data, const int64_t* s, int64_t n) {
        constexpr int64_t kBlock = 512;
        constexpr size_t N = sizeof...(in_t);
        using Seq = std::index_sequence_for<in_t...>;
        struct Verdict {
            bool fastest, fast;
        };
        // int flags or'ed, not bools and'ed: GCC 12 vectorises the former only (the scalar
        // check had cost more than sin itself).
        const auto check = [&](int64_t len, auto... in) {
            int miss_fastest = 0, miss = 0;
            for (int64_t i = 0; i < len; ++i) {
                miss_fastest |= !ok_fastest(in[i]...);
                miss |= !ok(in[i]...);
            }
            return Verdict{miss_fastest == 0, miss == 0};
        };
        const bool dense = [s]<size_t... I>(std::index_sequence<I...>) {
            return (... && (s[I + 1] == static_cast<int64_t>(sizeof(in_t))));
        }(Seq{});
        for (int64_t start = 0; start < n; start += kBlock) {
            const int64_t len = std::min(kBlock, n - start);
            char* d[N + 1];
            for (size_t i = 0; i <= N; ++i) d[i] = data[i] + start * s[i];
            const Verdict v = [&]<size_t... I>(std::index_sequence<I...>) {
                return dense ? check(len, Dense<in_t>{reinterpret_cast<const in_t*>(d[I + 1])}...)
                             : check(len, Strided<in_t>{d[I + 1], s[I + 1]}...);
            }(Seq{});
            if (v.fastest) Pointwise<out_t, in_t...>::run(d, s, len, fastest, Seq{});
            else if (v.fast) Pointwise<out_t, in_t...>::run(d, s, len, fast, Seq{});
            else Pointwise<out_t, in_t...>::run(d, s, len, exact, Seq{});
        }
    };
}

// Two tiers: `fast` on the blocks where `ok` holds for every element, `exact` on the others
// (fmod's fmod_fast, sin's double lanes). The never-true first tier costs nothing: its check
// folds away.
template <typename out_t, typename... in_t, typename Ok, typename Fast, typename Exact>
auto checked_pointwise_loop(Ok ok, Fast fast, Exact exact) {
    return tiered_pointwise_loop<out_t, in_t...>([](auto...) { return false; }, fast, ok, fast, exact);
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
