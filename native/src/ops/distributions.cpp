// Random distributions on the default Philox generator: randperm, normal, uniform_, bernoulli,
// multinomial. Everything but randperm draws through rand/randn (ops/random.cpp), so the
// stream layout of core/philox.h decides every value; each op states below which elements of
// which call feed it. The results depend only on (seed, offset), never on the thread count.
#include "ops/factories_ops.h"

#include "core/half.h"
#include "core/multinomial_rows.h"
#include "core/parallel.h"
#include "core/philox.h"
#include "cpu/random_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/reductions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

namespace cmp::ops {
namespace {

template <typename T>
T from_double(double v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}

// A contiguous float64 copy of t's values (inputs of any layout and floating dtype).
std::vector<double> values_f64(const Tensor& t) {
    const Tensor c = contiguous(to_dtype(t, CMP_DTYPE_FLOAT64));
    const double* p = c.data<double>();
    return std::vector<double>(p, p + c.numel());
}

void check_floating(const char* op, const Tensor& t, const char* arg) {
    CMP_CHECK(is_floating(t.dtype()), DTYPE_MISMATCH, op, ": expected a floating dtype for '", arg, "', but got ",
              dtype_name(t.dtype()), " (shape ", t.sizes(), ")");
}

void check_std(double std) {
    CMP_CHECK(std >= 0.0, INVALID_ARGUMENT, "normal: expects std >= 0.0, but found std ", std);
}

}  // namespace

// randperm: n keys, key i = the 64-bit word pair i % 2 of block offset + i / 2 (randint's
// positions; ceil(n / 2) blocks). The permutation lists 0..n-1 ordered by (key, index): a
// uniformly random order, since the keys are independent and ties have probability ~n^2/2^65.
// On CUDA the keys are drawn at the same positions and sorted with CUB's stable radix sort.
Tensor randperm(int64_t n, DType dtype, Device device) {
    require_available(device, "randperm");
    CMP_CHECK(n >= 0, INVALID_ARGUMENT, "randperm: n must be non-negative, got ", n);
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "randperm: not defined for dtype bool");
    CMP_DISPATCH_NUMERIC_TYPES(dtype, "randperm", [&] {
        double largest;
        if constexpr (std::is_same_v<scalar_t, Half>) largest = 2048;
        else if constexpr (std::is_same_v<scalar_t, BFloat16>) largest = 256;
        else if constexpr (std::is_floating_point_v<scalar_t>) largest = std::ldexp(1.0, std::numeric_limits<scalar_t>::digits);
        else largest = static_cast<double>(std::numeric_limits<scalar_t>::max());
        CMP_CHECK(n == 0 || static_cast<double>(n - 1) <= largest, INVALID_ARGUMENT, "randperm: n = ", n,
                  " is too large for dtype ", dtype_name(dtype), " (values up to ", static_cast<int64_t>(largest),
                  " are representable)");
    });
    CMP_CHECK(device.is_cpu() || n <= std::numeric_limits<int32_t>::max(), INVALID_ARGUMENT, "randperm: n = ", n,
              " is too large on CUDA (at most 2^31 - 1: CUB's sort)");
    Tensor out = Tensor::empty({n}, dtype, device);
    if (n == 0) return out;
    const PhiloxState state = philox_reserve(static_cast<uint64_t>((n + 1) / 2));
    if (!device.is_cpu()) {
        cuda_ops::randperm("randperm", state.seed, state.offset, out);
        return out;
    }
    std::vector<uint64_t> keys(static_cast<size_t>(n));
    parallel_for(0, (n + 1) / 2, 4096, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            const PhiloxBlock block = philox_block(state.seed, state.offset + static_cast<uint64_t>(b));
            for (int j = 0; j < 2 && 2 * b + j < n; ++j) keys[2 * b + j] = philox_u64(block, j);
        }
    });
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return keys[a] != keys[b] ? keys[a] < keys[b] : a < b; });
    CMP_DISPATCH_NUMERIC_TYPES(dtype, "randperm", [&] {
        scalar_t* p = out.data<scalar_t>();
        for (int64_t i = 0; i < n; ++i) p[i] = from_double<scalar_t>(static_cast<double>(order[i]));
    });
    return out;
}

