// The CPU GEMM against a naive double-precision reference: every ISA variant this CPU can run,
// many shapes (edge tiles, K not a multiple of the cache block, large), transposed, sliced,
// broadcast and negative-stride operands, alpha/beta, and the integer and 16-bit float paths.
//
// Tolerance: for a length-K dot product computed in floating point with unit roundoff u, the
// classical bound is |error| <= gamma_K * sum_p |a_p b_p| with gamma_K = K u / (1 - K u)
// (Higham, Accuracy and Stability of Numerical Algorithms, 3.1); alpha, beta and the final
// add contribute a few more roundings. We allow (K + 4) * eps * (|alpha| sum|a b| + |beta c|),
// i.e. twice the bound (eps = 2u): a kernel that drops or repeats one product is off by a
// term of size ~sum|a b| / K, far above it for every K tested.
#include "core/half.h"
#include "core/parallel.h"
#include "cpu/dispatch_stub.h"
#include "cpu/gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using cmp::DType;
using cmp::cpu::gemm_fn;

// A strided matrix view over its own storage, in one of several layouts.
enum class Layout { RowMajor, ColMajor, Padded, ColStrided, Negative, BroadcastRow };

const char* layout_name(Layout l) {
    switch (l) {
        case Layout::RowMajor: return "row-major";
        case Layout::ColMajor: return "col-major";
        case Layout::Padded: return "padded";
        case Layout::ColStrided: return "col-strided";
        case Layout::Negative: return "negative";
        case Layout::BroadcastRow: return "broadcast-row";
    }
    return "?";
}

template <typename T>
struct Mat {
    int64_t rows = 0, cols = 0, rs = 0, cs = 0, origin = 0;
    std::vector<T> storage;

    Mat(int64_t r, int64_t c, Layout layout, std::mt19937& rng, double lo = -1.0, double hi = 1.0) : rows(r), cols(c) {
        int64_t size = 0;
        switch (layout) {
            case Layout::RowMajor: rs = c; cs = 1; size = r * c; break;
            case Layout::ColMajor: rs = 1; cs = r; size = r * c; break;
            case Layout::Padded: rs = c + 3; cs = 1; size = r * (c + 3); break;
            case Layout::ColStrided: rs = 2 * c + 1; cs = 2; size = r * (2 * c + 1); break;
            // Rows stored bottom to top (a flipped view): negative row stride.
            case Layout::Negative: rs = -c; cs = 1; size = r * c; origin = (r - 1) * c; break;
            // Every row is the same storage row (stride 0), like an expanded tensor.
            case Layout::BroadcastRow: rs = 0; cs = 1; size = c; break;
        }
        storage.resize(static_cast<size_t>(std::max<int64_t>(size, 1)));
        std::uniform_real_distribution<double> dist(lo, hi);
        for (auto& v : storage) {
            if constexpr (std::is_floating_point_v<T>) v = static_cast<T>(dist(rng));
            else v = static_cast<T>(std::llround(dist(rng)));
        }
    }
    T* ptr() { return storage.data() + origin; }
    T at(int64_t i, int64_t j) const { return storage[static_cast<size_t>(origin + i * rs + j * cs)]; }
};

struct Shape3 {
    int64_t m, n, k;
};

