// A stand-in for libcompute_cuda used by the CPU-only tests: it implements the backend table
// (cuda/backend_api.h) with host memory as "device" memory and no kernels, so the core's
// routing can be tested where no GPU exists: loading and the version check, storage through
// the backend's allocator and its statistics, host <-> device copies, and the refusal of ops
// without CUDA support. The random fills, the optimizer steps, the fused activation derivatives and the
// pointwise losses are the exceptions: the fake computes them on the host from core/philox_values.h,
// cpu/optim_update.h, cpu/activation_backward_math.h and cpu/nn_loss_math.h, as the real kernels do on the device, and so are layer, RMS and
// group norm (row_norm, row_norm_backward: cuda/row_norm.cu's passes, one thread, with cpu/row_norm_math.h's
// formulas), gather, scatter and embedding_backward (cuda/index.cu's element order, roundings and bad-position rule), and pool
// (cuda/pool_window.h's per-element passes, as cuda/pool.cu runs them), interpolate (cuda/interp_taps.h's) and grid_sample (cuda/grid_sample_math.h's), so the routing tests can
// compare every value with the CPU's (which cannot tell a wrong seed, offset or count apart
// from a right one otherwise). Built twice: as a correct backend, and with FAKE_BACKEND_VERSION set to
// another interface version for the mismatch test. Never shipped. The entries with a plan
// (softmax, softmax_backward, scan, triangle, gemm) record it (fake_backend.h) before they fail.
// class_loss runs cuda/class_loss_rows.h on the host, the row functions of cuda/class_loss.cu.
// randperm and multinomial run cuda/randperm_multinomial.cu's passes on the host (philox_u64 keys
// and a stable sort; core/multinomial_rows.h's sums, picks and keys). nonzero and advanced_index run
// cuda/nonzero.cu's and cuda/advanced_index.cu's passes with cuda/advanced_index_walk.h's walk.
// sort and search run cpu/sort_key.h's keys (a stable sort of each row) and bisection on the host.
// attention, batch_norm and their backward entries are cuda/flash_attention.cuh's and
// cuda/batch_norm.cuh's kernels themselves, run on the host by tests/cuda/simt_emulator.h
// (fake_emulated.cpp).
#include "fake_backend.h"
#include "fake_emulated.h"
#include "fake_streams.h"

#include "core/dtype.h"
#include "core/half.h"
#include "core/multinomial_rows.h"
#include "core/philox_values.h"
#include "cpu/activation_backward_math.h"
#include "cpu/nn_loss_math.h"
#include "cpu/row_norm_math.h"
#include "cpu/sort_key.h"
#include "cpu/unary_math_list.h"
#include "cuda/advanced_index_walk.h"
#include "cuda/class_loss_rows.h"
#include "cuda/grid_sample_math.h"
#include "cuda/im2col_index.h"
#include "cuda/interp_taps.h"
#include "cuda/optim_args.h"
#include "cuda/pool_window.h"
#include "cuda/scatter_combine.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#ifndef FAKE_BACKEND_VERSION
#define FAKE_BACKEND_VERSION COMPUTE_CUDA_BACKEND_VERSION
#endif