// normal: randn of the result's shape and dtype (its layout), then mean + std * z in float64.
void normal_(const Tensor& t, double mean, double std) {
    require_available(t.device(), "normal_");
    check_floating("normal_", t, "tensor");
    check_std(std);
    if (t.numel() == 0) return;
    random_affine_(t, "normal_", true, mean, std);
}

Tensor normal(double mean, double std, const Shape& sizes, DType dtype, Device device) {
    require_available(device, "normal");
    CMP_CHECK(is_floating(dtype), DTYPE_MISMATCH, "normal: expected a floating dtype, got ", dtype_name(dtype));
    check_std(std);
    Tensor out = Tensor::empty(sizes, dtype, device);
    normal_(out, mean, std);
    return out;
}

Tensor normal(const Tensor& mean, const Tensor& std) {
    CMP_CHECK(mean.device() == std.device(), DEVICE_ERROR, "normal: expected 'mean' and 'std' on one device, but got ",
              mean.device().str(), " and ", std.device().str());
    require_available(mean.device(), "normal");
    check_floating("normal", mean, "mean");
    check_floating("normal", std, "std");
    // On the tensors' device (one bool read back); NaN passes, as in PyTorch.
    const Tensor zero = scalar_tensor(scalar_float(0.0), std.device());
    const bool negative = std.numel() > 0 && to_device(any(compare(CompareOp::Lt, std, zero), {}, false), Device::cpu()).data<bool>()[0];
    CMP_CHECK(!negative, INVALID_ARGUMENT, "normal: expects all elements of std >= 0.0 (shape ", std.sizes(), ")");
    // Broadcast shape of mean and std (the add below also checks it and names both shapes).
    const Tensor shape_probe = add(mean, std, scalar_int(1));
    Tensor z = randn(shape_probe.sizes(), mean.dtype(), mean.device());
    return to_dtype(add(mean, mul(std, z), scalar_int(1)), mean.dtype());
}

// uniform_: rand of t's shape and dtype, then from + (to - from) * u in float64, rounded to the
// dtype (like PyTorch, a value just below `to` may round up to it in a narrow dtype).
void uniform_(const Tensor& t, double from, double to) {
    require_available(t.device(), "uniform_");
    check_floating("uniform_", t, "tensor");
    CMP_CHECK(from <= to, INVALID_ARGUMENT, "uniform_: expects to return a [from, to) range, but found from=", from,
              " > to=", to);
    CMP_CHECK(std::isfinite(to - from), INVALID_ARGUMENT, "uniform_: to - from must be finite, got from=", from,
              " and to=", to);
    if (t.numel() == 0) return;
    random_affine_(t, "uniform_", false, from, to - from);
}

// bernoulli: u = rand(shape, float64) (one element per output element, row-major); the
// result is 1 where u < p.
namespace {
// p: null for one p_all, else numel contiguous values of p_dtype (float32 or float64).
Tensor bernoulli_from(const Tensor& like, DType dtype, const void* p, DType p_dtype, double p_all) {
    Tensor out = Tensor::empty(like.sizes(), dtype, like.device());
    const int64_t n = out.numel();
    if (n == 0) return out;
    // rand(like.sizes(), float64)'s blocks, compared in the kernel without the float64 tensor.
    const PhiloxState state = philox_reserve(static_cast<uint64_t>((n + 1) / 2));
    if (!like.device().is_cpu()) {
        compute_cuda_random r = cuda_ops::random_draw(COMPUTE_CUDA_RANDOM_BERNOULLI, state.seed, state.offset);
        r.p = p;
        r.p_dtype = static_cast<int32_t>(p_dtype);
        r.p_all = p_all;
        cuda_ops::random("bernoulli", r, out);
        return out;
    }
    cpu::bernoulli_stub(dtype, cpu::RandomDraw{state.seed, state.offset}, n, p, p_dtype, p_all, out.data_ptr());
    return out;
}
}  // namespace

