// Reductions over many short dense rows take a block path (cpu/row_blocks.h: several rows folded
// side by side, their lanes merged by one transposing tree): float32 sum/mean, float32 1-/2-norms
// (rows whose length is not a multiple of 16), float32 prod and any/all. Each row must come out bit
// for bit as the same row reduced alone, which takes the plain one-row path: that is the reference
// here (NaN: any NaN), checked for every reduction of the engine (sum/mean/norms/prod/amax/amin/
// any/all, so that an op later moved onto the block path is covered too), row lengths 1..300
// around every lane and run boundary, row counts that are not a multiple of the block,
// NaN/infinity anywhere in a row, and layouts whose kept dims are not contiguous. Integer sums and
// products still wrap as int64.
#include "core/parallel.h"
#include "engine_test_util.h"
#include "ops/ops.h"
#include "ops/reductions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

using Reduction = std::function<Tensor(const Tensor&, const Shape&, bool)>;

struct Named {
    const char* name;
    Reduction fn;
};

std::vector<Named> float_reductions() {
    return {{"sum", [](const Tensor& t, const Shape& d, bool k) { return ops::sum(t, d, k); }},
            {"mean", [](const Tensor& t, const Shape& d, bool k) { return ops::mean(t, d, k); }},
            {"prod", [](const Tensor& t, const Shape& d, bool k) { return ops::prod(t, d, k); }},
            {"norm1", [](const Tensor& t, const Shape& d, bool k) { return ops::vector_norm(t, 1.0, d, k); }},
            {"norm2", [](const Tensor& t, const Shape& d, bool k) { return ops::vector_norm(t, 2.0, d, k); }},
            {"amax", [](const Tensor& t, const Shape& d, bool k) { return ops::amax(t, d, k); }},
            {"amin", [](const Tensor& t, const Shape& d, bool k) { return ops::amin(t, d, k); }},
            {"any", [](const Tensor& t, const Shape& d, bool k) { return ops::any(t, d, k); }},
            {"all", [](const Tensor& t, const Shape& d, bool k) { return ops::all(t, d, k); }}};
}

// Row lengths around the lanes of every block kernel (8, 16, 32, 64) and past the block path's
// limit (256).
const int64_t kLengths[] = {1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 100, 127, 128, 129, 200, 255, 256, 257, 300};

// Values with full mantissas (so the summation order shows in the bits), a few exact zeros
// (any/all), near 1 so that products of 300 stay finite.
template <typename T>
std::vector<T> random_row_values(size_t n, uint32_t seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> dist(0.5, 1.5);
    std::vector<T> v(n);
    for (size_t i = 0; i < n; ++i) {
        const double x = dist(gen);
        v[i] = static_cast<T>(gen() % 16 == 0 ? 0.0 : (gen() % 2 ? x : -x));
    }
    return v;
}

// Each row r of t ([rows, n]) reduced alone, as a one-element reduction of a fresh [n] tensor.
template <typename T>
Tensor row_alone(const std::vector<T>& all, int64_t r, int64_t n, const Reduction& fn) {
    std::vector<T> row(all.begin() + r * n, all.begin() + (r + 1) * n);
    return fn(from_vec(row, {n}), {0}, false);
}

// The reductions of t over dim 1 against each row alone, bit for bit.
template <typename T>
void expect_rows_as_alone(const std::vector<T>& all, int64_t rows, int64_t n, const std::string& what) {
    const Tensor t = from_vec(all, {rows, n});
    for (const auto& [name, fn] : float_reductions()) {
        const Tensor got = fn(t, {1}, false);
        ASSERT_EQ(got.numel(), rows) << name << " " << what;
        for (int64_t r = 0; r < rows; ++r) {
            const Tensor alone = row_alone(all, r, n, fn);
            const Tensor one = ops::select(got, 0, r);
            // A NaN's sign and payload are not specified (which of two NaNs a product or sum
            // keeps depends on the operand order the compiler picks), only that it is NaN.
            const bool both_nan = std::isnan(values(one)[0]) && std::isnan(values(alone)[0]);
            ASSERT_TRUE(both_nan || same_bits(ops::contiguous(one), ops::reshape(alone, {})))
                << name << " " << what << " row " << r << ": " << values(one)[0] << " alone " << values(alone)[0];
        }
    }
}