namespace {

std::mutex g_mutex;
std::unordered_map<void*, int64_t> g_live;
cmp_memory_stats g_stats{};
thread_local std::string g_error;

int32_t error(int32_t status, const char* message) {
    g_error = message;
    return status;
}

const char* last_error() { return g_error.c_str(); }
int32_t runtime_version() { return 0; }
int32_t device_count() { return 1; }
const char* unavailable_reason() { return ""; }

int32_t device_properties(int32_t, compute_cuda_device_properties* out) {
    *out = {};
    std::strcpy(out->name, "fake device (host memory)");
    return CMP_STATUS_OK;
}

int32_t ok_device(int32_t) { return CMP_STATUS_OK; }
int32_t set_reclaim_hook(compute_cuda_reclaim_fn, void*) { return CMP_STATUS_OK; }

int32_t allocate(int32_t device, int64_t nbytes, void* stream, void** out) {
    *out = nullptr;
    if (device != 0) return error(CMP_STATUS_DEVICE_ERROR, "fake backend: no such device");
    if (nbytes == 0) return CMP_STATUS_OK;
    void* p = std::malloc(static_cast<size_t>(nbytes));
    if (!p) return error(CMP_STATUS_OUT_OF_MEMORY, "fake backend: out of memory");
    std::lock_guard lock(g_mutex);
    g_live[p] = nbytes;
    g_stats.allocated += nbytes;
    g_stats.reserved += nbytes;
    if (g_stats.allocated > g_stats.peak_allocated) g_stats.peak_allocated = g_stats.allocated;
    *out = p;
    fake_streams::note_allocate(stream, p);
    return CMP_STATUS_OK;
}

int32_t deallocate(void* p) {
    if (!p) return CMP_STATUS_OK;
    std::lock_guard lock(g_mutex);
    auto it = g_live.find(p);
    if (it == g_live.end()) return error(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown pointer");
    g_stats.allocated -= it->second;
    g_stats.reserved -= it->second;
    g_live.erase(it);
    std::free(p);
    return CMP_STATUS_OK;
}

int32_t memory_stats(int32_t, cmp_memory_stats* out) {
    std::lock_guard lock(g_mutex);
    *out = g_stats;
    return CMP_STATUS_OK;
}

// A 16 GiB device of which the fake's live blocks are used.
constexpr int64_t kFakeDeviceBytes = int64_t{16} << 30;

int32_t mem_get_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes) {
    if (device != 0) return error(CMP_STATUS_DEVICE_ERROR, "fake backend: no such device");
    std::lock_guard lock(g_mutex);
    *total_bytes = kFakeDeviceBytes;
    *free_bytes = kFakeDeviceBytes - g_stats.reserved;
    return CMP_STATUS_OK;
}

int32_t copy_bytes(int32_t, void* dst, const void* src, int64_t nbytes, void* stream, int32_t async) {
    fake_streams::note_memcpy(stream, async);
    if (nbytes > 0) std::memcpy(dst, src, static_cast<size_t>(nbytes));
    return CMP_STATUS_OK;
}


constexpr const char* kNoKernels = "fake backend: no kernels";
// The host kernels (below) are off by default; fake_backend_set_host_kernels switches them on.
bool g_host_kernels = false;
int32_t sum_rows(int32_t, void*, const void*, int32_t, void*, int32_t, int64_t, int64_t) {
    return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
}

int32_t clamp(const compute_cuda_iter*, int32_t, int32_t) { return error(CMP_STATUS_DEVICE_ERROR, kNoKernels); }

int32_t masked_fill(const compute_cuda_iter*, cmp_scalar) { return error(CMP_STATUS_DEVICE_ERROR, kNoKernels); }
int32_t binary_math(const compute_cuda_iter*, int32_t) { return error(CMP_STATUS_DEVICE_ERROR, kNoKernels); }
int32_t ternary_math(const compute_cuda_iter*, int32_t, cmp_scalar) { return error(CMP_STATUS_DEVICE_ERROR, kNoKernels); }
int32_t reduce_rows(int32_t, void*, const void*, int32_t, void*, int32_t, int64_t, int64_t, int32_t) {
    return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
}

FakeLineCall g_line_call{};

int32_t record_line_call(const char* entry, const compute_cuda_lines* lines, int32_t flag, const void* in0,
                         const void* in1, void* out, int64_t param = 0) {
    std::lock_guard lock(g_mutex);
    g_line_call = {};
    std::strncpy(g_line_call.entry, entry, sizeof(g_line_call.entry) - 1);
    g_line_call.lines = *lines;
    g_line_call.flag = flag;
    g_line_call.param = param;
    g_line_call.inputs[0] = in0;
    g_line_call.inputs[1] = in1;
    g_line_call.out = out;
    return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
}

int32_t softmax_backward(const compute_cuda_lines* lines, const void* grad_out, const void* out, void* grad_in,
                         int32_t log) {
    return record_line_call("softmax_backward", lines, log, grad_out, out, grad_in);
}
int32_t scan(const compute_cuda_lines* lines, const void* in, void* out, int32_t op) {
    return record_line_call("scan", lines, op, in, nullptr, out);
}
int32_t triangle(const compute_cuda_lines* lines, const void* in, void* out, int64_t diagonal, int32_t upper) {
    return record_line_call("triangle", lines, upper, in, nullptr, out, diagonal);
}

FakeGemmCall g_gemm_call{};
FakeRandomCall g_random_call{};

// cuda/im2col.cu on the host: the same element functions (cuda/im2col_index.h), element by element.
template <typename T>
void im2col_typed(const compute_cuda_im2col& d) {
    for (int64_t i = 0; i < d.n; ++i) {
        if (d.col2im)
            cmp::cuda_im2col::col2im_element(d, i, static_cast<const T*>(d.in), static_cast<const T*>(d.bias),
                                             static_cast<T*>(d.out));
        else
            cmp::cuda_im2col::im2col_element(d, i, static_cast<const T*>(d.in), static_cast<T*>(d.out));
    }
}
int32_t im2col(const compute_cuda_im2col* d) {
    switch (d->dtype) {
        case CMP_DTYPE_FLOAT32: im2col_typed<float>(*d); return CMP_STATUS_OK;
        case CMP_DTYPE_FLOAT64: im2col_typed<double>(*d); return CMP_STATUS_OK;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: im2col of a dtype other than float32 / float64");
    }
}

// out[i] = value(block, e, i) for the fill's elements, E per block, as random.cu's kernel.
template <typename T, typename Value>
void fill_blocks(const compute_cuda_random& r, int per_block, const Value& value) {
    auto* out = static_cast<T*>(r.out);
    for (int64_t i = 0; i < r.n; ++i) {
        const cmp::PhiloxBlock b = cmp::philox_block(r.seed, r.offset + static_cast<uint64_t>(i / per_block));
        out[i] = value(b, static_cast<int>(i % per_block), i);
    }
}

// An int64 (randint's value, bernoulli's 0 / 1) stored as T, as the CPU kernels store it.
template <typename T>
T from_int(int64_t v) {
    if constexpr (std::is_same_v<T, cmp::Half> || std::is_same_v<T, cmp::BFloat16>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}

template <typename T>
void fill_counted(const compute_cuda_random& r) {
    if (r.op == COMPUTE_CUDA_RANDOM_RANDINT) {
        fill_blocks<T>(r, 2, [&](const cmp::PhiloxBlock& b, int e, int64_t) {
            return from_int<T>(cmp::philox_randint(b, e, r.low, r.range));
        });
        return;
    }
    fill_blocks<T>(r, 2, [&](const cmp::PhiloxBlock& b, int e, int64_t i) {
        double p = r.p_all;
        if (r.p) p = r.p_dtype == CMP_DTYPE_FLOAT32 ? static_cast<const float*>(r.p)[i] : static_cast<const double*>(r.p)[i];
        return from_int<T>(cmp::philox_bernoulli(b, e, p) ? 1 : 0);
    });
}

// A double stored as T: float64 as it is, the other floating types through float32.
template <typename T>
T store_floating(double v) {
    if constexpr (std::is_same_v<T, double>) return v;
    else return T(static_cast<float>(v));
}

template <typename T>
void fill_floating(const compute_cuda_random& r, cmp::PhiloxFloat k) {
    const bool normal = r.op == COMPUTE_CUDA_RANDOM_RANDN || r.op == COMPUTE_CUDA_RANDOM_NORMAL;
    const bool affine = r.op == COMPUTE_CUDA_RANDOM_NORMAL || r.op == COMPUTE_CUDA_RANDOM_UNIFORM;
    fill_blocks<T>(r, cmp::philox_per_block(k), [&](const cmp::PhiloxBlock& b, int e, int64_t) {
        const T v = store_floating<T>(normal ? cmp::philox_randn(b, e, k) : cmp::philox_rand(b, e, k));
        if (!affine) return v;
        double held;  // v as the dtype holds it
        if constexpr (std::is_same_v<T, double>) held = v;
        else held = static_cast<double>(static_cast<float>(v));
        return store_floating<T>(cmp::philox_affine(held, r.shift, r.scale));
    });
}

int32_t random(const compute_cuda_random* r) {
    {
        std::lock_guard lock(g_mutex);
        ++g_random_call.calls;
        g_random_call.random = *r;
    }
    switch (r->op) {
        case COMPUTE_CUDA_RANDOM_RAND:
        case COMPUTE_CUDA_RANDOM_RANDN:
        case COMPUTE_CUDA_RANDOM_NORMAL:
        case COMPUTE_CUDA_RANDOM_UNIFORM:
            switch (r->dtype) {
                case CMP_DTYPE_FLOAT32: fill_floating<float>(*r, cmp::PhiloxFloat::Float32); break;
                case CMP_DTYPE_FLOAT64: fill_floating<double>(*r, cmp::PhiloxFloat::Float64); break;
                case CMP_DTYPE_FLOAT16: fill_floating<cmp::Half>(*r, cmp::PhiloxFloat::Float16); break;
                case CMP_DTYPE_BFLOAT16: fill_floating<cmp::BFloat16>(*r, cmp::PhiloxFloat::BFloat16); break;
                default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: rand of a non-floating dtype");
            }
            return CMP_STATUS_OK;
        case COMPUTE_CUDA_RANDOM_RANDINT:
        case COMPUTE_CUDA_RANDOM_BERNOULLI:
            switch (r->dtype) {
                case CMP_DTYPE_FLOAT32: fill_counted<float>(*r); break;
                case CMP_DTYPE_FLOAT64: fill_counted<double>(*r); break;
                case CMP_DTYPE_FLOAT16: fill_counted<cmp::Half>(*r); break;
                case CMP_DTYPE_BFLOAT16: fill_counted<cmp::BFloat16>(*r); break;
                case CMP_DTYPE_INT64: fill_counted<int64_t>(*r); break;
                case CMP_DTYPE_INT32: fill_counted<int32_t>(*r); break;
                case CMP_DTYPE_INT16: fill_counted<int16_t>(*r); break;
                case CMP_DTYPE_INT8: fill_counted<int8_t>(*r); break;
                case CMP_DTYPE_UINT8: fill_counted<uint8_t>(*r); break;
                case CMP_DTYPE_BOOL: fill_counted<bool>(*r); break;
                default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: unknown dtype");
            }
            return CMP_STATUS_OK;
        case COMPUTE_CUDA_RANDOM_KEEP:
            fill_blocks<bool>(*r, 4, [&](const cmp::PhiloxBlock& b, int e, int64_t) { return cmp::philox_keep(b, e, r->threshold); });
            return CMP_STATUS_OK;
        default: return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: unknown random op");
    }
}

// cuda/optim.cu's step on the host: the update of o's optimizer for every element.
template <typename T>
int32_t optim_typed(const compute_cuda_optim& o) {
    using A = cmp::opmath_t<T>;
    namespace c = cmp::cpu;
    namespace args = cmp::cuda_optim;
    auto* p = static_cast<T*>(o.param);
    const auto* g = static_cast<const T*>(o.grad);
    auto *s0 = static_cast<T*>(o.state0), *s1 = static_cast<T*>(o.state1), *s2 = static_cast<T*>(o.state2);
    auto each = [&](const auto& update) {
        for (int64_t i = 0; i < o.n; ++i) update(i);
        return CMP_STATUS_OK;
    };
    switch (o.op) {
        case COMPUTE_CUDA_OPTIM_SGD: {
            const auto k = c::sgd_consts<A>(args::sgd_args(o));
            return each([&](int64_t i) { c::sgd_update(k, p, g, s0, i); });
        }
        case COMPUTE_CUDA_OPTIM_ADAM: {
            const auto k = c::adam_consts<A>(args::adam_args(o));
            return each([&](int64_t i) { c::adam_update(k, p, g, s0, s1, s2, i); });
        }
        case COMPUTE_CUDA_OPTIM_RMSPROP: {
            const auto k = c::rmsprop_consts<A>(args::rmsprop_args(o));
            return each([&](int64_t i) { c::rmsprop_update(k, p, g, s0, s1, s2, i); });
        }
        case COMPUTE_CUDA_OPTIM_ADAGRAD: {
            const auto k = c::adagrad_consts<A>(args::adagrad_args(o));
            return each([&](int64_t i) { c::adagrad_update(k, p, g, s0, i); });
        }
        default: return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: unknown optimizer");
    }
}

// body(T{}) for the host type T of a floating dtype; other dtypes fail naming what.
template <typename Body>
int32_t with_floating(int32_t dtype, const char* what, const Body& body) {
    switch (dtype) {
        case CMP_DTYPE_FLOAT32: return body(float{});
        case CMP_DTYPE_FLOAT64: return body(double{});
        case CMP_DTYPE_FLOAT16: return body(cmp::Half{});
        case CMP_DTYPE_BFLOAT16: return body(cmp::BFloat16{});
        default: return error(CMP_STATUS_DTYPE_MISMATCH, what);
    }
}

int32_t optim_step(const compute_cuda_optim* o) {
    return with_floating(o->dtype, "fake backend: optim_step of a non-floating dtype",
                         [&](auto zero) { return optim_typed<decltype(zero)>(*o); });
}

// cuda/row_norm.cu on the host: per row, the mean, then the sum of squared deviations (two passes in A), then
// the outputs; the backward's row sums, grad_in, then each parameter's terms in order.
template <typename T>
struct RowNormHost {
    using A = cmp::opmath_t<T>;
    const compute_cuda_row_norm& d;

    A param(const void* p, int64_t r, int64_t e, A missing) const {
        if (!p) return missing;
        return static_cast<A>(static_cast<const T*>(p)[cmp::cpu::row_norm::param_index(d.groups, d.channels, d.inner, r, e)]);
    }
    A at(const void* p, int64_t i) const { return static_cast<A>(static_cast<const T*>(p)[i]); }

    void forward() const {
        namespace rn = cmp::cpu::row_norm;
        const int64_t n = d.row_len;
        auto* mean = static_cast<A*>(d.mean);
        auto* rstd = static_cast<A*>(d.rstd);
        auto* y = static_cast<T*>(d.y);
        for (int64_t r = 0; r < d.rows; ++r) {
            const int64_t base = r * n;
            A mu = 0, sq = 0;
            if (!d.rms && n > 0) {
                for (int64_t k = 0; k < n; ++k) mu += at(d.x, base + k);
                mu /= static_cast<A>(n);
            }
            for (int64_t k = 0; k < n; ++k) sq += (at(d.x, base + k) - mu) * (at(d.x, base + k) - mu);
            const A var = n > 0 ? sq / static_cast<A>(n) : d.rms ? static_cast<A>(NAN) : A(0);
            const A rs = rn::rstd_of(var, static_cast<A>(d.eps));
            if (mean) mean[r] = mu;
            rstd[r] = rs;
            for (int64_t k = 0; k < n; ++k)
                y[base + k] = static_cast<T>(rn::normalized(at(d.x, base + k), mu, rs, param(d.weight, r, k, A(1)),
                                                            param(d.bias, r, k, A(0))));
        }
    }

    void backward() const {
        namespace rn = cmp::cpu::row_norm;
        const int64_t n = d.row_len;
        const auto* mean = static_cast<const A*>(d.mean);
        const auto* rstd = static_cast<const A*>(d.rstd);
        auto* gi = static_cast<T*>(d.grad_in);
        for (int64_t r = 0; r < d.rows && n > 0; ++r) {
            const int64_t base = r * n;
            const A mu = mean ? mean[r] : A(0), rs = rstd[r];
            A dyw = 0, dyw_xhat = 0;
            for (int64_t k = 0; k < n; ++k) {
                const A dw = at(d.grad_out, base + k) * param(d.weight, r, k, A(1));
                dyw += dw;
                dyw_xhat += dw * rn::xhat_of(at(d.x, base + k), mu, rs);
            }
            const A a = d.rms ? A(0) : dyw / static_cast<A>(n), bq = dyw_xhat / static_cast<A>(n);
            for (int64_t k = 0; k < n; ++k)
                gi[base + k] = static_cast<T>(rn::grad_input(at(d.grad_out, base + k), param(d.weight, r, k, A(1)),
                                                             rn::xhat_of(at(d.x, base + k), mu, rs), rs, a, bq));
        }
        auto* gw = static_cast<T*>(d.grad_weight);
        auto* gb = static_cast<T*>(d.grad_bias);
        for (int64_t p = 0; p < d.groups * d.channels; ++p) {
            const int64_t group = p / d.channels, k = p % d.channels;
            A sw = 0, sb = 0;
            for (int64_t batch = 0; batch < d.rows / d.groups; ++batch) {
                const int64_t r = batch * d.groups + group;
                for (int64_t i = 0; i < d.inner; ++i) {
                    const int64_t e = r * n + k * d.inner + i;
                    sw += at(d.grad_out, e) * rn::xhat_of(at(d.x, e), mean ? mean[r] : A(0), rstd[r]);
                    sb += at(d.grad_out, e);
                }
            }
            if (gw) gw[p] = static_cast<T>(sw);
            if (gb) gb[p] = static_cast<T>(sb);
        }
    }
};

template <bool Backward>
int32_t row_norm_entry(const compute_cuda_row_norm* d) {
    return with_floating(d->dtype, "fake backend: row_norm of a non-floating dtype", [&](auto zero) {
        const RowNormHost<decltype(zero)> h{*d};
        if (Backward) h.backward();
        else h.forward();
        return CMP_STATUS_OK;
    });
}

// cuda/class_loss.cu's pass on the host: the same row functions, one row at a time.
template <typename T>
int32_t class_loss_typed(const compute_cuda_class_loss& c) {
    namespace cl = cmp::class_loss;
    unsigned long long bad = cl::kNoRow;
    const auto rows = cl::rows_of<T, cmp::opmath_t<T>>(c, c.prob_target ? nullptr : &bad);
    for (int64_t r = 0; r < c.n; ++r) {
        const int64_t base = cl::base_of(r, c.classes, c.inner);
        if (c.backward) rows.backward(cl::SerialGroup{}, base);
        else rows.forward(cl::SerialGroup{}, base);
    }
    if (bad == cl::kNoRow) return CMP_STATUS_OK;
    const int64_t row = static_cast<int64_t>(bad);
    return error(CMP_STATUS_INDEX_OUT_OF_RANGE,
                 cl::out_of_range(static_cast<const int64_t*>(c.target)[row], c.classes, row).c_str());
}

int32_t class_loss(const compute_cuda_class_loss* c) {
    return with_floating(c->dtype, "fake backend: class_loss of a non-floating dtype",
                         [&](auto zero) { return class_loss_typed<decltype(zero)>(*c); });
}

// ---- elementwise entries computed on the host ---------------------------------------------

// The shared formulas' math on the host: the C library (the CPU kernels use their vectorisable
// approximations, the CUDA kernels the CUDA library; all agree within a few ulps).
struct HostMath {
#define CMP_HOST_MATH(name)              \
    template <typename M>                \
    static M name(M x) {                 \
        return std::name(x);             \
    }
    CMP_HOST_MATH(exp)
    CMP_HOST_MATH(tanh)
    CMP_HOST_MATH(log)
    CMP_HOST_MATH(log1p)
    CMP_HOST_MATH(fabs)
#undef CMP_HOST_MATH
    template <typename M>
    static M sigmoid(M x) { return M(1) / (M(1) + std::exp(-x)); }
    // Phi(x) = erfc(-x / sqrt 2) / 2, accurate where Phi is tiny too.
    template <typename M>
    static M normal_cdf(M x) { return M(0.5) * std::erfc(-x * M(0.70710678118654752440)); }
};

struct LossHostMath : HostMath {
    template <typename M>
    static M log_scalar(M x) { return std::log(x); }
    template <typename M>
    static M log1p_scalar(M x) { return std::log1p(x); }
};

// f(offsets) for every element of the iteration as cuda/elementwise.cuh walks it: shape and
// byte strides innermost first, broadcast operands with stride 0.
template <typename F>
void host_walk(const compute_cuda_iter& it, const F& f) {
    for (int64_t i = 0; i < it.numel; ++i) {
        int64_t off[COMPUTE_CUDA_MAX_OPERANDS] = {};
        int64_t rest = i;
        for (int d = 0; d < it.ndim; ++d) {
            const int64_t idx = rest % it.shape[d];
            rest /= it.shape[d];
            for (int k = 0; k < it.noperands; ++k) off[k] += idx * it.strides[k][d];
        }
        f(off);
    }
}

// Operand 0 = f(inputs) over the iteration, every operand of storage type T, the inputs read as
// opmath values in[0 .. noperands - 1).
template <typename T, typename F>
void host_each(const compute_cuda_iter& it, const F& f) {
    using M = cmp::opmath_t<T>;
    host_walk(it, [&](const int64_t* off) {
        M in[COMPUTE_CUDA_MAX_OPERANDS] = {};
        for (int k = 1; k < it.noperands; ++k)
            in[k - 1] = static_cast<M>(*reinterpret_cast<const T*>(static_cast<const char*>(it.data[k]) + off[k]));
        const M r = f(in);
        if constexpr (std::is_same_v<T, M>) *reinterpret_cast<T*>(static_cast<char*>(it.data[0]) + off[0]) = r;
        else *reinterpret_cast<T*>(static_cast<char*>(it.data[0]) + off[0]) = T(static_cast<float>(r));
    });
}

// fn.template operator()<T>() for a floating dtype, every operand of the iteration in it.
template <typename Fn>
int32_t on_floating(const compute_cuda_iter& it, const char* what, const Fn& fn) {
    for (int k = 1; k < it.noperands; ++k)
        if (it.dtypes[k] != it.dtypes[0]) return error(CMP_STATUS_INTERNAL_ERROR, what);
    switch (it.dtypes[0]) {
        case CMP_DTYPE_FLOAT32: fn.template operator()<float>(); break;
        case CMP_DTYPE_FLOAT64: fn.template operator()<double>(); break;
        case CMP_DTYPE_FLOAT16: fn.template operator()<cmp::Half>(); break;
        case CMP_DTYPE_BFLOAT16: fn.template operator()<cmp::BFloat16>(); break;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, what);
    }
    return CMP_STATUS_OK;
}

// ---- host kernels for the losses' routing tests ----------------------------------------------
//
// Off by default (the tests of "no kernels" messages keep them), switched on by
// fake_backend_set_host_kernels for the loss tests: fill, copy (casts), binary and the row
// reductions SUM, MEAN, AMAX, AMIN and ANY, which the loss front-ends run around their kernel
// (reductions, BCE's range check, broadcast gradients summed back, dtype conversions). Values go
// through double, so casts and single operations give the CPU's results; sums are added in
// another order than the CPU's (the tests compare those within a tolerance). The attention
// composition for heads above 256 (tests/cuda/compose_cases.h) also uses exp / neg / log, the
// comparisons, where, the LOGSUMEXP rows, softmax and gemm, and the training steps of
// tests/cuda/train_cases.h relu, all computed in double here (the tests compare them within a
// tolerance). (Batch norm's composition needed sqrt / rsqrt / reciprocal and the VAR rows; its
// fused kernels run on the emulator, fake_emulated.cpp.)

double load(int32_t dt, const void* p) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: return *static_cast<const float*>(p);
        case CMP_DTYPE_FLOAT64: return *static_cast<const double*>(p);
        case CMP_DTYPE_FLOAT16: return static_cast<float>(*static_cast<const cmp::Half*>(p));
        case CMP_DTYPE_BFLOAT16: return static_cast<float>(*static_cast<const cmp::BFloat16*>(p));
        case CMP_DTYPE_INT64: return static_cast<double>(*static_cast<const int64_t*>(p));
        case CMP_DTYPE_INT32: return *static_cast<const int32_t*>(p);
        case CMP_DTYPE_INT16: return *static_cast<const int16_t*>(p);
        case CMP_DTYPE_INT8: return *static_cast<const int8_t*>(p);
        case CMP_DTYPE_UINT8: return *static_cast<const uint8_t*>(p);
        case CMP_DTYPE_BOOL: return *static_cast<const bool*>(p) ? 1.0 : 0.0;
        default: return 0.0;
    }
}