Tensor bernoulli(const Tensor& p) {
    require_available(p.device(), "bernoulli");
    check_floating("bernoulli", p, "p");
    // float32 and float64 p are read as they are; float16 and bfloat16 through float32 (exact).
    const DType p_dtype = p.dtype() == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    const Tensor pc = contiguous(to_dtype(p, p_dtype));
    if (!p.device().is_cpu()) {
        // On a device: its smallest and largest p, two numbers read back (NaN fails both tests).
        if (pc.numel() > 0) {
            auto on_host = [](const Tensor& t) {
                return to_dtype(to_device(t, Device::cpu()), CMP_DTYPE_FLOAT64).data<double>()[0];
            };
            const double lo = on_host(amin(pc, {}, false)), hi = on_host(amax(pc, {}, false));
            CMP_CHECK(lo >= 0 && hi <= 1, INVALID_ARGUMENT, "bernoulli: expects all elements of p to be in [0, 1], but got ",
                      "values from ", lo, " to ", hi, " (shape ", p.sizes(), ")");
        }
        return bernoulli_from(p, p.dtype(), pc.data_ptr(), p_dtype, 0.0);
    }
    CMP_DISPATCH_FLOATING_TYPES(p_dtype, "bernoulli", [&] {
        const scalar_t* v = pc.data<scalar_t>();
        for (int64_t i = 0, n = pc.numel(); i < n; ++i) {
            CMP_CHECK(v[i] >= 0 && v[i] <= 1, INVALID_ARGUMENT, "bernoulli: expects all elements of p to be in [0, 1], but got ",
                      static_cast<double>(v[i]), " (shape ", p.sizes(), ")");
        }
    });
    return bernoulli_from(p, p.dtype(), pc.data_ptr(), p_dtype, 0.0);
}

Tensor bernoulli(const Tensor& t, double p) {
    require_available(t.device(), "bernoulli");
    CMP_CHECK(p >= 0.0 && p <= 1.0, INVALID_ARGUMENT, "bernoulli: expects p to be in [0, 1], but got p=", p);
    return bernoulli_from(t, t.dtype(), nullptr, CMP_DTYPE_FLOAT64, p);
}

namespace {
// multinomial's message for the first failure of its checks (ops/cuda_ops.h's order; category ==
// cats for a row whose sum is not positive).
void multinomial_fail(const cuda_ops::MultinomialFailure& f, int64_t cats) {
    CMP_CHECK(f.category == cats, INVALID_ARGUMENT,
              "multinomial: probability tensor contains either `inf`, `nan` or element < 0 (row ", f.row,
              ", category ", f.category, ": ", f.value, ")");
    CMP_CHECK(false, INVALID_ARGUMENT, "multinomial: invalid multinomial distribution (sum of probabilities <= 0) in row ",
              f.row);
}
}  // namespace

