// Kernels of the sort/search family: sort and top-k along a dim ((ordered key, index) pairs per
// line, lines shared out over the pool), the binary search behind searchsorted/bucketize, and
// the run boundaries of unique.
#include "cpu/sort_search_stubs.h"
#include "cpu/sort_key.h"
#include "cpu/loops.h"
#include "cpu/reduce_loops.h"
#include "cpu/vec_math.h"

#include "core/parallel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace cmp::cpu {
namespace {

// The type searches and equality tests compare in: float for the 16-bit floats, else the type itself.
template <typename T>
using compare_t = opmath_t<T>;

// ---- ordered keys -----------------------------------------------------------------------
// Every sort and top-k works on (key, index) pairs (cpu/sort_key.h, shared with the CUDA
// backend): the comparisons are plain integer compares, without NaN branches.

// The unsigned key of v; the 16-bit floats are keyed through their float value.
template <typename T>
CMP_VEC_INLINE radix_key_t<T> radix_key(T v, bool descending) {
    if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_same_v<T, float> ||
                  std::is_same_v<T, double>) {
        return sort_key<T>(v, descending);
    } else {
        return sort_key<float>(static_cast<float>(static_cast<opmath_t<T>>(v)), descending);
    }
}

// The keys of n contiguous elements and their least one, in a loop that vectorises for
// float and double (topk's scan).
template <typename T>
radix_key_t<T> block_keys(const T* src, int64_t n, bool descending, radix_key_t<T>* keys) {
    using U = radix_key_t<T>;
    U least = ~U(0);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
        const U flip = descending ? ~U(0) : U(0);
        for (int64_t q = 0; q < n; ++q) {
            U u;
            std::memcpy(&u, src + q, sizeof(U));
            keys[q] = float_bits_key<U>(u, flip);
            least = std::min(least, keys[q]);
        }
    } else {
        for (int64_t q = 0; q < n; ++q) {
            keys[q] = radix_key<T>(src[q], descending);
            least = std::min(least, keys[q]);
        }
    }
    return least;
}

// The value back from its key, so sorted values are written without a second, random-order read
// of the input (which dominates long lines). Keys lose two things, and for them `exact` is false
// and the caller copies the input element: the sign of a zero and the payload of a NaN.
template <typename T>
inline T radix_value(radix_key_t<T> key, bool descending, bool& exact) {
    using U = radix_key_t<T>;
    const U u = descending ? ~key : key;
    exact = true;
    if constexpr (std::is_same_v<T, bool>) {
        return u != 0;
    } else if constexpr (std::is_integral_v<T>) {
        if constexpr (std::is_signed_v<T>) return static_cast<T>(static_cast<std::make_signed_t<U>>(u ^ (U(1) << (sizeof(U) * 8 - 1))));
        else return static_cast<T>(u);
    } else {
        using F = std::conditional_t<(sizeof(T) == 8), double, float>;
        const U sign = U(1) << (sizeof(U) * 8 - 1);
        const U bits = (u & sign) ? (u & ~sign) : ~u;
        F f;
        std::memcpy(&f, &bits, sizeof(U));
        exact = u != ~U(0) && f != F(0);
        return convert<T>(f);
    }
}

template <typename U>
void radix_sort(std::vector<std::pair<U, int64_t>>& a, std::vector<std::pair<U, int64_t>>& tmp) {
    constexpr unsigned kBytes = sizeof(U);
    const size_t n = a.size();
    tmp.resize(n);
    // Histograms of every byte in one read of the keys (long lines are memory-bound).
    std::vector<size_t> count(kBytes * 257, 0);
    for (const auto& e : a)
        for (unsigned byte = 0; byte < kBytes; ++byte) ++count[byte * 257 + ((e.first >> (byte * 8)) & 0xFF) + 1];
    for (unsigned byte = 0; byte < kBytes; ++byte) {
        size_t* c = count.data() + byte * 257;
        const unsigned shift = byte * 8;
        if (c[((a[0].first >> shift) & 0xFF) + 1] == n) continue;  // every key has this byte
        for (int v = 0; v < 256; ++v) c[v + 1] += c[v];
        for (const auto& e : a) tmp[c[(e.first >> shift) & 0xFF]++] = e;
        a.swap(tmp);
    }
}

// A full sort of a line of at least this many elements runs as an LSD radix sort (O(n) per
// pass, stable; passes whose byte is equal in every key are skipped, so integers of a small
// range take one or two). Shorter lines and top-k use comparison sorts on the same pairs.
constexpr int64_t kRadixMinLength = 64;