// Shapes around every register-tile and cache-block edge of every variant (MR 6/12, NR
// 4..32, KC 256, MC 96..192), plus a large case. With the column-major B and row-major A
// layouts below they also cover the transposing pack (x @ W^T, the Linear forward).
const std::vector<Shape3> kShapes = {
    {1, 1, 1},   {1, 7, 3},    {5, 1, 9},    {2, 3, 1},     {7, 13, 17},   {12, 32, 64},
    {13, 33, 65}, {6, 16, 256}, {11, 31, 257}, {33, 65, 300}, {97, 100, 513}, {193, 47, 31},
    {64, 200, 8}, {257, 513, 129},
    // Edge tiles run smaller kernels: m % 12 of 4 (the 64-row batches of Linear layers), 8
    // and 5, m below a third of a tile, and a last B panel of one vector (n % 32 = 16 or 8);
    // k with and without a tail after whole 16-wide blocks of the transposing pack.
    {64, 48, 35}, {20, 40, 50}, {17, 16, 33}, {3, 100, 48}, {2, 24, 16},
    // Up to MC rows, B panels are packed one at a time just before use; above it, whole
    // KC x NC blocks: m just over every variant's MC, with several k slices.
    {197, 20, 270},
    // Matrix-vector shapes (their own path): several column blocks, k not a multiple of 64.
    {1, 2500, 300}, {700, 1, 1030},
};

template <typename T>
double eps_of() {
    return std::numeric_limits<T>::epsilon();
}

// Runs fn (a gemm_fn<T>) for one case and checks every element against the reference.
template <typename T>
void check_case(gemm_fn<T> fn, const Shape3& s, Layout la, Layout lb, Layout lc, double alpha, double beta,
                std::mt19937& rng, const std::string& what) {
    Mat<T> a(s.m, s.k, la, rng), b(s.k, s.n, lb, rng), c(s.m, s.n, lc, rng);
    if (lc == Layout::BroadcastRow) return;  // an output cannot alias itself
    const Mat<T> c0 = c;
    fn(s.m, s.n, s.k, static_cast<T>(alpha), a.ptr(), a.rs, a.cs, b.ptr(), b.rs, b.cs, static_cast<T>(beta), c.ptr(),
       c.rs, c.cs);
    int failures = 0;
    for (int64_t i = 0; i < s.m && failures < 5; ++i) {
        for (int64_t j = 0; j < s.n && failures < 5; ++j) {
            double dot = 0, mag = 0;
            for (int64_t p = 0; p < s.k; ++p) {
                dot += static_cast<double>(a.at(i, p)) * static_cast<double>(b.at(p, j));
                mag += std::abs(static_cast<double>(a.at(i, p)) * static_cast<double>(b.at(p, j)));
            }
            const double old = beta == 0 ? 0.0 : static_cast<double>(c0.at(i, j));
            const double want = alpha * dot + beta * old;
            const double tol = (static_cast<double>(s.k) + 4) * eps_of<T>() * (std::abs(alpha) * mag + std::abs(beta * old)) +
                               std::numeric_limits<T>::min();
            const double got = static_cast<double>(c.at(i, j));
            if (!(std::abs(got - want) <= tol)) {
                ADD_FAILURE() << what << " C(" << i << "," << j << ") = " << got << ", want " << want << " +- " << tol;
                ++failures;
            }
        }
    }
}

// The variants this CPU can run: every level up to the one selected at load.
template <typename T>
std::vector<std::pair<int, gemm_fn<T>>> runnable_variants(cmp::cpu::DispatchStub<gemm_fn<T>>& stub) {
    std::vector<std::pair<int, gemm_fn<T>>> out;
    for (int level = 0; level <= cmp::cpu::selected_isa_level(); ++level) {
        if (auto fn = stub.at(level)) out.emplace_back(level, fn);
    }
    return out;
}

