// Runs kernels written in the plain subset of CUDA on the host, so that the fake backend can
// execute the real device code (cuda/flash_attention.cuh) and the routing tests can compare it
// with the CPU where no GPU exists.
//
// The subset: threadIdx / blockIdx / blockDim / gridDim (x only), __shared__ variables declared
// in the kernel body, __syncthreads() reached by every thread of the block, and ordinary
// arithmetic; no warp intrinsics, atomics or dynamic shared memory. A launch starts one host
// thread per CUDA thread of a block; they run the blocks one after another, meeting at a barrier
// for each __syncthreads() and after each block. __shared__ becomes `static`: one copy per
// kernel, which is the block's shared memory because blocks never overlap and launches are
// serialised. Races that a GPU would show (a missing __syncthreads) are real races here too, so
// ThreadSanitizer or a wrong result finds them; what this cannot show is speed, or a kernel
// exceeding a GPU's register and shared-memory limits (the kernels static_assert the latter).
//
// Include this before the kernels' header, and only in host-only translation units.
#pragma once

#include <barrier>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__CUDACC__)
#error "simt_emulator.h is for host compilers only"
#endif

namespace simt {

struct Dim3 {
    unsigned x = 0, y = 0, z = 0;
};

inline thread_local Dim3 thread_idx;
inline thread_local Dim3 block_idx;
inline thread_local std::barrier<>* block_barrier = nullptr;
inline Dim3 block_dim{1, 1, 1};
inline Dim3 grid_dim{1, 1, 1};

inline void sync_threads() { block_barrier->arrive_and_wait(); }

// kernel(args...) for every thread of `blocks` blocks of `threads` threads, then returns.
template <typename... Params, typename... Args>
void launch(void (*kernel)(Params...), unsigned blocks, unsigned threads, const Args&... args) {
    static std::mutex serial;  // one launch at a time: the kernels' static shared memory
    std::lock_guard<std::mutex> lock(serial);
    if (blocks == 0 || threads == 0) return;
    block_dim = {threads, 1, 1};
    grid_dim = {blocks, 1, 1};
    std::barrier<> barrier(static_cast<std::ptrdiff_t>(threads));
    std::vector<std::thread> team;
    team.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
        team.emplace_back([&, t] {
            thread_idx = {t, 0, 0};
            block_barrier = &barrier;
            for (unsigned b = 0; b < blocks; ++b) {
                block_idx = {b, 0, 0};
                kernel(args...);
                barrier.arrive_and_wait();  // nobody starts the next block while one reads shared memory
            }
        });
    }
    for (std::thread& th : team) th.join();
}

}  // namespace simt

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __syncthreads() ::simt::sync_threads()
#define threadIdx (::simt::thread_idx)
#define blockIdx (::simt::block_idx)
#define blockDim (::simt::block_dim)
#define gridDim (::simt::grid_dim)