void store(int32_t dt, void* p, double v) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: *static_cast<float*>(p) = static_cast<float>(v); break;
        case CMP_DTYPE_FLOAT64: *static_cast<double*>(p) = v; break;
        case CMP_DTYPE_FLOAT16: *static_cast<cmp::Half*>(p) = cmp::Half(static_cast<float>(v)); break;
        case CMP_DTYPE_BFLOAT16: *static_cast<cmp::BFloat16*>(p) = cmp::BFloat16(static_cast<float>(v)); break;
        case CMP_DTYPE_INT64: *static_cast<int64_t*>(p) = static_cast<int64_t>(v); break;
        case CMP_DTYPE_INT32: *static_cast<int32_t*>(p) = static_cast<int32_t>(v); break;
        case CMP_DTYPE_INT16: *static_cast<int16_t*>(p) = static_cast<int16_t>(v); break;
        case CMP_DTYPE_INT8: *static_cast<int8_t*>(p) = static_cast<int8_t>(v); break;
        case CMP_DTYPE_UINT8: *static_cast<uint8_t*>(p) = static_cast<uint8_t>(v); break;
        case CMP_DTYPE_BOOL: *static_cast<bool*>(p) = v != 0.0; break;
        default: break;
    }
}

int64_t size_of(int32_t dt) {
    switch (dt) {
        case CMP_DTYPE_FLOAT64:
        case CMP_DTYPE_INT64: return 8;
        case CMP_DTYPE_FLOAT32:
        case CMP_DTYPE_INT32: return 4;
        case CMP_DTYPE_FLOAT16:
        case CMP_DTYPE_BFLOAT16:
        case CMP_DTYPE_INT16: return 2;
        default: return 1;
    }
}