template <typename T>
void run_all_variants(cmp::cpu::DispatchStub<gemm_fn<T>>& stub, const char* dtype) {
    const auto variants = runnable_variants(stub);
    ASSERT_FALSE(variants.empty()) << "no " << dtype << " GEMM registered";
    ASSERT_EQ(variants.front().first, 0) << "the baseline " << dtype << " GEMM must always exist";
    std::mt19937 rng(1234);
    const Layout in_layouts[] = {Layout::RowMajor, Layout::ColMajor, Layout::Padded, Layout::ColStrided,
                                 Layout::Negative, Layout::BroadcastRow};
    for (const auto& [level, fn] : variants) {
        for (const Shape3& s : kShapes) {
            const std::string base = std::string(dtype) + " " + cmp::cpu::isa_level_name(level) + " " +
                                     std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k);
            // Plain product, then every A and B layout, then C layouts with alpha/beta.
            check_case<T>(fn, s, Layout::RowMajor, Layout::RowMajor, Layout::RowMajor, 1.0, 0.0, rng, base);
            if (s.m * s.n * s.k > 2'000'000) continue;  // the large case: plain layout is enough
            for (Layout la : in_layouts) {
                for (Layout lb : in_layouts) {
                    check_case<T>(fn, s, la, lb, Layout::RowMajor, 1.0, 0.0, rng,
                                  base + " A " + layout_name(la) + " B " + layout_name(lb));
                }
            }
            check_case<T>(fn, s, Layout::ColMajor, Layout::RowMajor, Layout::ColMajor, 2.5, 0.0, rng, base + " C col-major");
            check_case<T>(fn, s, Layout::RowMajor, Layout::ColMajor, Layout::Padded, -1.5, 0.5, rng, base + " C padded beta");
            check_case<T>(fn, s, Layout::Padded, Layout::Padded, Layout::ColStrided, 1.0, 1.0, rng, base + " C strided beta=1");
            check_case<T>(fn, s, Layout::RowMajor, Layout::RowMajor, Layout::Negative, 0.75, -2.0, rng, base + " C negative");
        }
    }
}

TEST(Gemm, Float32EveryVariantMatchesReference) { run_all_variants<float>(cmp::cpu::gemm_f32_stub, "float32"); }
TEST(Gemm, Float64EveryVariantMatchesReference) { run_all_variants<double>(cmp::cpu::gemm_f64_stub, "float64"); }

// The optimised variants must be present where the CPU has the instructions: otherwise the
// tests above would silently check only the baseline.
TEST(Gemm, SelectedLevelHasKernels) {
    const int level = cmp::cpu::selected_isa_level();
    EXPECT_NE(cmp::cpu::gemm_f32_stub.at(level), nullptr) << cmp::cpu::isa_level_name(level);
    EXPECT_NE(cmp::cpu::gemm_f64_stub.at(level), nullptr) << cmp::cpu::isa_level_name(level);
}

template <typename T>
void check_special_cases(gemm_fn<T> fn, const std::string& name) {
    std::mt19937 rng(7);
    // beta == 0: C is never read, so NaN garbage in it must not leak into the result.
    {
        Mat<T> a(9, 5, Layout::RowMajor, rng), b(5, 40, Layout::RowMajor, rng);
        std::vector<T> c(9 * 40, std::numeric_limits<T>::quiet_NaN());
        fn(9, 40, 5, T(1), a.ptr(), a.rs, a.cs, b.ptr(), b.rs, b.cs, T(0), c.data(), 40, 1);
        for (T v : c) ASSERT_FALSE(std::isnan(v)) << name << ": beta=0 read C";
    }
    // K == 0: C = beta * C (zeros for beta == 0, even over NaN).
    {
        std::vector<T> c(6 * 7, std::numeric_limits<T>::quiet_NaN());
        fn(6, 7, 0, T(1), nullptr, 0, 1, nullptr, 7, 1, T(0), c.data(), 7, 1);
        for (T v : c) ASSERT_EQ(v, T(0)) << name << ": K=0 with beta=0 must give zeros";
        std::vector<T> d(6 * 7, T(3));
        fn(6, 7, 0, T(1), nullptr, 0, 1, nullptr, 7, 1, T(2), d.data(), 7, 1);
        for (T v : d) ASSERT_EQ(v, T(6)) << name << ": K=0 must scale C by beta";
    }
    // M == 0 or N == 0: nothing is touched.
    {
        std::vector<T> c(4, T(5));
        fn(0, 4, 3, T(1), nullptr, 3, 1, nullptr, 4, 1, T(0), c.data(), 4, 1);
        fn(4, 0, 3, T(1), nullptr, 3, 1, nullptr, 0, 1, T(0), c.data(), 0, 1);
        for (T v : c) ASSERT_EQ(v, T(5)) << name;
    }
}

