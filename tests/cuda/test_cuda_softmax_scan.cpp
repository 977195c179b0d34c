// Device parity of softmax / log_softmax, their backward, and cumsum / cumprod (cuda/softmax.cu,
// cuda/scan.cu): each op runs on the CPU and on the GPU from the same inputs; where the CPU
// refuses, the GPU must refuse with the same status, otherwise shape, dtype and values must
// agree. The shapes reach every kernel of cuda/lines.cuh: [37, 300, 5] along dim 0 and 1
// (strided lines: a thread per line) and dim 2 (short rows: a warp per line), [40, 700] (long
// rows still below kLongLine: a warp) and [3, 1500] (a block per line).
//
// Tolerances, from the error of each side (u: the unit roundoff of the compute type, 2^-24 for
// float32 and the 16-bit floats, which both devices compute in float32, 2^-53 for float64):
//  * softmax: the maximum and x - m are the same on both devices; exp errs by at most 2 ulps
//    on each (CUDA documents 2 ulps for expf, 1 for exp; the CPU's vexp is within that), i.e.
//    8u together; the sum s of n positive terms errs by at most (n - 1)u relative in any order
//    (first order), on each device; the product by 1 / s rounds twice. Relative to the result:
//    (2n + 16)u. log_softmax's (x - m) - log(s) carries s's relative error as an absolute one,
//    plus roundings of |result|: (2n + 16)u relative to max(1, |result|).
//  * softmax backward: s = sum(go * y) over y >= 0 with sum(y) = 1 errs by (n + 1)u * max|go|
//    on each device, y * (go - s) adds a few roundings of max|go|: (2n + 16)u * max|go|
//    absolute. log_softmax backward: the gradients are multiples of 1/4 below 2^7, so
//    s = sum(go) is exact on both devices; go - exp(y) * s errs by exp's 8u and two roundings
//    of |exp(y) * s| <= |s| and of |result|: 16u * (max|s| + |result|).
//  * cumsum / cumprod of integer-valued data (integers, and products of +-1, 2 and 0.5 whose
//    running exponent stays within one): every partial result is exact in every accumulator, so
//    the results are identical. Positive fractional data: a running sum or product of k terms
//    errs by (k - 1)u relative in any order on the GPU (float32 accumulator for float32) and by
//    one final rounding on the CPU (float64 accumulator): (k + 1)u relative, k the line length.
//  * 16-bit results: the float32 results above are each rounded to the 16-bit dtype and may land
//    on neighbouring values: one ulp of the result more (2^-10 relative for float16, 2^-7 for
//    bfloat16), and float16's subnormal spacing 2^-24 absolute.
#include "cuda_parity_util.h"

#include "cuda/backend_api.h"

#include <functional>
#include <limits>