// Operand 0 = f(operand values as double) over the iteration, any dtypes.
template <typename F>
void host_each_double(const compute_cuda_iter& it, const F& f) {
    host_walk(it, [&](const int64_t* off) {
        double in[COMPUTE_CUDA_MAX_OPERANDS] = {};
        for (int k = 1; k < it.noperands; ++k) in[k - 1] = load(it.dtypes[k], static_cast<const char*>(it.data[k]) + off[k]);
        store(it.dtypes[0], static_cast<char*>(it.data[0]) + off[0], f(in));
    });
}

int32_t fill(const compute_cuda_iter* it, cmp_scalar value) {
    fake_streams::note_launch(it->stream);
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    const double v = value.kind == CMP_SCALAR_FLOAT ? value.f : static_cast<double>(value.i);
    host_each_double(*it, [&](const double*) { return v; });
    return CMP_STATUS_OK;
}

int32_t copy(const compute_cuda_iter* it) {
    fake_streams::note_launch(it->stream);
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    host_each_double(*it, [](const double* in) { return in[0]; });
    return CMP_STATUS_OK;
}

int32_t binary(const compute_cuda_iter* it, int32_t op, cmp_scalar alpha) {
    fake_streams::note_launch(it->stream);
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    const double a = alpha.kind == CMP_SCALAR_FLOAT ? alpha.f : static_cast<double>(alpha.i);
    switch (op) {
        case COMPUTE_CUDA_BINARY_ADD: host_each_double(*it, [&](const double* in) { return in[0] + a * in[1]; }); break;
        case COMPUTE_CUDA_BINARY_MUL: host_each_double(*it, [](const double* in) { return in[0] * in[1]; }); break;
        case COMPUTE_CUDA_BINARY_DIV: host_each_double(*it, [](const double* in) { return in[0] / in[1]; }); break;
        default: return error(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown binary op");
    }
    return CMP_STATUS_OK;
}

// A LOGSUMEXP row in double: max, then the sum of exp(x - max); a row of -inf only gives -inf.
double host_logsumexp(int32_t in_dtype, const char* row, int64_t n) {
    const int64_t size = size_of(in_dtype);
    auto at = [&](int64_t j) { return load(in_dtype, row + j * size); };
    double m = -INFINITY;
    for (int64_t j = 0; j < n; ++j) m = std::isnan(at(j)) || std::isnan(m) ? NAN : std::max(m, at(j));
    if (std::isinf(m) || std::isnan(m)) return m;
    double s = 0.0;
    for (int64_t j = 0; j < n; ++j) s += std::exp(at(j) - m);
    return m + std::log(s);
}

// A NORM row of ord p in double: the count of non-zeros (0), the largest or smallest |x|
// (+-inf, NaN propagating), else (sum |x|^p)^(1/p).
double host_norm(int32_t in_dtype, const char* row, int64_t n, double p) {
    const int64_t size = size_of(in_dtype);
    double acc = std::isinf(p) && p < 0 ? INFINITY : 0.0;
    for (int64_t j = 0; j < n; ++j) {
        const double a = std::fabs(load(in_dtype, row + j * size));
        if (std::isnan(a) || std::isnan(acc)) acc = NAN;
        else if (p == 0.0) acc += a != 0.0 ? 1.0 : 0.0;
        else if (std::isinf(p)) acc = p > 0 ? std::max(acc, a) : std::min(acc, a);
        else acc += std::pow(a, p);
    }
    return p == 0.0 || std::isinf(p) || std::isnan(acc) ? acc : std::pow(acc, 1.0 / p);
}

int32_t reduce_rows_args(int32_t, void*, const void* in, int32_t in_dtype, void* out, int32_t out_dtype, int64_t rows,
                         int64_t row_len, int32_t op, const compute_cuda_reduce_args* args) {
    const bool known = op == COMPUTE_CUDA_REDUCE_SUM || op == COMPUTE_CUDA_REDUCE_MEAN || op == COMPUTE_CUDA_REDUCE_AMAX ||
                       op == COMPUTE_CUDA_REDUCE_AMIN || op == COMPUTE_CUDA_REDUCE_LOGSUMEXP ||
                       op == COMPUTE_CUDA_REDUCE_ANY || op == COMPUTE_CUDA_REDUCE_NORM;
    if (!g_host_kernels || !known) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    const int64_t in_size = size_of(in_dtype), out_size = size_of(out_dtype);
    if (op == COMPUTE_CUDA_REDUCE_LOGSUMEXP) {
        for (int64_t r = 0; r < rows; ++r)
            store(out_dtype, static_cast<char*>(out) + r * out_size,
                  host_logsumexp(in_dtype, static_cast<const char*>(in) + r * row_len * in_size, row_len));
        return CMP_STATUS_OK;
    }
    if (op == COMPUTE_CUDA_REDUCE_NORM) {
        for (int64_t r = 0; r < rows; ++r)
            store(out_dtype, static_cast<char*>(out) + r * out_size,
                  host_norm(in_dtype, static_cast<const char*>(in) + r * row_len * in_size, row_len, args ? args->param : 0.0));
        return CMP_STATUS_OK;
    }
    for (int64_t r = 0; r < rows; ++r) {
        double acc = op == COMPUTE_CUDA_REDUCE_AMAX ? -INFINITY : op == COMPUTE_CUDA_REDUCE_AMIN ? INFINITY : 0.0;
        for (int64_t j = 0; j < row_len; ++j) {
            const double v = load(in_dtype, static_cast<const char*>(in) + (r * row_len + j) * in_size);
            if (op == COMPUTE_CUDA_REDUCE_AMAX) acc = std::isnan(acc) || std::isnan(v) ? NAN : std::max(acc, v);
            else if (op == COMPUTE_CUDA_REDUCE_AMIN) acc = std::isnan(acc) || std::isnan(v) ? NAN : std::min(acc, v);
            else if (op == COMPUTE_CUDA_REDUCE_ANY) acc = acc != 0.0 || v != 0.0 ? 1.0 : 0.0;
            else acc += v;
        }
        if (op == COMPUTE_CUDA_REDUCE_MEAN) acc /= static_cast<double>(row_len);
        store(out_dtype, static_cast<char*>(out) + r * out_size, acc);
    }
    return CMP_STATUS_OK;
}

int32_t unary(const compute_cuda_iter* it, int32_t op) {
    fake_streams::note_launch(it->stream);
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    if (op == COMPUTE_CUDA_UNARY_EXP) host_each_double(*it, [](const double* in) { return std::exp(in[0]); });
    else host_each_double(*it, [](const double* in) { return -in[0]; });
    return CMP_STATUS_OK;
}

int32_t unary_math(const compute_cuda_iter* it, int32_t op, const compute_cuda_unary_params*) {
    using U = cmp::cpu::UnaryMathOp;
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    switch (static_cast<U>(op)) {
        case U::Log: host_each_double(*it, [](const double* in) { return std::log(in[0]); }); break;
        case U::Relu: host_each_double(*it, [](const double* in) { return in[0] > 0.0 || std::isnan(in[0]) ? in[0] : 0.0; }); break;
        default: return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    }
    return CMP_STATUS_OK;
}

int32_t compare(const compute_cuda_iter* it, int32_t op) {
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    host_each_double(*it, [op](const double* in) {
        switch (op) {
            case COMPUTE_CUDA_COMPARE_EQ: return in[0] == in[1] ? 1.0 : 0.0;
            case COMPUTE_CUDA_COMPARE_NE: return in[0] != in[1] ? 1.0 : 0.0;
            case COMPUTE_CUDA_COMPARE_LT: return in[0] < in[1] ? 1.0 : 0.0;
            case COMPUTE_CUDA_COMPARE_LE: return in[0] <= in[1] ? 1.0 : 0.0;
            case COMPUTE_CUDA_COMPARE_GT: return in[0] > in[1] ? 1.0 : 0.0;
            default: return in[0] >= in[1] ? 1.0 : 0.0;
        }
    });
    return CMP_STATUS_OK;
}

int32_t where(const compute_cuda_iter* it) {
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    host_each_double(*it, [](const double* in) { return in[0] != 0.0 ? in[1] : in[2]; });
    return CMP_STATUS_OK;
}

// cuda/softmax.cu's passes in double over each [outer, dim, inner] line: the max m (a NaN never
// becomes m but reaches every output through the sum), s = sum exp(x - m), then exp(x - m) / s
// or (x - m) - log(s).
int32_t softmax(const compute_cuda_lines* lines, const void* in, void* out, int32_t log) {
    if (!g_host_kernels) return record_line_call("softmax", lines, log, in, nullptr, out);
    const int64_t size = size_of(lines->dtype);
    for (int64_t o = 0; o < lines->outer; ++o)
        for (int64_t i = 0; i < lines->inner; ++i) {
            auto at = [&](int64_t j) { return (o * lines->dim + j) * lines->inner + i; };
            auto x = [&](int64_t j) { return load(lines->dtype, static_cast<const char*>(in) + at(j) * size); };
            double m = -INFINITY, s = 0.0;
            for (int64_t j = 0; j < lines->dim; ++j) m = x(j) > m ? x(j) : m;
            for (int64_t j = 0; j < lines->dim; ++j) s += std::exp(x(j) - m);
            for (int64_t j = 0; j < lines->dim; ++j)
                store(lines->dtype, static_cast<char*>(out) + at(j) * size,
                      log ? (x(j) - m) - std::log(s) : std::exp(x(j) - m) / s);
        }
    return CMP_STATUS_OK;
}

// c = alpha * a @ b + beta * c (+ bias[j] with the BIAS epilogue) per batch entry, in double (c not
// read for beta 0).
int32_t gemm(const compute_cuda_gemm* g) {
    {
        std::lock_guard lock(g_mutex);
        ++g_gemm_call.calls;
        g_gemm_call.gemm = *g;
    }
    if (!g_host_kernels) return error(CMP_STATUS_DEVICE_ERROR, kNoKernels);
    const int64_t size = size_of(g->dtype);
    auto at = [&](const compute_cuda_matrices& mat, int64_t b, int64_t i, int64_t j) {
        return static_cast<char*>(mat.data) + (b * mat.batch_stride + i * mat.row_stride + j * mat.col_stride) * size;
    };
    for (int64_t b = 0; b < g->batch; ++b)
        for (int64_t i = 0; i < g->m; ++i)
            for (int64_t j = 0; j < g->n; ++j) {
                double acc = 0.0;
                for (int64_t p = 0; p < g->k; ++p) acc += load(g->dtype, at(g->a, b, i, p)) * load(g->dtype, at(g->b, b, p, j));
                double v = g->alpha * acc;
                if (g->beta != 0.0) v += g->beta * load(g->dtype, at(g->c, b, i, j));
                if (g->epilogue == COMPUTE_CUDA_GEMM_EPILOGUE_BIAS)
                    v += load(g->dtype, static_cast<const char*>(g->bias) + j * size);
                store(g->dtype, at(g->c, b, i, j), v);
            }
    return CMP_STATUS_OK;
}

// cuda/activation_backward.cu on the host: the same table and formulas.
int32_t activation_backward(const compute_cuda_iter* it, int32_t op_value, const compute_cuda_activation_params* p) {
    namespace c = cmp::cpu;
    if (!c::act_grad::known_activation_backward_op(op_value))
        return error(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown activation_backward op");
    if (it->noperands != 3) return error(CMP_STATUS_INTERNAL_ERROR, "fake backend: activation_backward takes 3 operands");
    const auto op = static_cast<c::ActivationBackwardOp>(op_value);
    return on_floating(*it, "fake backend: activation_backward of mixed or non-floating dtypes", [&]<typename T>() {
        using M = cmp::opmath_t<T>;
        const auto k = c::activation_coefs<M>(op, {p->a, p->b, p->c});
        host_each<T>(*it, [&](const M* in) { return c::act_grad::apply<HostMath>(op, in[0], in[1], k); });
    });
}

// cuda/pointwise_loss.cu on the host: the same formulas and the same element assembly.
int32_t pointwise_loss(const compute_cuda_iter* it, const compute_cuda_loss_args* a) {
    namespace lm = cmp::cpu::loss_math;
    if (!lm::known_loss(a->op)) return error(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown loss");
    const int expected = 3 + (a->backward ? 1 : 0) + (a->has_weight ? 1 : 0) + (a->has_pos_weight ? 1 : 0);
    if (it->noperands != expected) return error(CMP_STATUS_INTERNAL_ERROR, "fake backend: pointwise_loss operand count");
    const lm::LossValue what = !a->backward ? lm::LossValue::Loss : a->grad_target ? lm::LossValue::GradTarget : lm::LossValue::GradInput;
    return on_floating(*it, "fake backend: pointwise_loss of mixed or non-floating dtypes", [&]<typename T>() {
        using M = cmp::opmath_t<T>;
        const lm::LossPlan<M> k{static_cast<cmp::cpu::PointwiseLoss>(a->op), what, a->has_weight != 0,
                                a->has_pos_weight != 0, static_cast<M>(a->param), static_cast<M>(a->scale)};
        host_each<T>(*it, [&](const M* in) { return lm::element<LossHostMath>(k, in); });
    });
}

// cuda/index.cu's gather on the host: every position of the index's shape in row-major order; the
// first bad position is reported as the kernel's device word reports it.
int32_t gather(compute_cuda_gather* g) {
    if (g->n == 0) return CMP_STATUS_OK;
    const auto* self = static_cast<const char*>(g->self);
    auto* out = static_cast<char*>(g->out);
    const int64_t es = g->element_size;
    for (int64_t p = 0; p < g->n; ++p) {
        int64_t rest = p, o = 0, s = 0, x = 0;
        for (int d = g->ndim - 1; d >= 0; --d) {
            const int64_t c = rest % g->shape[d];
            rest /= g->shape[d];
            o += c * g->out_strides[d];
            x += c * g->index_strides[d];
            if (d != g->dim) s += c * g->self_strides[d];
        }
        const int64_t i = g->index[x];
        if (i < 0 || i >= g->size) {
            g->bad_position = p;
            g->bad_index = i;
            return error(CMP_STATUS_INDEX_OUT_OF_RANGE, "fake backend: gather index out of range");
        }
        std::memcpy(out + o * es, self + (s + i * g->self_strides[g->dim]) * es, static_cast<size_t>(es));
    }
    return CMP_STATUS_OK;
}
using cmp::cuda_scatter::offset_of;
// A scalar as the opmath value A, as the CPU's scalar_to converts it (floats to integers by
// truncation: the tests' values are in range).
template <typename A>
A scalar_as(const cmp_scalar& s) {
    if constexpr (std::is_same_v<A, bool>) return s.kind == CMP_SCALAR_FLOAT ? s.f != 0.0 : s.i != 0;
    else if constexpr (std::is_integral_v<A>)
        return s.kind == CMP_SCALAR_FLOAT ? static_cast<A>(static_cast<int64_t>(s.f))
                                          : static_cast<A>(s.kind == CMP_SCALAR_BOOL ? (s.i != 0) : s.i);
    else return s.kind == CMP_SCALAR_FLOAT ? static_cast<A>(s.f)
                                           : static_cast<A>(s.kind == CMP_SCALAR_BOOL ? (s.i != 0) : s.i);
}
// cuda/index.cu's scatter on the host: the index checked first, then each element of self takes
// its line's positions in increasing order (cuda/scatter_combine.h), rounded to T after each.
template <typename T>
int32_t scatter_typed(compute_cuda_scatter* c) {
    using A = cmp::opmath_t<T>;
    const int64_t size = c->self_shape[c->dim];
    for (int64_t p = 0; p < c->n; ++p) {
        const int64_t i = c->index[offset_of(p, c->ndim, c->index_shape, c->index_strides)];
        if (i >= 0 && i < size) continue;
        c->bad_position = p;
        c->bad_index = i;
        return error(CMP_STATUS_INDEX_OUT_OF_RANGE, "fake backend: scatter index out of range");
    }
    auto* self = static_cast<T*>(c->self);
    const auto* src = static_cast<const T*>(c->src);
    const A value = scalar_as<A>(c->value), alpha = scalar_as<A>(c->alpha);
    const bool scaled = src && alpha != A(1);
    int64_t self_numel = 1;
    for (int k = 0; k < c->ndim; ++k) self_numel *= c->self_shape[k];
    for (int64_t q = 0; q < self_numel; ++q) {
        int64_t rest = q, so = 0, xo = 0, ro = 0, at = 0;
        bool covered = true;
        for (int d = c->ndim - 1; d >= 0; --d) {
            const int64_t k = rest % c->self_shape[d];
            rest /= c->self_shape[d];
            so += k * c->self_strides[d];
            if (d == c->dim) {
                at = k;
                continue;
            }
            covered = covered && k < c->index_shape[d];
            xo += k * c->index_strides[d];
            ro += k * c->src_strides[d];
        }
        if (!covered) continue;
        for (int64_t j = 0; j < c->index_shape[c->dim]; ++j) {
            if (c->index[xo + j * c->index_strides[c->dim]] != at) continue;
            A v = src ? static_cast<A>(src[ro + j * c->src_strides[c->dim]]) : value;
            if (scaled) v = cmp::cuda_scatter::mul(v, alpha);
            self[so] = static_cast<T>(cmp::cuda_scatter::combine(static_cast<A>(self[so]), v, c->op));
        }
    }
    return CMP_STATUS_OK;
}
int32_t scatter(compute_cuda_scatter* c) {
    if (c->n == 0) return CMP_STATUS_OK;
    switch (c->dtype) {
        case CMP_DTYPE_FLOAT32: return scatter_typed<float>(c);
        case CMP_DTYPE_FLOAT64: return scatter_typed<double>(c);
        case CMP_DTYPE_FLOAT16: return scatter_typed<cmp::Half>(c);
        case CMP_DTYPE_BFLOAT16: return scatter_typed<cmp::BFloat16>(c);
        case CMP_DTYPE_INT64: return scatter_typed<int64_t>(c);
        case CMP_DTYPE_INT32: return scatter_typed<int32_t>(c);
        case CMP_DTYPE_INT16: return scatter_typed<int16_t>(c);
        case CMP_DTYPE_INT8: return scatter_typed<int8_t>(c);
        case CMP_DTYPE_UINT8: return scatter_typed<uint8_t>(c);
        case CMP_DTYPE_BOOL: return scatter_typed<bool>(c);
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: unknown dtype");
    }
}
// cuda/index.cu's embedding_backward on the host: positions sorted stably by index, then each run
// of equal indices summed in position order in opmath, one rounding per product and per sum.
template <typename T>
int32_t embedding_backward_typed(compute_cuda_embedding_backward* e) {
    using A = cmp::opmath_t<T>;
    auto* gw = static_cast<T*>(e->grad_weight);
    const auto* go = static_cast<const T*>(e->grad_out);
    for (int64_t k = 0; k < e->num_weights * e->dim; ++k) gw[k] = T(0.0f);
    std::vector<int64_t> order(static_cast<size_t>(e->count));
    for (int64_t i = 0; i < e->count; ++i) order[static_cast<size_t>(i)] = i;
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return e->indices[a] < e->indices[b]; });
    int64_t first_bad = -1;
    for (size_t k = 0; k < order.size();) {
        const int64_t key = e->indices[order[k]];
        size_t end = k + 1;
        while (end < order.size() && e->indices[order[end]] == key) ++end;
        if (key < 0 || key >= e->num_weights) {
            for (size_t m = k; m < end; ++m)
                if (first_bad < 0 || order[m] < first_bad) first_bad = order[m];
        } else if (key != e->padding_idx) {
            const A scale = e->scale_grad_by_freq ? A(1) / static_cast<A>(end - k) : A(1);
            for (int64_t j = 0; j < e->dim; ++j) {
                A acc = A(0);
                for (size_t m = k; m < end; ++m) acc += static_cast<A>(go[order[m] * e->dim + j]) * scale;
                gw[key * e->dim + j] = static_cast<T>(acc);
            }
        }
        k = end;
    }
    if (first_bad < 0) return CMP_STATUS_OK;
    e->bad_position = first_bad;
    e->bad_index = e->indices[first_bad];
    return error(CMP_STATUS_INDEX_OUT_OF_RANGE, "fake backend: embedding index out of range");
}
int32_t embedding_backward(compute_cuda_embedding_backward* e) {
    if (e->n == 0) return CMP_STATUS_OK;
    switch (e->dtype) {
        case CMP_DTYPE_FLOAT32: return embedding_backward_typed<float>(e);
        case CMP_DTYPE_FLOAT64: return embedding_backward_typed<double>(e);
        case CMP_DTYPE_FLOAT16: return embedding_backward_typed<cmp::Half>(e);
        case CMP_DTYPE_BFLOAT16: return embedding_backward_typed<cmp::BFloat16>(e);
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: embedding_backward of a non-floating dtype");
    }
}
// cuda/pool.cu on the host: the same per-element functions of cuda/pool_window.h in a loop;
// MAX_BACKWARD checks every index first (the first bad position wins), sorts the keys stably with
// their positions (as CUB's radix sort orders them) and gathers each input's run.
template <typename T>
int32_t pool_floating(compute_cuda_pool* p) {
    namespace cp = cmp::cuda_pool;
    const auto* src = static_cast<const T*>(p->src);
    auto* dst = static_cast<T*>(p->dst);
    switch (p->op) {
        case COMPUTE_CUDA_POOL_MAX:
            for (int64_t e = 0; e < p->n; ++e) cp::max_one<T>(*p, src, dst, p->indices, e);
            return CMP_STATUS_OK;
        case COMPUTE_CUDA_POOL_AVG:
            for (int64_t e = 0; e < p->n; ++e) cp::avg_one<T, T>(*p, src, dst, e);
            return CMP_STATUS_OK;
        case COMPUTE_CUDA_POOL_AVG_BACKWARD:
            for (int64_t e = 0; e < p->n; ++e) dst[e] = cp::avg_backward_one<T>(*p, src, e);
            return CMP_STATUS_OK;
        case COMPUTE_CUDA_POOL_MAX_BACKWARD: {
            const int64_t count = p->planes * cp::out_plane(*p);
            std::vector<int64_t> keys(static_cast<size_t>(count)), positions(static_cast<size_t>(count));
            for (int64_t o = 0; o < count; ++o) {
                keys[static_cast<size_t>(o)] = cp::max_key(*p, p->indices, o);
                positions[static_cast<size_t>(o)] = o;
                if (keys[static_cast<size_t>(o)] >= 0) continue;
                p->bad_position = o;
                p->bad_index = p->indices[o];
                return error(CMP_STATUS_INDEX_OUT_OF_RANGE, "fake backend: max_pool_backward index out of range");
            }
            std::stable_sort(positions.begin(), positions.end(),
                             [&](int64_t a, int64_t b) { return keys[static_cast<size_t>(a)] < keys[static_cast<size_t>(b)]; });
            std::vector<int64_t> sorted(static_cast<size_t>(count));
            for (size_t k = 0; k < sorted.size(); ++k) sorted[k] = keys[static_cast<size_t>(positions[k])];
            for (int64_t e = 0; e < p->n; ++e)
                dst[e] = cp::max_backward_one<T>(sorted.data(), positions.data(), count, src, e);
            return CMP_STATUS_OK;
        }
        default: return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: unknown pool pass");
    }
}
int32_t pool(compute_cuda_pool* p) {
    if (p->n == 0) return CMP_STATUS_OK;
    switch (p->dtype) {
        case CMP_DTYPE_FLOAT32: return pool_floating<float>(p);
        case CMP_DTYPE_FLOAT64: return pool_floating<double>(p);
        case CMP_DTYPE_INT64:
            if (p->op != COMPUTE_CUDA_POOL_AVG) return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: int64 pool pass");
            for (int64_t e = 0; e < p->n; ++e)
                cmp::cuda_pool::avg_one<int64_t, int64_t>(*p, static_cast<const int64_t*>(p->src),
                                                          static_cast<int64_t*>(p->dst), e);
            return CMP_STATUS_OK;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: pool of another dtype");
    }
}
// cuda/randperm_multinomial.cu on the host: randperm's keys from the blocks, indices sorted stably by key.
template <typename T>
void randperm_typed(const compute_cuda_randperm& r) {
    std::vector<uint64_t> keys(static_cast<size_t>(r.n));
    for (int64_t i = 0; i < r.n; ++i)
        keys[static_cast<size_t>(i)] = cmp::philox_u64(cmp::philox_block(r.seed, r.offset + static_cast<uint64_t>(i / 2)),
                                                       static_cast<int>(i % 2));
    std::vector<int64_t> order(static_cast<size_t>(r.n));
    for (int64_t i = 0; i < r.n; ++i) order[static_cast<size_t>(i)] = i;
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return keys[a] < keys[b]; });
    for (int64_t i = 0; i < r.n; ++i) static_cast<T*>(r.out)[i] = from_int<T>(order[static_cast<size_t>(i)]);
}
int32_t randperm(const compute_cuda_randperm* r) {
    if (r->n == 0) return CMP_STATUS_OK;
    switch (r->dtype) {
        case CMP_DTYPE_FLOAT32: randperm_typed<float>(*r); break;
        case CMP_DTYPE_FLOAT64: randperm_typed<double>(*r); break;
        case CMP_DTYPE_FLOAT16: randperm_typed<cmp::Half>(*r); break;
        case CMP_DTYPE_BFLOAT16: randperm_typed<cmp::BFloat16>(*r); break;
        case CMP_DTYPE_INT64: randperm_typed<int64_t>(*r); break;
        case CMP_DTYPE_INT32: randperm_typed<int32_t>(*r); break;
        case CMP_DTYPE_INT16: randperm_typed<int16_t>(*r); break;
        case CMP_DTYPE_INT8: randperm_typed<int8_t>(*r); break;
        case CMP_DTYPE_UINT8: randperm_typed<uint8_t>(*r); break;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: randperm of an unknown dtype");
    }
    return CMP_STATUS_OK;
}