template <typename T>
void check_lengths_and_counts() {
    for (int64_t n : kLengths) {
        for (int64_t rows : {2, 17, 70}) {
            const auto all = random_row_values<T>(static_cast<size_t>(rows * n), static_cast<uint32_t>(n * 1000 + rows));
            expect_rows_as_alone(all, rows, n, "n=" + std::to_string(n) + " rows=" + std::to_string(rows));
        }
    }
}

TEST(ReduceShortRows, SameBitsAsEachRowAloneFloat32) { check_lengths_and_counts<float>(); }
TEST(ReduceShortRows, SameBitsAsEachRowAloneFloat64) { check_lengths_and_counts<double>(); }

// NaN and infinities at the start, middle and end of some rows (other rows of the same block
// stay finite): amax/amin's NaN wins, and rows the vector path declines go the exact way.
template <typename T>
void check_specials() {
    const T specials[] = {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                          -std::numeric_limits<T>::infinity()};
    for (int64_t n : {16, 17, 49, 64, 100, 256}) {
        const int64_t rows = 37;
        auto all = random_row_values<T>(static_cast<size_t>(rows * n), static_cast<uint32_t>(n));
        for (int64_t r = 0; r < rows; r += 3) {
            const int64_t at = (r / 3) % 3 == 0 ? 0 : (r / 3) % 3 == 1 ? n / 2 : n - 1;
            all[static_cast<size_t>(r * n + at)] = specials[(r / 9) % 3];
        }
        // Rows with NaN and +inf, and with both infinities.
        all[static_cast<size_t>(1 * n + 3)] = specials[0];
        all[static_cast<size_t>(1 * n + n - 2)] = specials[1];
        all[static_cast<size_t>(2 * n + 1)] = specials[1];
        all[static_cast<size_t>(2 * n + n - 1)] = specials[2];
        expect_rows_as_alone(all, rows, n, "specials n=" + std::to_string(n));
        // And the NaN rule itself, beyond agreeing with the row path.
        const Tensor mx = ops::amax(from_vec(all, {rows, n}), {1}, false);
        EXPECT_TRUE(std::isnan(values(mx)[0])) << "NaN at the start of row 0 wins, n=" << n;
        EXPECT_TRUE(std::isnan(values(mx)[1])) << "NaN before +inf wins, n=" << n;
        EXPECT_EQ(values(mx)[2], std::numeric_limits<double>::infinity()) << n;
    }
}

TEST(ReduceShortRows, NanAndInfinityFloat32) { check_specials<float>(); }
TEST(ReduceShortRows, NanAndInfinityFloat64) { check_specials<double>(); }

// Signed zeros: amax/amin of rows of zeros of both signs keep the row path's choice.
TEST(ReduceShortRows, SignedZeros) {
    for (int64_t n : {16, 33, 64}) {
        std::vector<float> all(static_cast<size_t>(20 * n));
        for (size_t i = 0; i < all.size(); ++i) all[i] = (i * 7 + i / 5) % 3 ? 0.0f : -0.0f;
        expect_rows_as_alone(all, 20, n, "zeros n=" + std::to_string(n));
    }
}