// multinomial: u = rand([rows, num_samples], float64) with replacement (sample s of row r uses
// element r * num_samples + s: the first category whose running sum exceeds u * total), and
// u = rand([rows, categories], float64) without (category c of row r gets the key
// p_c / -log(1 - u): the num_samples largest keys, ties to the lower index, are an ordered
// sample without replacement; zero-probability categories come last, in index order). The sums,
// picks and keys are core/multinomial_rows.h's, which the CUDA kernels run too, so a seed gives
// the same samples on both devices.
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement) {
    require_available(probs.device(), "multinomial");
    CMP_CHECK(probs.dim() == 1 || probs.dim() == 2, SHAPE_MISMATCH,
              "multinomial: prob_dist must be 1 or 2 dim, but got shape ", probs.sizes());
    CMP_CHECK(is_floating(probs.dtype()), DTYPE_MISMATCH,
              "multinomial: only supports floating-point dtypes for input, got ", dtype_name(probs.dtype()));
    CMP_CHECK(num_samples > 0, INVALID_ARGUMENT, "multinomial: cannot sample n_sample <= 0 samples (num_samples=",
              num_samples, ")");
    const int64_t cats = probs.size(-1);
    const int64_t rows = probs.dim() == 2 ? probs.size(0) : 1;
    CMP_CHECK(replacement || num_samples <= cats, INVALID_ARGUMENT, "multinomial: cannot sample n_sample (",
              num_samples, ") > prob_dist.size(-1) (", cats, ") samples without replacement");
    const Shape out_sizes = probs.dim() == 2 ? Shape{rows, num_samples} : Shape{num_samples};
    if (!probs.device().is_cpu()) {
        CMP_CHECK(replacement || rows * cats <= std::numeric_limits<int32_t>::max(), INVALID_ARGUMENT,
                  "multinomial: ", rows, " x ", cats,
                  " probabilities without replacement are too many on CUDA (at most 2^31 - 1: CUB's sort)");
        // The checks on the device (one word read back, the bad element only on failure), then
        // the draw and the samples there.
        if (rows > 0 && cats == 0) multinomial_fail({0, 0, 0.0}, 0);  // an empty row's sum is 0
        const Tensor pc = contiguous(to_dtype(probs.dim() == 2 ? probs : reshape(probs, {1, cats}), CMP_DTYPE_FLOAT64));
        if (const auto bad = cuda_ops::multinomial_check("multinomial", pc)) multinomial_fail(*bad, cats);
        Tensor out = Tensor::empty(out_sizes, CMP_DTYPE_INT64, probs.device());
        const Tensor u = rand({rows, replacement ? num_samples : cats}, CMP_DTYPE_FLOAT64, probs.device());
        cuda_ops::multinomial_sample("multinomial", pc, u, replacement, out);
        return out;
    }
    const std::vector<double> p = values_f64(probs);
    std::vector<double> totals(static_cast<size_t>(rows), 0.0);
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < cats; ++c) {
            const double v = p[r * cats + c];
            if (!(std::isfinite(v) && v >= 0.0)) multinomial_fail({r, c, v}, cats);
            totals[r] += v;
        }
        if (!(totals[r] > 0.0)) multinomial_fail({r, cats, 0.0}, cats);
    }
    Tensor out = Tensor::empty(out_sizes, CMP_DTYPE_INT64, probs.device());
    int64_t* o = out.data<int64_t>();
    if (replacement) {
        const Tensor u = rand({rows, num_samples}, CMP_DTYPE_FLOAT64, probs.device());
        const double* up = u.data<double>();
        parallel_for(0, rows, 1, [&](int64_t r0, int64_t r1) {
            std::vector<double> cum(static_cast<size_t>(cats));
            for (int64_t r = r0; r < r1; ++r) {
                const int64_t last_nonzero = multinomial_cumsum(p.data() + r * cats, cats, cum.data());
                for (int64_t s = 0; s < num_samples; ++s)
                    o[r * num_samples + s] = multinomial_pick(cum.data(), cats, last_nonzero, up[r * num_samples + s]);
            }
        });
    } else {
        const Tensor u = rand({rows, cats}, CMP_DTYPE_FLOAT64, probs.device());
        const double* up = u.data<double>();
        parallel_for(0, rows, 1, [&](int64_t r0, int64_t r1) {
            std::vector<double> key(static_cast<size_t>(cats));
            std::vector<int64_t> idx(static_cast<size_t>(cats));
            for (int64_t r = r0; r < r1; ++r) {
                for (int64_t c = 0; c < cats; ++c) key[c] = multinomial_key(p[r * cats + c], up[r * cats + c]);
                std::iota(idx.begin(), idx.end(), 0);
                std::partial_sort(idx.begin(), idx.begin() + num_samples, idx.end(), [&](int64_t a, int64_t b) {
                    return key[a] != key[b] ? key[a] > key[b] : a < b;
                });
                std::copy(idx.begin(), idx.begin() + num_samples, o + r * num_samples);
            }
        });
    }
    return out;
}

}  // namespace cmp::ops