// multinomial's passes on the host with core/multinomial_rows.h: the checks in row-major order (a
// row without a positive element fails after its elements), the running sums and picks, and the
// categories sorted stably by decreasing key.
int32_t multinomial(compute_cuda_multinomial* m) {
    if (m->n == 0) return CMP_STATUS_OK;
    const int64_t cats = m->categories;
    if (m->pass == COMPUTE_CUDA_MULTINOMIAL_CHECK) {
        for (int64_t r = 0; r < m->rows; ++r) {
            bool positive = false;
            for (int64_t c = 0; c < cats; ++c) {
                const double v = m->probs[r * cats + c];
                if (!(std::isfinite(v) && v >= 0.0)) {
                    m->bad_row = r;
                    m->bad_category = c;
                    m->bad_value = v;
                    return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: multinomial check failed");
                }
                positive = positive || v > 0.0;
            }
            if (!positive) {
                m->bad_row = r;
                m->bad_category = cats;
                m->bad_value = 0.0;
                return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: multinomial check failed");
            }
        }
        return CMP_STATUS_OK;
    }
    std::vector<double> cum(static_cast<size_t>(cats)), key(static_cast<size_t>(cats));
    std::vector<int64_t> order(static_cast<size_t>(cats));
    for (int64_t r = 0; r < m->rows; ++r) {
        const double* p = m->probs + r * cats;
        int64_t* out = m->out + r * m->num_samples;
        if (m->pass == COMPUTE_CUDA_MULTINOMIAL_WITH_REPLACEMENT) {
            const int64_t last = cmp::multinomial_cumsum(p, cats, cum.data());
            for (int64_t s = 0; s < m->num_samples; ++s)
                out[s] = cmp::multinomial_pick(cum.data(), cats, last, m->u[r * m->num_samples + s]);
            continue;
        }
        for (int64_t c = 0; c < cats; ++c) {
            key[static_cast<size_t>(c)] = cmp::multinomial_key(p[c], m->u[r * cats + c]);
            order[static_cast<size_t>(c)] = c;
        }
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return key[a] > key[b]; });
        std::copy(order.begin(), order.begin() + m->num_samples, out);
    }
    return CMP_STATUS_OK;
}