namespace cmp::testing {
namespace {

const cmp_dtype kFloatDtypes[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};

// The [outer, dim, inner] split of sizes along dim (wrapped; a 0-dim tensor is one line of one).
struct Split {
    int64_t outer = 1, len = 1, inner = 1;
};
Split split(const std::vector<int64_t>& sizes, int64_t dim) {
    Split s;
    if (sizes.empty()) return s;
    const int64_t nd = static_cast<int64_t>(sizes.size());
    const int64_t d = dim < 0 ? dim + nd : dim;
    for (int64_t k = 0; k < nd; ++k) {
        const int64_t n = sizes[static_cast<size_t>(k)];
        if (k < d) s.outer *= n;
        else if (k == d) s.len = n;
        else s.inner *= n;
    }
    return s;
}

int64_t numel(const std::vector<int64_t>& sizes) {
    int64_t n = 1;
    for (int64_t s : sizes) n *= s;
    return n;
}

// The unit roundoff of the type a dtype computes in, and the final rounding of 16-bit results.
double unit(cmp_dtype dt) { return dt == CMP_DTYPE_FLOAT64 ? 0x1p-53 : 0x1p-24; }
double result_ulp(cmp_dtype dt) {
    if (dt == CMP_DTYPE_FLOAT16) return 0x1p-10;
    if (dt == CMP_DTYPE_BFLOAT16) return 0x1p-7;
    return 0.0;
}
double subnormal_step(cmp_dtype dt) { return dt == CMP_DTYPE_FLOAT16 ? 0x1p-24 : 0.0; }

// |gpu - cpu| <= rel * scale + abs, where scale is |cpu| (or max(1, |cpu|) when floor_one);
// NaN where the CPU has NaN, the same infinity where it has one.
struct Bound {
    double rel = 0.0;
    double abs = 0.0;
    bool floor_one = false;
};

void expect_within(const std::vector<double>& gpu, const std::vector<double>& cpu, const Bound& b,
                   const std::string& what) {
    ASSERT_EQ(gpu.size(), cpu.size()) << what;
    int reported = 0;
    for (size_t i = 0; i < gpu.size() && reported < 10; ++i) {
        bool ok;
        if (std::isnan(cpu[i])) {
            ok = std::isnan(gpu[i]);
        } else if (std::isinf(cpu[i]) || (b.rel == 0.0 && b.abs == 0.0)) {
            ok = gpu[i] == cpu[i];
        } else {
            const double scale = b.floor_one ? std::max(1.0, std::fabs(cpu[i])) : std::fabs(cpu[i]);
            ok = std::fabs(gpu[i] - cpu[i]) <= b.rel * scale + b.abs;
        }
        if (!ok) {
            ++reported;
            ADD_FAILURE() << what << " at " << i << ": GPU " << gpu[i] << ", CPU " << cpu[i] << " (bound rel " << b.rel
                          << ", abs " << b.abs << ")";
        }
    }
}

cmp_dtype dtype_of(cmp_tensor t) {
    cmp_dtype d = CMP_DTYPE_FLOAT32;
    cmp_tensor_dtype(t, &d);
    return d;
}

using OpFn = std::function<cmp_status(cmp_tensor, cmp_tensor*)>;

// Runs op on the CPU tensor and on the CUDA one and compares within b (b of the result dtype).
void expect_parity(const OpFn& op, cmp_tensor host, cmp_tensor dev, const std::function<Bound(cmp_dtype)>& bound,
                   const std::string& label) {
    cmp_tensor cpu_out = nullptr, gpu_out = nullptr;
    const cmp_status cs = op(host, &cpu_out);
    Handle owned_cpu(cpu_out);
    const cmp_status gs = op(dev, &gpu_out);
    Handle owned_gpu(gpu_out);
    ASSERT_EQ(gs, cs) << label << ": " << (gs == CMP_STATUS_OK ? "" : cmp_last_error());
    if (cs != CMP_STATUS_OK) return;
    EXPECT_EQ(device_of(gpu_out).type, CMP_DEVICE_CUDA) << label;
    EXPECT_EQ(sizes_of(gpu_out), sizes_of(cpu_out)) << label;
    EXPECT_EQ(dtype_of(gpu_out), dtype_of(cpu_out)) << label;
    expect_within(host_values(gpu_out), values_of(cpu_out), bound(dtype_of(cpu_out)), label);
}

// softmax's bound for lines of n elements, relative (log_softmax: to max(1, |result|)).
Bound softmax_bound(cmp_dtype dt, int64_t n, bool log) {
    return {static_cast<double>(2 * n + 16) * unit(dt) + result_ulp(dt), subnormal_step(dt), log};
}

struct ShapeDim {
    std::vector<int64_t> sizes;
    int64_t dim;
};

// Every kernel of cuda/lines.cuh (see the top of the file).
const ShapeDim kLayouts[] = {{{37, 300, 5}, 0}, {{37, 300, 5}, 1}, {{37, 300, 5}, 2}, {{37, 300, 5}, -1},
                             {{40, 700}, 1},    {{3, 1500}, 1},    {{3, 1500}, 0}};

std::string layout_label(const ShapeDim& l) {
    std::string s = "[";
    for (size_t i = 0; i < l.sizes.size(); ++i) s += (i ? ", " : "") + std::to_string(l.sizes[i]);
    return s + "] dim " + std::to_string(l.dim);
}

OpFn softmax_op(bool log, int64_t dim, const cmp_dtype* dtype = nullptr) {
    return [=](cmp_tensor t, cmp_tensor* out) { return (log ? cmp_log_softmax : cmp_softmax)(t, dim, dtype, out); };
}

TEST_F(CudaParity, SoftmaxMatchesTheCpuAlongEveryDim) {
    for (const ShapeDim& l : kLayouts) {
        const int64_t n = split(l.sizes, l.dim).len;
        for (cmp_dtype dt : kFloatDtypes) {
            // Values in [-8.25, 8.25]: exp(x - m) spans e^-16.5 .. 1, no underflow.
            Handle host = tensor_from(sample(numel(l.sizes), 3.0), l.sizes, dt);
            Handle dev = cuda(host);
            for (bool log : {false, true})
                expect_parity(
                    softmax_op(log, l.dim), host.get(), dev.get(), [&](cmp_dtype d) { return softmax_bound(d, n, log); },
                    std::string(log ? "log_softmax " : "softmax ") + layout_label(l) + " dtype " + std::to_string(dt));
        }
    }
}

TEST_F(CudaParity, SoftmaxWithADtypeConvertsFirst) {
    // Integers refuse without a dtype on both devices; with one they convert on the device.
    const std::vector<int64_t> sizes = {6, 50};
    const std::vector<std::pair<cmp_dtype, cmp_dtype>> pairs = {{CMP_DTYPE_INT64, CMP_DTYPE_FLOAT32},
                                                                {CMP_DTYPE_INT8, CMP_DTYPE_FLOAT64},
                                                                {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64},
                                                                {CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16},
                                                                {CMP_DTYPE_BOOL, CMP_DTYPE_BFLOAT16}};
    std::vector<double> v(static_cast<size_t>(numel(sizes)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(static_cast<int64_t>(i % 9) - 4);
    for (const auto& [from, to] : pairs) {
        Handle host = tensor_from(v, sizes, from);
        Handle dev = cuda(host);
        const std::string label = "from " + std::to_string(from) + " to " + std::to_string(to);
        for (bool log : {false, true}) {
            expect_parity(softmax_op(log, 1), host.get(), dev.get(),
                          [&](cmp_dtype d) { return softmax_bound(d, 50, log); }, label + " no dtype");
            expect_parity(softmax_op(log, 1, &to), host.get(), dev.get(),
                          [&](cmp_dtype d) { return softmax_bound(d, 50, log); }, label);
        }
    }
}

TEST_F(CudaParity, SoftmaxOfExtremeLines) {
    // Magnitudes where exp(x) overflows or underflows without the maximum, -inf elements (weight
    // 0), lines of -inf only (NaN), +inf (NaN: inf - inf), NaN (NaN everywhere), on short rows
    // (a warp), long rows (a block) and, transposed, on strided lines.
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    for (int64_t len : {7, 1500}) {
        const int64_t rows = 7;
        std::vector<double> v(static_cast<size_t>(rows * len));
        for (int64_t i = 0; i < rows * len; ++i) {
            const int64_t r = i / len, k = i % len;
            double x = 0.0;
            switch (r) {
                case 0: x = 1000.0 + static_cast<double>(k % 5); break;
                case 1: x = -1000.0 - static_cast<double>(k % 3); break;
                case 2: x = k % 4 == 1 ? -inf : static_cast<double>(k % 3); break;
                case 3: x = -inf; break;
                case 4: x = k == len / 2 ? inf : static_cast<double>(k % 3); break;
                case 5: x = k == len - 2 ? nan : static_cast<double>(k % 3); break;
                default: x = k == 0 ? 5.0 : -80.0; break;  // one dominant element
            }
            v[static_cast<size_t>(i)] = x;
        }
        for (cmp_dtype dt : kFloatDtypes) {
            if (dt == CMP_DTYPE_FLOAT16) continue;  // 1000 is beyond float16's range
            Handle host = tensor_from(v, {rows, len}, dt);
            Handle dev = cuda(host);
            for (bool log : {false, true}) {
                const std::string label = std::string(log ? "log_softmax" : "softmax") + " extreme rows of " +
                                          std::to_string(len) + " dtype " + std::to_string(dt);
                expect_parity(softmax_op(log, 1), host.get(), dev.get(),
                              [&](cmp_dtype d) { return softmax_bound(d, len, log); }, label);
                expect_parity(softmax_op(log, 0), transposed(host).get(), transposed(dev).get(),
                              [&](cmp_dtype d) { return softmax_bound(d, len, log); }, label + " transposed");
            }
        }
    }
}

TEST_F(CudaParity, SoftmaxOfStridedViewsEmptyAndZeroDimTensors) {
    // A transposed CUDA input is made dense on the device first.
    Handle host = tensor_from(sample(37 * 300, 2.0), {37, 300}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(host);
    for (int64_t dim : {0, 1})
        for (bool log : {false, true})
            expect_parity(softmax_op(log, dim), transposed(host).get(), transposed(dev).get(),
                          [&](cmp_dtype d) { return softmax_bound(d, dim == 0 ? 300 : 37, log); },
                          "transposed dim " + std::to_string(dim));
    cmp_tensor t = nullptr;
    const int64_t sizes[] = {3, 0, 4};
    ASSERT_EQ(cmp_zeros(sizes, 3, CMP_DTYPE_FLOAT32, cpu_device(), &t), CMP_STATUS_OK) << cmp_last_error();
    Handle empty(t);
    Handle empty_dev = cuda(empty);
    Handle scalar = tensor_from({-2.5}, {}, CMP_DTYPE_FLOAT64);
    Handle scalar_dev = cuda(scalar);
    for (bool log : {false, true}) {
        for (int64_t dim : {0, 1, 2, 3})  // 3 is out of range on both
            expect_parity(softmax_op(log, dim), empty.get(), empty_dev.get(),
                          [&](cmp_dtype d) { return softmax_bound(d, 1, log); }, "empty dim " + std::to_string(dim));
        for (int64_t dim : {0, -1, 1})
            expect_parity(softmax_op(log, dim), scalar.get(), scalar_dev.get(),
                          [&](cmp_dtype d) { return softmax_bound(d, 1, log); }, "0-dim dim " + std::to_string(dim));
    }
}

// The largest |sum| of v along the lines of split s.
double max_line_sum(const std::vector<double>& v, const Split& s) {
    double worst = 0.0;
    for (int64_t o = 0; o < s.outer; ++o)
        for (int64_t i = 0; i < s.inner; ++i) {
            double sum = 0.0;
            for (int64_t k = 0; k < s.len; ++k) sum += v[static_cast<size_t>((o * s.len + k) * s.inner + i)];
            worst = std::max(worst, std::fabs(sum));
        }
    return worst;
}

TEST_F(CudaParity, SoftmaxBackwardMatchesTheCpu) {
    for (const ShapeDim& l : kLayouts) {
        const Split s = split(l.sizes, l.dim);
        const int64_t n = numel(l.sizes);
        // Gradients: multiples of 1/4 in [-2.75, 2.75] (exactly representable in every dtype).
        const std::vector<double> go = sample(n);
        const double max_go = 2.75, max_sum = max_line_sum(go, s);
        for (cmp_dtype dt : kFloatDtypes) {
            for (bool log : {false, true}) {
                // The forward's output, computed on the CPU and copied, so both sides start from
                // the same y.
                Handle x = tensor_from(sample(n, 3.0), l.sizes, dt);
                cmp_tensor y_raw = nullptr;
                ASSERT_EQ(softmax_op(log, l.dim)(x.get(), &y_raw), CMP_STATUS_OK) << cmp_last_error();
                Handle y(y_raw);
                Handle y_dev = cuda(y);
                Handle g = tensor_from(go, l.sizes, dt);
                Handle g_dev = cuda(g);
                const auto bound = [&](cmp_dtype d) {
                    const double u = unit(d);
                    if (log) return Bound{result_ulp(d) + 16 * u, 16 * u * max_sum + subnormal_step(d), false};
                    return Bound{result_ulp(d), static_cast<double>(2 * s.len + 16) * u * max_go + subnormal_step(d),
                                 false};
                };
                // The op on the device takes the device's y: grad_output is bound per device.
                const auto run = [&](cmp_tensor grad, cmp_tensor out, cmp_tensor* result) {
                    return (log ? cmp_log_softmax_backward : cmp_softmax_backward)(grad, out, l.dim, result);
                };
                cmp_tensor c = nullptr, gpu = nullptr;
                const std::string label = std::string(log ? "log_softmax_backward " : "softmax_backward ") +
                                          layout_label(l) + " dtype " + std::to_string(dt);
                ASSERT_EQ(run(g.get(), y.get(), &c), CMP_STATUS_OK) << label << ": " << cmp_last_error();
                Handle owned_c(c);
                ASSERT_EQ(run(g_dev.get(), y_dev.get(), &gpu), CMP_STATUS_OK) << label << ": " << cmp_last_error();
                Handle owned_g(gpu);
                EXPECT_EQ(device_of(gpu).type, CMP_DEVICE_CUDA) << label;
                EXPECT_EQ(dtype_of(gpu), dt) << label;
                expect_within(host_values(gpu), values_of(c), bound(dt), label);
            }
        }
    }
}

// ---- scans ----------------------------------------------------------------------------------

using ScanFn = cmp_status (*)(cmp_tensor, int64_t, cmp_tensor*);

// Integers in [-6, 6] with period 13: along any line whose stride is coprime to 13 the running
// sums stay within [-21, 21], exact in every dtype (bfloat16 holds integers up to 256).
std::vector<double> sum_data(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>(i % 13 - 6);
    return v;
}

// Factors +-1, with 2 at i % 7 == 0 and 0.5 at i % 7 == 3 (signs from i % 5): along any line
// whose stride is coprime to 7 the running exponent stays within [-1, 1], so every running
// product is exact in every dtype. Integer dtypes see 2, 0 (0.5 truncated) and +-1.
std::vector<double> prod_data(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const double magnitude = i % 7 == 0 ? 2.0 : (i % 7 == 3 ? 0.5 : 1.0);
        v[static_cast<size_t>(i)] = (i % 5 == 1 ? -1.0 : 1.0) * magnitude;
    }
    return v;
}

OpFn scan_op(ScanFn fn, int64_t dim) {
    return [=](cmp_tensor t, cmp_tensor* out) { return fn(t, dim, out); };
}

Bound exact(cmp_dtype) { return {}; }

// Every stride of kLayouts (1, 5, 300, 700, 1500) is coprime to 13 and 7.
TEST_F(CudaParity, ScansOfIntegerValuedDataAreExactInEveryDtype) {
    for (const ShapeDim& l : kLayouts) {
        const int64_t n = numel(l.sizes);
        for (cmp_dtype dt : kAllDtypes) {
            const std::string label = layout_label(l) + " dtype " + std::to_string(dt);
            Handle sums = tensor_from(sum_data(n), l.sizes, dt);
            Handle sums_dev = cuda(sums);
            expect_parity(scan_op(cmp_cumsum, l.dim), sums.get(), sums_dev.get(), exact, "cumsum " + label);
            Handle prods = tensor_from(prod_data(n), l.sizes, dt);
            Handle prods_dev = cuda(prods);
            expect_parity(scan_op(cmp_cumprod, l.dim), prods.get(), prods_dev.get(), exact, "cumprod " + label);
        }
    }
}

TEST_F(CudaParity, IntegerScansWrapAsOnTheCpu) {
    // int64 running products of 3s overflow and wrap; int8 inputs scan in int64 (PyTorch's
    // result dtype), and cumsum with dtype int8 wraps in int8.
    std::vector<double> threes(3 * 1500, 3.0);
    Handle big = tensor_from(threes, {3, 1500}, CMP_DTYPE_INT64);
    expect_parity(scan_op(cmp_cumprod, 1), big.get(), cuda(big).get(), exact, "int64 cumprod of 3s");
    std::vector<double> v(40 * 700);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(static_cast<int64_t>(i % 100) - 27);
    Handle bytes = tensor_from(v, {40, 700}, CMP_DTYPE_INT8);
    Handle bytes_dev = cuda(bytes);
    expect_parity(scan_op(cmp_cumsum, 1), bytes.get(), bytes_dev.get(), exact, "int8 cumsum");
    const OpFn as_int8 = [](cmp_tensor t, cmp_tensor* out) { return cmp_cumsum_dtype(t, 1, CMP_DTYPE_INT8, out); };
    expect_parity(as_int8, bytes.get(), bytes_dev.get(), exact, "int8 cumsum with dtype int8");
}

TEST_F(CudaParity, ScansWithADtypeConvertFirst) {
    const std::vector<int64_t> sizes = {37, 300, 5};
    const int64_t n = numel(sizes);
    const std::vector<std::pair<cmp_dtype, cmp_dtype>> pairs = {{CMP_DTYPE_INT8, CMP_DTYPE_INT32},
                                                                {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64},
                                                                {CMP_DTYPE_INT32, CMP_DTYPE_FLOAT16},
                                                                {CMP_DTYPE_BOOL, CMP_DTYPE_FLOAT32},
                                                                {CMP_DTYPE_FLOAT64, CMP_DTYPE_BOOL}};  // refused
    for (const auto& [from, to] : pairs) {
        const std::string label = "from " + std::to_string(from) + " to " + std::to_string(to);
        Handle host = tensor_from(sum_data(n), sizes, from);
        Handle dev = cuda(host);
        for (int64_t dim : {0, 1, 2}) {
            const cmp_dtype d = to;
            expect_parity([=](cmp_tensor t, cmp_tensor* out) { return cmp_cumsum_dtype(t, dim, d, out); }, host.get(),
                          dev.get(), exact, "cumsum " + label);
            expect_parity([=](cmp_tensor t, cmp_tensor* out) { return cmp_cumprod_dtype(t, dim, d, out); }, host.get(),
                          dev.get(), exact, "cumprod (with zeros) " + label);
        }
    }
}

TEST_F(CudaParity, ScansOfFractionalDataWithinTheirBound) {
    // Positive terms, so (k + 1)u relative bounds every running sum and product of k terms.
    for (const ShapeDim& l : kLayouts) {
        const int64_t n = numel(l.sizes), len = split(l.sizes, l.dim).len;
        std::vector<double> addends(static_cast<size_t>(n)), factors(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            addends[static_cast<size_t>(i)] = 0.5 + static_cast<double>((i * 37) % 101) / 101.0;
            factors[static_cast<size_t>(i)] = 1.0 + static_cast<double>((i * 37) % 23 - 11) / 64.0;  // [0.83, 1.17]
        }
        for (cmp_dtype dt : kFloatDtypes) {
            const auto bound = [&](cmp_dtype d) {
                return Bound{static_cast<double>(len + 1) * unit(d) + result_ulp(d), subnormal_step(d), false};
            };
            const std::string label = layout_label(l) + " dtype " + std::to_string(dt);
            Handle a = tensor_from(addends, l.sizes, dt);
            expect_parity(scan_op(cmp_cumsum, l.dim), a.get(), cuda(a).get(), bound, "cumsum " + label);
            Handle f = tensor_from(factors, l.sizes, dt);
            expect_parity(scan_op(cmp_cumprod, l.dim), f.get(), cuda(f).get(), bound, "cumprod " + label);
        }
    }
}

TEST_F(CudaParity, ScansOfNaNInfinitiesStridedEmptyAndZeroDimTensors) {
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> v = sum_data(6 * 1500);
    v[10] = nan;
    v[1500 + 700] = inf;
    v[2 * 1500 + 3] = -inf;
    v[2 * 1500 + 900] = inf;  // -inf + inf: NaN from there on
    v[3 * 1500 + 1] = 0.0;    // products: zero from there on
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        Handle host = tensor_from(v, {6, 1500}, dt);
        Handle dev = cuda(host);
        for (ScanFn fn : {ScanFn(cmp_cumsum), ScanFn(cmp_cumprod)}) {
            const auto bound = [](cmp_dtype d) { return Bound{1501 * unit(d), 0.0, true}; };
            expect_parity(scan_op(fn, 1), host.get(), dev.get(), bound, "special values " + std::to_string(dt));
            expect_parity(scan_op(fn, 0), transposed(host).get(), transposed(dev).get(), bound,
                          "special values transposed " + std::to_string(dt));
        }
    }
    cmp_tensor t = nullptr;
    const int64_t sizes[] = {3, 0, 4};
    ASSERT_EQ(cmp_zeros(sizes, 3, CMP_DTYPE_INT32, cpu_device(), &t), CMP_STATUS_OK) << cmp_last_error();
    Handle empty(t);
    Handle empty_dev = cuda(empty);
    Handle scalar = tensor_from({-3.0}, {}, CMP_DTYPE_INT16);
    Handle scalar_dev = cuda(scalar);
    for (ScanFn fn : {ScanFn(cmp_cumsum), ScanFn(cmp_cumprod)}) {
        for (int64_t dim : {0, 1, 2, -4})  // -4 is out of range on both
            expect_parity(scan_op(fn, dim), empty.get(), empty_dev.get(), exact, "empty dim " + std::to_string(dim));
        for (int64_t dim : {0, -1, 1})
            expect_parity(scan_op(fn, dim), scalar.get(), scalar_dev.get(), exact, "0-dim dim " + std::to_string(dim));
    }
}

}  // namespace
}  // namespace cmp::testing