TEST(Gemm, SpecialCasesEveryVariant) {
    for (const auto& [level, fn] : runnable_variants(cmp::cpu::gemm_f32_stub))
        check_special_cases<float>(fn, std::string("float32 ") + cmp::cpu::isa_level_name(level));
    for (const auto& [level, fn] : runnable_variants(cmp::cpu::gemm_f64_stub))
        check_special_cases<double>(fn, std::string("float64 ") + cmp::cpu::isa_level_name(level));
}

// Each element of C is accumulated in the same order whatever the thread split, so the
// result is bit-identical for any thread count. The shapes make the threads split m, n or
// both (few row tiles and many B panels, and the reverse).
TEST(Gemm, SameBitsForAnyThreadCount) {
    std::mt19937 rng(99);
    const int32_t saved = cmp::get_num_threads();
    for (const Shape3 s : {Shape3{301, 419, 257}, Shape3{13, 900, 300}, Shape3{700, 20, 290}, Shape3{64, 2000, 100},
                           Shape3{2000, 64, 100}}) {
        Mat<float> a(s.m, s.k, Layout::RowMajor, rng), b(s.k, s.n, Layout::ColMajor, rng);
        std::vector<float> first;
        for (int32_t threads : {1, 2, 3, 4, 7}) {
            std::vector<float> c(static_cast<size_t>(s.m * s.n));
            cmp::set_num_threads(threads);
            cmp::cpu::gemm(CMP_DTYPE_FLOAT32, s.m, s.n, s.k, 1.0, a.ptr(), a.rs, a.cs, b.ptr(), b.rs, b.cs, 0.0,
                           c.data(), s.n, 1);
            if (first.empty()) first = c;
            else EXPECT_EQ(c, first) << threads << " threads, " << s.m << "x" << s.n << "x" << s.k;
        }
    }
    cmp::set_num_threads(saved);
}

// Integer GEMM wraps around like the dtype's own arithmetic (PyTorch: int8 100*100*2 = 32).
template <typename T>
void check_integer(DType dtype, double lo, double hi) {
    std::mt19937 rng(5);
    const Shape3 s{17, 23, 41};
    Mat<T> a(s.m, s.k, Layout::ColMajor, rng, lo, hi), b(s.k, s.n, Layout::Padded, rng, lo, hi);
    std::vector<T> c(static_cast<size_t>(s.m * s.n));
    cmp::cpu::gemm(dtype, s.m, s.n, s.k, 1.0, a.ptr(), a.rs, a.cs, b.ptr(), b.rs, b.cs, 0.0, c.data(), s.n, 1);
    for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < s.n; ++j) {
            uint64_t acc = 0;  // modular reference
            for (int64_t p = 0; p < s.k; ++p)
                acc += static_cast<uint64_t>(static_cast<int64_t>(a.at(i, p))) *
                       static_cast<uint64_t>(static_cast<int64_t>(b.at(p, j)));
            ASSERT_EQ(c[i * s.n + j], static_cast<T>(acc)) << cmp::dtype_name(dtype) << " C(" << i << "," << j << ")";
        }
    }
}

TEST(Gemm, IntegerTypesWrapLikeTheDtype) {
    check_integer<int64_t>(CMP_DTYPE_INT64, -1e6, 1e6);
    check_integer<int32_t>(CMP_DTYPE_INT32, -60000, 60000);  // products overflow int32: wraps
    check_integer<int16_t>(CMP_DTYPE_INT16, -300, 300);
    check_integer<int8_t>(CMP_DTYPE_INT8, -128, 127);
    check_integer<uint8_t>(CMP_DTYPE_UINT8, 0, 255);
}