// cuda/nonzero.cu on the host: the flags' inclusive sum (COUNT), then each selected position's
// coordinates or element to slot positions[p] - 1 (cuda/advanced_index_walk.h's walk).
template <typename T>
bool element_nonzero(const void* in, int64_t off) {
    return static_cast<cmp::opmath_t<T>>(static_cast<const T*>(in)[off]) != cmp::opmath_t<T>(0);
}
int32_t nonzero(compute_cuda_nonzero* z) {
    if (z->n == 0) return CMP_STATUS_OK;
    namespace ci = cmp::cuda_index;
    const int64_t n = z->n;
    auto selected = [&](int64_t p) { return z->positions[p] != (p > 0 ? z->positions[p - 1] : 0); };
    switch (z->pass) {
        case COMPUTE_CUDA_NONZERO_COUNT: {
            bool (*test)(const void*, int64_t) = nullptr;
            switch (z->dtype) {
                case CMP_DTYPE_FLOAT32: test = element_nonzero<float>; break;
                case CMP_DTYPE_FLOAT64: test = element_nonzero<double>; break;
                case CMP_DTYPE_FLOAT16: test = element_nonzero<cmp::Half>; break;
                case CMP_DTYPE_BFLOAT16: test = element_nonzero<cmp::BFloat16>; break;
                case CMP_DTYPE_INT64: test = element_nonzero<int64_t>; break;
                case CMP_DTYPE_INT32: test = element_nonzero<int32_t>; break;
                case CMP_DTYPE_INT16: test = element_nonzero<int16_t>; break;
                case CMP_DTYPE_INT8: test = element_nonzero<int8_t>; break;
                case CMP_DTYPE_UINT8: test = element_nonzero<uint8_t>; break;
                case CMP_DTYPE_BOOL: test = element_nonzero<bool>; break;
                default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: nonzero of an unknown dtype");
            }
            int64_t sum = 0;
            for (int64_t p = 0; p < n; ++p) {
                sum += test(z->in, ci::offset_of(p, z->ndim, z->shape, z->in_strides)) ? 1 : 0;
                z->positions[p] = sum;
            }
            z->count = sum;
            return CMP_STATUS_OK;
        }
        case COMPUTE_CUDA_NONZERO_COORDS:
            for (int64_t p = 0; p < n; ++p)
                if (selected(p))
                    ci::coordinates_at(p, z->ndim, z->shape, static_cast<int64_t*>(z->out) + (z->positions[p] - 1) * z->ndim);
            return CMP_STATUS_OK;
        case COMPUTE_CUDA_NONZERO_SELECT: {
            const int64_t es = z->element_size;
            for (int64_t p = 0; p < n; ++p)
                if (selected(p))
                    std::memcpy(static_cast<char*>(z->out) + (z->positions[p] - 1) * es,
                                static_cast<const char*>(z->src) + ci::offset_of(p, z->ndim, z->shape, z->src_strides) * es,
                                static_cast<size_t>(es));
            return CMP_STATUS_OK;
        }
        default: return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: unknown nonzero pass");
    }
}
// cuda/advanced_index.cu on the host: every index checked first (the first bad position, its first
// bad operand), then the get, or the (target, position) pairs sorted stably by target and each
// run done in position order (the last value, or the values added one by one, rounded to T).
template <typename T>
void index_put_typed(const compute_cuda_advanced_index& a, const std::vector<int64_t>& keys,
                     const std::vector<int64_t>& order) {
    using A = cmp::opmath_t<T>;
    auto* self = static_cast<T*>(a.self);
    const auto* values = static_cast<const T*>(a.values);
    auto value = [&](int64_t p) { return values[cmp::cuda_index::offset_of(p, a.ndim, a.shape, a.values_strides)]; };
    for (size_t k = 0; k < order.size();) {
        const int64_t key = keys[static_cast<size_t>(order[k])];
        size_t end = k + 1;
        while (end < order.size() && keys[static_cast<size_t>(order[end])] == key) ++end;
        if (a.op == COMPUTE_CUDA_INDEX_PUT) {
            self[key] = value(order[end - 1]);
        } else {
            for (size_t m = k; m < end; ++m)
                self[key] = static_cast<T>(cmp::cuda_scatter::add(static_cast<A>(self[key]), static_cast<A>(value(order[m]))));
        }
        k = end;
    }
}
int32_t advanced_index(compute_cuda_advanced_index* a) {
    if (a->n == 0) return CMP_STATUS_OK;
    std::vector<int64_t> keys(static_cast<size_t>(a->n)), values(static_cast<size_t>(a->n));
    for (int64_t p = 0; p < a->n; ++p) {
        int32_t k = 0;
        if (cmp::cuda_index::index_target(*a, p, &keys[static_cast<size_t>(p)], &values[static_cast<size_t>(p)], &k))
            continue;
        a->bad_position = p;
        a->bad_operand = k;
        a->bad_index = a->indices[k][cmp::cuda_index::index_offset(*a, k, p)];
        return error(CMP_STATUS_INDEX_OUT_OF_RANGE, "fake backend: advanced index out of range");
    }
    const int64_t es = size_of(a->dtype);
    if (a->op == COMPUTE_CUDA_INDEX_GET) {
        for (int64_t p = 0; p < a->n; ++p)
            std::memcpy(static_cast<char*>(a->values) + values[static_cast<size_t>(p)] * es,
                        static_cast<const char*>(a->self) + keys[static_cast<size_t>(p)] * es, static_cast<size_t>(es));
        return CMP_STATUS_OK;
    }
    std::vector<int64_t> order(static_cast<size_t>(a->n));
    for (int64_t p = 0; p < a->n; ++p) order[static_cast<size_t>(p)] = p;
    std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return keys[x] < keys[y]; });
    switch (a->dtype) {
        case CMP_DTYPE_FLOAT32: index_put_typed<float>(*a, keys, order); break;
        case CMP_DTYPE_FLOAT64: index_put_typed<double>(*a, keys, order); break;
        case CMP_DTYPE_FLOAT16: index_put_typed<cmp::Half>(*a, keys, order); break;
        case CMP_DTYPE_BFLOAT16: index_put_typed<cmp::BFloat16>(*a, keys, order); break;
        case CMP_DTYPE_INT64: index_put_typed<int64_t>(*a, keys, order); break;
        case CMP_DTYPE_INT32: index_put_typed<int32_t>(*a, keys, order); break;
        case CMP_DTYPE_INT16: index_put_typed<int16_t>(*a, keys, order); break;
        case CMP_DTYPE_INT8: index_put_typed<int8_t>(*a, keys, order); break;
        case CMP_DTYPE_UINT8: index_put_typed<uint8_t>(*a, keys, order); break;
        case CMP_DTYPE_BOOL: index_put_typed<bool>(*a, keys, order); break;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: advanced index of an unknown dtype");
    }
    return CMP_STATUS_OK;
}
// cuda/interpolate.cu on the host: cuda/interp_taps.h's per-element passes in a loop.
template <typename T>
void interp_pass(const compute_cuda_interp* d) {
    const auto* src = static_cast<const T*>(d->src);
    auto* dst = static_cast<T*>(d->dst);
    for (int64_t e = 0; e < d->n; ++e) {
        if constexpr (std::is_floating_point_v<T>)
            if (d->op == COMPUTE_CUDA_INTERP_BACKWARD) {
                dst[e] = cmp::cuda_interp::backward_one<T>(*d, src, e);
                continue;
            }
        dst[e] = cmp::cuda_interp::forward_one<T>(*d, src, e);
    }
}
int32_t interpolate(const compute_cuda_interp* d) {
    if (d->n == 0) return CMP_STATUS_OK;
    switch (d->dtype) {
        case CMP_DTYPE_FLOAT32: interp_pass<float>(d); return CMP_STATUS_OK;
        case CMP_DTYPE_FLOAT64: interp_pass<double>(d); return CMP_STATUS_OK;
        case CMP_DTYPE_UINT8:
            if (d->linear || d->op != COMPUTE_CUDA_INTERP_FORWARD)
                return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: uint8 interpolate pass");
            interp_pass<uint8_t>(d);
            return CMP_STATUS_OK;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: interpolate of another dtype");
    }
}