// Kept dims that do not coalesce (a permuted view), keepdim, and a 4-D global-average-pool shape.
TEST(ReduceShortRows, StridedKeptDimsAndKeepdim) {
    const int64_t a = 3, rows = 23, n = 49;
    const auto v = random_row_values<float>(static_cast<size_t>(a * rows * n), 7);
    const Tensor base = from_vec(v, {a, rows, n});
    const Tensor perm = ops::permute(base, {1, 0, 2});  // [rows, a, n], kept strides n and rows * n
    for (const auto& [name, fn] : float_reductions()) {
        const Tensor got = fn(perm, {2}, true);
        ASSERT_EQ(got.sizes(), (Shape{rows, a, 1})) << name;
        for (int64_t r = 0; r < rows; ++r) {
            for (int64_t k = 0; k < a; ++k) {
                const auto first = v.begin() + (k * rows + r) * n;
                const Tensor alone = fn(from_vec(std::vector<float>(first, first + n), {n}), {0}, false);
                EXPECT_EQ(values(ops::select(ops::select(got, 0, r), 0, k))[0], values(alone)[0]) << name << " " << r << " " << k;
                EXPECT_TRUE(same_bits(ops::contiguous(ops::select(ops::select(ops::select(got, 0, r), 0, k), 0, 0)),
                                      ops::reshape(alone, {})))
                    << name << " " << r << " " << k;
            }
        }
    }
    const Tensor pool = from_vec(random_row_values<float>(4 * 8 * 7 * 7, 11), {4, 8, 7, 7});
    const Tensor m = ops::mean(pool, {2, 3}, false);
    const auto pv = raw<float>(pool);
    for (int64_t r = 0; r < 32; ++r) {
        const Tensor alone = ops::mean(from_vec(std::vector<float>(pv.begin() + r * 49, pv.begin() + (r + 1) * 49), {7, 7}), {0, 1}, false);
        EXPECT_EQ(raw<float>(m)[static_cast<size_t>(r)], raw<float>(alone)[0]) << r;
    }
}

// any/all of integer and bool rows through their bits; integer sums and products wrap in int64.
TEST(ReduceShortRows, IntegerAndBoolRows) {
    for (int64_t n : {1, 31, 64, 128, 129, 256}) {
        const int64_t rows = 67;
        std::vector<int32_t> iv(static_cast<size_t>(rows * n));
        std::vector<uint8_t> bv(iv.size());
        std::vector<bool> bools(iv.size());
        for (size_t i = 0; i < iv.size(); ++i) {
            const int64_t r = static_cast<int64_t>(i) / n;
            // Row r % 3 == 0: all nonzero; == 1: one zero; == 2: all zero but one.
            const bool nonzero = r % 3 == 0 ? true : r % 3 == 1 ? (static_cast<int64_t>(i) % n != (r * 5) % n)
                                                                : (static_cast<int64_t>(i) % n == (r * 5) % n);
            iv[i] = nonzero ? static_cast<int32_t>(256 + i % 7) : 0;  // 256: zero low byte
            bv[i] = nonzero ? static_cast<uint8_t>(1 + i % 200) : 0;
            bools[i] = nonzero;
        }
        const Tensor ti = from_vec(iv, {rows, n}), tb = from_vec(bv, {rows, n});
        Tensor tbool = ops::to_dtype(tb, CMP_DTYPE_BOOL);
        for (const Tensor& t : {ti, tb, tbool}) {
            const auto any = values(ops::any(t, {1}, false)), all = values(ops::all(t, {1}, false));
            for (int64_t r = 0; r < rows; ++r) {
                bool want_any = false, want_all = true;
                for (int64_t k = 0; k < n; ++k) want_any |= bools[static_cast<size_t>(r * n + k)], want_all &= bools[static_cast<size_t>(r * n + k)];
                EXPECT_EQ(any[static_cast<size_t>(r)], want_any ? 1.0 : 0.0) << "any n=" << n << " row " << r;
                EXPECT_EQ(all[static_cast<size_t>(r)], want_all ? 1.0 : 0.0) << "all n=" << n << " row " << r;
            }
        }
        // Wrapping int64 sum and product of int64 rows (large values overflow both).
        std::vector<int64_t> lv(static_cast<size_t>(rows * n));
        for (size_t i = 0; i < lv.size(); ++i) lv[i] = (int64_t{1} << 62) + static_cast<int64_t>(i % 1000) * 7919 + 3;
        const Tensor tl = from_vec(lv, {rows, n});
        const auto sum = raw<int64_t>(ops::sum(tl, {1}, false)), prod = raw<int64_t>(ops::prod(tl, {1}, false));
        for (int64_t r = 0; r < rows; ++r) {
            uint64_t s = 0, p = 1;
            for (int64_t k = 0; k < n; ++k) s += static_cast<uint64_t>(lv[static_cast<size_t>(r * n + k)]), p *= static_cast<uint64_t>(lv[static_cast<size_t>(r * n + k)]);
            EXPECT_EQ(static_cast<uint64_t>(sum[static_cast<size_t>(r)]), s) << "sum n=" << n << " row " << r;
            EXPECT_EQ(static_cast<uint64_t>(prod[static_cast<size_t>(r)]), p) << "prod n=" << n << " row " << r;
        }
    }
}