TEST(Gemm, Int8ProductWrapsAsInPyTorch) {
    // torch.full((2,2),100,dtype=torch.int8) @ same == 32 in every element (20000 mod 256).
    std::vector<int8_t> a(4, 100), c(4, 0);
    cmp::cpu::gemm(CMP_DTYPE_INT8, 2, 2, 2, 1.0, a.data(), 2, 1, a.data(), 2, 1, 0.0, c.data(), 2, 1);
    for (int8_t v : c) EXPECT_EQ(v, static_cast<int8_t>(20000));
}

// float16 / bfloat16: float32 accumulation, one rounding at the end. Reference: the exact
// product of the (exactly widened) inputs; allowed error is half an ulp of the 16-bit result
// (the final rounding) plus the float32 accumulation bound.
template <typename T>
void check_reduced(DType dtype, int mantissa_bits) {
    std::mt19937 rng(11);
    const Shape3 s{19, 37, 70};
    Mat<float> af(s.m, s.k, Layout::RowMajor, rng), bf(s.k, s.n, Layout::RowMajor, rng);
    std::vector<T> a(af.storage.begin(), af.storage.end()), b(bf.storage.begin(), bf.storage.end());
    std::vector<T> c(static_cast<size_t>(s.m * s.n));
    cmp::cpu::gemm(dtype, s.m, s.n, s.k, 1.0, a.data(), af.rs, af.cs, b.data(), bf.rs, bf.cs, 0.0, c.data(), s.n, 1);
    for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < s.n; ++j) {
            double dot = 0, mag = 0;
            for (int64_t p = 0; p < s.k; ++p) {
                const double x = static_cast<float>(a[i * s.k + p]) * static_cast<double>(static_cast<float>(b[p * s.n + j]));
                dot += x;
                mag += std::abs(x);
            }
            const double tol = std::ldexp(std::abs(dot), -mantissa_bits) + (s.k + 4) * eps_of<float>() * mag;
            ASSERT_NEAR(static_cast<float>(c[i * s.n + j]), dot, tol) << cmp::dtype_name(dtype);
        }
    }
}

TEST(Gemm, ReducedFloatsAccumulateInFloat32) {
    check_reduced<cmp::Half>(CMP_DTYPE_FLOAT16, 11);
    check_reduced<cmp::BFloat16>(CMP_DTYPE_BFLOAT16, 8);
}

TEST(Gemm, BatchedUsesEachOffset) {
    std::mt19937 rng(3);
    const int64_t m = 5, n = 6, k = 7, batch = 40;
    std::vector<double> a(static_cast<size_t>(batch * m * k)), b(static_cast<size_t>(k * n)), c(static_cast<size_t>(batch * m * n));
    std::uniform_real_distribution<double> dist(-1, 1);
    for (auto& v : a) v = dist(rng);
    for (auto& v : b) v = dist(rng);
    std::vector<int64_t> ao, bo, co;
    for (int64_t i = 0; i < batch; ++i) {
        ao.push_back(i * m * k);
        bo.push_back(0);  // one B shared by the batch (a broadcast operand)
        co.push_back(i * m * n);
    }
    cmp::cpu::gemm_batched(CMP_DTYPE_FLOAT64, batch, ao.data(), bo.data(), co.data(), m, n, k, 1.0, a.data(), k, 1,
                           b.data(), n, 1, 0.0, c.data(), n, 1);
    for (int64_t t = 0; t < batch; ++t)
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                double want = 0, mag = 0;
                for (int64_t p = 0; p < k; ++p) {
                    want += a[t * m * k + i * k + p] * b[p * n + j];
                    mag += std::abs(a[t * m * k + i * k + p] * b[p * n + j]);
                }
                ASSERT_NEAR(c[t * m * n + i * n + j], want, (k + 4) * eps_of<double>() * mag) << "batch " << t;
            }
}

}  // namespace