// cuda/sort_search.cu on the host with cpu/sort_key.h: each row's positions sorted stably by key
// (the 16-bit floats keyed through their float value), the values copied from them; each value's
// bisection over its row (through the sorter), in float for the 16-bit floats.
template <typename T>
auto host_sort_key(T v, bool descending) {
    if constexpr (std::is_same_v<T, cmp::Half> || std::is_same_v<T, cmp::BFloat16>)
        return cmp::cpu::sort_key<float>(static_cast<float>(v), descending);
    else return cmp::cpu::sort_key<T>(v, descending);
}
template <typename T>
using host_compare_t = std::conditional_t<std::is_same_v<T, cmp::Half> || std::is_same_v<T, cmp::BFloat16>, float, T>;

template <typename T>
int32_t sort_typed(const compute_cuda_sort& d) {
    const T* in = static_cast<const T*>(d.in);
    std::vector<int64_t> order(static_cast<size_t>(d.len));
    for (int64_t r = 0; r < d.rows; ++r) {
        const T* row = in + r * d.len;
        for (int64_t i = 0; i < d.len; ++i) order[static_cast<size_t>(i)] = i;
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
            return host_sort_key<T>(row[a], d.descending != 0) < host_sort_key<T>(row[b], d.descending != 0);
        });
        for (int64_t j = 0; j < d.len; ++j) {
            const int64_t p = order[static_cast<size_t>(j)];
            d.indices[r * d.len + j] = p;
            if (d.values) static_cast<T*>(d.values)[r * d.len + j] = row[p];
        }
    }
    return CMP_STATUS_OK;
}

