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

// Each block of up to 512 elements runs `fast` when `ok` (a predicate on the opmath inputs)
// holds for every element of it, else `exact`. Deciding per block before writing anything keeps
// in-place ops right (out may alias an input) and costs one vectorised pass over the block
// while it is in L1.
template <typename out_t, typename... in_t, typename Ok, typename Fast, typename Exact>
auto checked_pointwise_loop(Ok ok, Fast fast, Exact exact) {
    return [ok, fast, exact](char** data, const int64_t* s, int64_t n) {
        constexpr int64_t kBlock = 512;
        constexpr size_t N = sizeof...(in_t);
        using Seq = std::index_sequence_for<in_t...>;
        const auto all_ok = [&ok](int64_t len, auto... in) {
            bool all = true;
            for (int64_t i = 0; i < len; ++i) all &= ok(in[i]...);
            return all;
        };
        const bool dense = [s]<size_t... I>(std::index_sequence<I...>) {
            return (... && (s[I + 1] == static_cast<int64_t>(sizeof(in_t))));
        }(Seq{});
        for (int64_t start = 0; start < n; start += kBlock) {
            const int64_t len = std::min(kBlock, n - start);
            char* d[N + 1];
            for (size_t i = 0; i <= N; ++i) d[i] = data[i] + start * s[i];
            const bool block_ok = [&]<size_t... I>(std::index_sequence<I...>) {
                return dense ? all_ok(len, Dense<in_t>{reinterpret_cast<const in_t*>(d[I + 1])}...)
                             : all_ok(len, Strided<in_t>{d[I + 1], s[I + 1]}...);
            }(Seq{});
            if (block_ok) Pointwise<out_t, in_t...>::run(d, s, len, fast, Seq{});
            else Pointwise<out_t, in_t...>::run(d, s, len, exact, Seq{});
        }
    };
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