// The block path gives the same bits whatever the thread count (blocks are split differently).
TEST(ReduceShortRows, SameBitsForAnyThreadCount) {
    const auto v = random_row_values<float>(1000 * 49, 3);
    const Tensor t = from_vec(v, {1000, 49});
    const int32_t before = cmp::get_num_threads();
    for (const auto& [name, fn] : float_reductions()) {
        cmp::set_num_threads(1);
        const Tensor one = fn(t, {1}, false);
        cmp::set_num_threads(3);
        const Tensor three = fn(t, {1}, false);
        cmp::set_num_threads(before);
        EXPECT_TRUE(same_bits(one, three)) << name;
    }
}

#if defined(__linux__)
// The block path reads a row's last partial run as whole vectors, past the row's end, as far as
// the input's storage reaches (its highest element): never beyond it. The rows here end exactly
// at an inaccessible page, so a read past the tensor's last element faults. Dense rows, rows of
// a narrowed view (the storage runs on past each row but stops after the last one's elements)
// and a permuted view (the highest row is not the last one walked).
TEST(ReduceShortRows, TailReadsStayInsideTheStorage) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t bytes = 16 * page;
    void* mem = mmap(nullptr, bytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mem, MAP_FAILED);
    char* guard = static_cast<char*>(mem) + bytes;
    ASSERT_EQ(mprotect(guard, page, PROT_NONE), 0);
    for (int64_t n : {1, 3, 9, 17, 33, 47, 49, 65, 100, 196, 255}) {
        const int64_t rows = 37;
        const auto v = random_row_values<float>(static_cast<size_t>(rows * n), static_cast<uint32_t>(n));
        float* data = reinterpret_cast<float*>(guard) - rows * n;
        std::memcpy(data, v.data(), v.size() * sizeof(float));
        const Tensor dense = ops::from_external(data, {rows, n}, nullptr, CMP_DTYPE_FLOAT32, cmp::Device::cpu(), nullptr, nullptr);
        const Tensor want = ops::sum(from_vec(v, {rows, n}), {1}, false);
        EXPECT_TRUE(same_bits(ops::sum(dense, {1}, false), want)) << "dense n=" << n;
        // The 2-norm's blocks read their tails as the sum's do.
        EXPECT_TRUE(same_bits(ops::vector_norm(dense, 2.0, {1}, false), ops::vector_norm(from_vec(v, {rows, n}), 2.0, {1}, false)))
            << "norm dense n=" << n;
        const Tensor perm = ops::permute(ops::reshape(dense, {rows, 1, n}), {1, 0, 2});
        EXPECT_TRUE(same_bits(ops::reshape(ops::mean(perm, {2}, false), {rows}), ops::mean(from_vec(v, {rows, n}), {1}, false)))
            << "permuted n=" << n;
        // [rows, n + 7] storage, the view its first n columns of each row, ending at the guard.
        const int64_t w = n + 7;
        float* wide = reinterpret_cast<float*>(guard) - ((rows - 1) * w + n);
        std::vector<float> narrow_ref(static_cast<size_t>(rows * n));
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t k = 0; k < n; ++k) wide[r * w + k] = narrow_ref[static_cast<size_t>(r * n + k)] = v[static_cast<size_t>(r * n + k)];
        const Shape strides{w, 1};
        const Tensor narrowed = ops::from_external(wide, {rows, n}, &strides, CMP_DTYPE_FLOAT32, cmp::Device::cpu(), nullptr, nullptr);
        EXPECT_TRUE(same_bits(ops::sum(narrowed, {1}, false), ops::sum(from_vec(narrow_ref, {rows, n}), {1}, false)))
            << "narrowed n=" << n;
    }
    munmap(mem, bytes + page);
}
#endif

}  // namespace