template <typename T>
int32_t search_typed(const compute_cuda_search& d) {
    using K = host_compare_t<T>;
    const T* seq = static_cast<const T*>(d.seq);
    const T* values = static_cast<const T*>(d.values);
    for (int64_t i = 0; i < d.n; ++i) {
        const int64_t r = d.rows == 1 ? 0 : i / d.per_row;
        const T* row = seq + r * d.seq_len;
        const int64_t* sorter = d.sorter ? d.sorter + r * d.seq_len : nullptr;
        const auto at = [&](int64_t j) { return static_cast<K>(row[sorter ? sorter[j] : j]); };
        const int64_t pos = cmp::cpu::bisect<K>(at, d.seq_len, static_cast<K>(values[i]), d.right != 0);
        if (d.out_int32) static_cast<int32_t*>(d.out)[i] = static_cast<int32_t>(pos);
        else static_cast<int64_t*>(d.out)[i] = pos;
    }
    return CMP_STATUS_OK;
}

// body(T{}) for the host type T of any dtype; an unknown dtype fails naming what.
template <typename Body>
int32_t with_any(int32_t dtype, const char* what, const Body& body) {
    switch (dtype) {
        case CMP_DTYPE_INT64: return body(int64_t{});
        case CMP_DTYPE_INT32: return body(int32_t{});
        case CMP_DTYPE_INT16: return body(int16_t{});
        case CMP_DTYPE_INT8: return body(int8_t{});
        case CMP_DTYPE_UINT8: return body(uint8_t{});
        case CMP_DTYPE_BOOL: return body(bool{});
        default: return with_floating(dtype, what, body);
    }
}

int32_t sort(const compute_cuda_sort* d) {
    if (d->n == 0) return CMP_STATUS_OK;
    if (d->n != d->rows * d->len) return error(CMP_STATUS_INVALID_ARGUMENT, "fake backend: sort's n must be rows * len");
    return with_any(d->dtype, "fake backend: sort of an unknown dtype", [&](auto zero) { return sort_typed<decltype(zero)>(*d); });
}

int32_t search(const compute_cuda_search* d) {
    if (d->n == 0) return CMP_STATUS_OK;
    if (d->dtype == CMP_DTYPE_BOOL) return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: search of bool");
    return with_any(d->dtype, "fake backend: search of an unknown dtype",
                    [&](auto zero) { return search_typed<decltype(zero)>(*d); });
}

// cuda/grid_sample.cu on the host: cuda/grid_sample_math.h's per-element passes in loops; the
// backward's entries sorted stably by key (as CUB's radix sort orders them), then gathered.
template <typename T>
void grid_pass(const compute_cuda_grid_sample* d) {
    namespace cg = cmp::cuda_grid;
    const cg::Shape s{d->batch, d->channels, d->height, d->width, d->out_height, d->out_width};
    const auto* x = static_cast<const T*>(d->input);
    const auto* g = static_cast<const T*>(d->grid);
    if (d->op == COMPUTE_CUDA_GRID_FORWARD) {
        for (int64_t e = 0; e < d->n; ++e) static_cast<T*>(d->output)[e] = cg::forward_one<T>(*d, s, x, g, e);
        return;
    }
    const auto* go = static_cast<const T*>(d->grad_output);
    const int64_t samples = s.N * s.Ho * s.Wo, count = samples * 4;
    for (int64_t q = 0; q < samples; ++q) cg::grad_grid_one<T>(*d, s, go, x, g, static_cast<T*>(d->grad_grid), q);
    std::vector<int64_t> keys(static_cast<size_t>(count)), entries(static_cast<size_t>(count));
    std::vector<T> weights(static_cast<size_t>(count));
    for (int64_t t = 0; t < count; ++t) {
        cg::corner_entry<T>(*d, s, g, t, &keys[static_cast<size_t>(t)], &weights[static_cast<size_t>(t)]);
        entries[static_cast<size_t>(t)] = t;
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [&](int64_t a, int64_t b) { return keys[static_cast<size_t>(a)] < keys[static_cast<size_t>(b)]; });
    std::vector<int64_t> sorted(static_cast<size_t>(count));
    for (size_t k = 0; k < sorted.size(); ++k) sorted[k] = keys[static_cast<size_t>(entries[k])];
    const int64_t n_in = s.N * s.C * s.H * s.W;
    for (int64_t e = 0; e < n_in; ++e)
        static_cast<T*>(d->grad_input)[e] =
            cg::grad_input_one<T>(*d, s, sorted.data(), entries.data(), weights.data(), count, go, e);
}
int32_t grid_sample(const compute_cuda_grid_sample* d) {
    if (d->n == 0) return CMP_STATUS_OK;
    switch (d->dtype) {
        case CMP_DTYPE_FLOAT32: grid_pass<float>(d); return CMP_STATUS_OK;
        case CMP_DTYPE_FLOAT64: grid_pass<double>(d); return CMP_STATUS_OK;
        default: return error(CMP_STATUS_DTYPE_MISMATCH, "fake backend: grid_sample of another dtype");
    }
}

const compute_cuda_backend kBackend = {
    FAKE_BACKEND_VERSION, sizeof(compute_cuda_backend), last_error, runtime_version, device_count,
    unavailable_reason, device_properties, ok_device, set_reclaim_hook, allocate, deallocate, memory_stats,
    ok_device, ok_device, copy_bytes, fake_streams::stream_destroy,
    fake_streams::stream_synchronize, fake_streams::stream_query, fake_streams::stream_wait_event,
    fake_streams::event_create, fake_streams::event_destroy, fake_streams::event_record,
    fake_streams::event_synchronize, fake_streams::event_query, fake_streams::event_elapsed_ms,
    fake_streams::host_allocate, fake_streams::host_deallocate, fake_streams::host_record, fill, copy, unary, binary, sum_rows, unary_math, clamp, compare, where, masked_fill,
    binary_math, ternary_math, reduce_rows, reduce_rows_args, softmax, softmax_backward, scan, triangle, gemm,
    random, optim_step, row_norm_entry<false>, row_norm_entry<true>, activation_backward, pointwise_loss,
    class_loss,
    gather, embedding_backward, scatter, im2col, pool,
    randperm, multinomial,
    nonzero, advanced_index,
    sort, search, interpolate, grid_sample, fake_streams::record_stream,
    fake_streams::stream_priority_range, fake_streams::stream_create_with_priority, fake_streams::stream_priority,
    mem_get_info,
    fake_emulated::attention, fake_emulated::attention_backward,
    fake_emulated::batch_norm, fake_emulated::batch_norm_backward,
};

}  // namespace

int32_t fake_streams::fail(int32_t status, const char* message) { return error(status, message); }

extern "C" __attribute__((visibility("default"))) const compute_cuda_backend* compute_cuda_get_backend(void) {
    return &kBackend;
}

extern "C" __attribute__((visibility("default"))) const FakeLineCall* fake_backend_last_line_call(void) {
    return &g_line_call;
}

extern "C" __attribute__((visibility("default"))) const FakeGemmCall* fake_backend_last_gemm_call(void) {
    return &g_gemm_call;
}

extern "C" __attribute__((visibility("default"))) const FakeRandomCall* fake_backend_last_random_call(void) {
    return &g_random_call;
}

extern "C" __attribute__((visibility("default"))) void fake_backend_set_host_kernels(int32_t on) {
    g_host_kernels = on != 0;
}