template <typename T>
void sort_typed(const LinePlan& plan, const SortArgs& args) {
    using U = radix_key_t<T>;
    const T* in = static_cast<const T*>(plan.in);
    T* values = static_cast<T*>(plan.values);
    const int64_t len = plan.len, k = args.k;
    if (k == 0) return;  // nothing selected (the heap below needs one element)
    // A line costs a few passes over len pairs; keep small tensors on one thread.
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(len * 2, 1));
    parallel_for(0, plan.lines, grain, [&](int64_t b, int64_t e) {
        std::vector<std::pair<U, int64_t>> buf(static_cast<size_t>(len)), tmp;
        for (int64_t line = b; line < e; ++line) {
            const T* src = in + offset_of(plan.outer, line, false);
            const int64_t out_off = offset_of(plan.outer, line, true);
            const auto key_at = [&](int64_t i) {
                return std::pair<U, int64_t>{radix_key<T>(src[i * plan.in_step], args.descending), i};
            };
            if (k * 8 < len) {
                // Small k: one pass keeping the best k in a max-heap; most elements cost one
                // compare with the heap's worst and are never stored.
                for (int64_t i = 0; i < k; ++i) buf[static_cast<size_t>(i)] = key_at(i);
                std::make_heap(buf.begin(), buf.begin() + k);
                const auto offer = [&](const std::pair<U, int64_t>& p) {
                    if (p < buf[0]) {
                        std::pop_heap(buf.begin(), buf.begin() + k);
                        buf[static_cast<size_t>(k - 1)] = p;
                        std::push_heap(buf.begin(), buf.begin() + k);
                    }
                };
                // By blocks: the keys of a block and their minimum are computed in a loop that
                // vectorises, and only a block whose minimum beats the heap's worst is offered
                // element by element. Indices only grow, so an element whose key equals the
                // worst key never enters: key < worst key is the exact test.
                constexpr int64_t kBlock = 32;
                int64_t i = k;
                for (; i + kBlock <= len; i += kBlock) {
                    U keys[kBlock];
                    U least = ~U(0);
                    if (plan.in_step == 1) {
                        least = block_keys<T>(src + i, kBlock, args.descending, keys);
                    } else {
                        for (int64_t q = 0; q < kBlock; ++q) {
                            keys[q] = radix_key<T>(src[(i + q) * plan.in_step], args.descending);
                            least = std::min(least, keys[q]);
                        }
                    }
                    if (least >= buf[0].first) continue;
                    for (int64_t q = 0; q < kBlock; ++q) offer({keys[q], i + q});
                }
                for (; i < len; ++i) offer(key_at(i));
                std::sort_heap(buf.begin(), buf.begin() + k);
            } else {
                for (int64_t i = 0; i < len; ++i) buf[static_cast<size_t>(i)] = key_at(i);
                if (k == len && len >= kRadixMinLength) {
                    radix_sort(buf, tmp);
                } else if (k == len) {
                    std::sort(buf.begin(), buf.end());
                } else {
                    std::nth_element(buf.begin(), buf.begin() + k, buf.end());
                    std::sort(buf.begin(), buf.begin() + k);
                }
            }
            for (int64_t j = 0; j < k; ++j) {
                const int64_t idx = buf[static_cast<size_t>(j)].second;
                if (values) {
                    bool exact = true;
                    const T v = radix_value<T>(buf[static_cast<size_t>(j)].first, args.descending, exact);
                    values[out_off + j * plan.out_step] = exact ? v : src[idx * plan.in_step];
                }
                plan.indices[out_off + j * plan.out_step] = idx;
            }
        }
    });
}

void sort_kernel(const LinePlan& plan, const SortArgs& args) {
    CMP_DISPATCH_ALL_TYPES(plan.dtype, plan.op, [&] { sort_typed<scalar_t>(plan, args); });
}

// The sorted row's i-th element (through sorter when there is one).
template <typename K>
auto at_of(const K* row, const int64_t* sorter) {
    return [row, sorter](int64_t i) { return sorter ? row[sorter[i]] : row[i]; };
}

template <typename T>
void search_typed(const SearchPlan& plan) {
    using K = compare_t<T>;
    const T* seq = static_cast<const T*>(plan.seq);
    const T* values = static_cast<const T*>(plan.values);
    const int64_t total = plan.rows * plan.per_row;
    // One search is ~log2(len) dependent loads; a row of the 16-bit types is widened once per
    // chunk so the bisection compares opmath keys.
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / 16);
    parallel_for(0, total, grain, [&](int64_t b, int64_t e) {
        std::vector<K> row_keys;
        int64_t loaded_row = -1;
        for (int64_t i = b; i < e; ++i) {
            const int64_t r = plan.rows == 1 ? 0 : i / plan.per_row;
            const int64_t* sorter = plan.sorter ? plan.sorter + r * plan.seq_len : nullptr;
            const T* row = seq + r * plan.seq_len;
            int64_t pos;
            if constexpr (std::is_same_v<K, T>) {
                pos = bisect<K>(at_of(row, sorter), plan.seq_len, values[i], plan.right);
            } else {
                if (loaded_row != r) {
                    row_keys.assign(row, row + plan.seq_len);
                    loaded_row = r;
                }
                pos = bisect<K>(at_of(row_keys.data(), sorter), plan.seq_len, static_cast<K>(values[i]), plan.right);
            }
            if (plan.out_int32) static_cast<int32_t*>(plan.out)[i] = static_cast<int32_t>(pos);
            else static_cast<int64_t*>(plan.out)[i] = pos;
        }
    });
}

void search_kernel(const SearchPlan& plan) {
    CMP_DISPATCH_ALL_TYPES(plan.dtype, plan.op, [&] { search_typed<scalar_t>(plan); });
}

template <typename T>
void row_change_typed(const T* data, int64_t rows, int64_t row_len, bool* changed) {
    using K = compare_t<T>;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(row_len, 1));
    parallel_for(0, rows, grain, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
            if (r == 0) {
                changed[0] = true;
                continue;
            }
            const T* cur = data + r * row_len;
            const T* prev = cur - row_len;
            bool differs = false;
            for (int64_t j = 0; j < row_len && !differs; ++j) differs = static_cast<K>(cur[j]) != static_cast<K>(prev[j]);
            changed[r] = differs;
        }
    });
}

void row_change_kernel(const char* op, DType dtype, const void* data, int64_t rows, int64_t row_len, bool* changed) {
    CMP_DISPATCH_ALL_TYPES(dtype, op, [&] { row_change_typed(static_cast<const scalar_t*>(data), rows, row_len, changed); });
}

}  // namespace

CMP_REGISTER_KERNEL(row_change_stub, row_change_kernel)
CMP_REGISTER_KERNEL(sort_stub, sort_kernel)
CMP_REGISTER_KERNEL(search_stub, search_kernel)

}  // namespace cmp::cpu
