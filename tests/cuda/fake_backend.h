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

// What the fake saw of streams, events and pinned memory (tests/cuda/fake_streams.cpp): which
// stream each allocation, copy and launch named, and the pinned blocks' records.
struct FakeStreamLog {
    int64_t streams_created;
    void* allocate_stream;        // stream and block of the last device allocation
    void* allocate_ptr;
    void* memcpy_stream;          // stream and async flag of the last memcpy
    int32_t memcpy_async;
    int64_t memcpy_calls;
    void* launch_stream;          // the iter stream of the last fill / copy / unary / binary
    int64_t pinned_live;          // pinned blocks allocated and not yet freed
    int64_t pinned_allocations;
    int64_t host_records;
    void* host_record_ptr;        // the last host_record's block, device and stream
    int32_t host_record_device;
    void* host_record_stream;
    void* wait_stream;            // the last stream_wait_event's pair
    void* wait_event;
    void* record_event;           // the last event_record's pair
    void* record_stream;
    int64_t stream_uses;          // record_stream calls, and the last one's block and stream
    void* stream_use_ptr;
    void* stream_use_stream;
};

typedef const FakeStreamLog* (*FakeStreamLogFn)(void);
#define FAKE_BACKEND_STREAM_LOG "fake_backend_stream_log"

// A stream made outside the library (a program's own cudaStreamCreate) and its destruction.
typedef void* (*FakeExternalStreamFn)(int32_t priority);
#define FAKE_BACKEND_EXTERNAL_STREAM "fake_backend_external_stream"
typedef void (*FakeDestroyExternalStreamFn)(void* stream);
#define FAKE_BACKEND_DESTROY_EXTERNAL_STREAM "fake_backend_destroy_external_stream"
