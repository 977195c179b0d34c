// What tests/cuda/fake_backend.cpp records of the calls that carry a plan, so the routing tests
// can check that the core's front-end reached the right entry with the CPU's plan. The fake
// exports fake_backend_last_line_call, fake_backend_last_gemm_call and
// fake_backend_last_random_call (found with dlsym).
#pragma once

#include "cuda/backend_api.h"

// The last call of softmax, softmax_backward, scan or triangle.
struct FakeLineCall {
    char entry[32];            // "softmax", "softmax_backward", "scan", "triangle"; "" before the first
    compute_cuda_lines lines;
    int32_t flag;              // softmax*: log; scan: the compute_cuda_scan_op; triangle: upper
    int64_t param;             // triangle: diagonal
    const void* inputs[2];     // in (scan, softmax); grad_out and out (softmax_backward)
    void* out;
};

typedef const FakeLineCall* (*FakeLastLineCallFn)(void);
#define FAKE_BACKEND_LAST_LINE_CALL "fake_backend_last_line_call"

// The last call of gemm, and how many there were.
struct FakeGemmCall {
    int64_t calls;             // gemm calls so far
    compute_cuda_gemm gemm;    // the arguments of the last one
};

typedef const FakeGemmCall* (*FakeLastGemmCallFn)(void);
#define FAKE_BACKEND_LAST_GEMM_CALL "fake_backend_last_gemm_call"

// The last call of random, and how many there were (the fake computes the fill on the host).
struct FakeRandomCall {
    int64_t calls;
    compute_cuda_random random;
};

typedef const FakeRandomCall* (*FakeLastRandomCallFn)(void);
#define FAKE_BACKEND_LAST_RANDOM_CALL "fake_backend_last_random_call"

// Switches the fake's host kernels (fill, copy, binary, gemm, and the SUM / MEAN / AMAX / AMIN row
// reductions) on or off; off by default, so those entries fail with "no kernels".
typedef void (*FakeSetHostKernelsFn)(int32_t on);
#define FAKE_BACKEND_SET_HOST_KERNELS "fake_backend_set_host_kernels"
