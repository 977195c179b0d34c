// What the fold driver of cpu/kernels/reductions.cpp asks of an op struct beyond init / step /
// combine / write: its lane count and the optional faster paths it offers, each detected by the
// member's presence. (No ISA-dependent code: the op structs and the driver are compiled per ISA.)
#pragma once

#include <cstdint>
#include <type_traits>

namespace cmp::cpu {
namespace fold {

constexpr int kFoldLanes = 8;  // independent partial accumulators along a dense row, by default

// Lanes of fold_row for an op: kFoldLanes, or the op's own kLanes. Norms accumulate float32 in
// float64, where 8 lanes are one AVX-512 vector and one dependency chain bound by the add
// latency; they take 16 (as float64 products do: prod of rows of 1024 0.42 -> 0.80). The
// struct accumulators (Welford, arg-extrema) do not vectorise and lose with more lanes to merge.
template <typename Op, typename = void>
struct LanesOf {
    static constexpr int value = kFoldLanes;
};
template <typename Op>
struct LanesOf<Op, std::void_t<decltype(Op::kLanes)>> {
    static constexpr int value = Op::kLanes;
};

// Ops that write finished rows in blocks of kWriteBlock (write_block: logsumexp's logs in
// vector lanes).
template <typename Op, typename = void>
struct HasWriteBlock : std::false_type {};
template <typename Op>
struct HasWriteBlock<Op, std::void_t<decltype(&Op::write_block)>> : std::true_type {};

// The shortest dense row fold_row offers fold_dense: 2 * LanesOf, or the op's own kDenseMin.
template <typename Op, typename = void>
struct DenseMinOf {
    static constexpr int64_t value = 2 * LanesOf<Op>::value;
};
template <typename Op>
struct DenseMinOf<Op, std::void_t<decltype(Op::kDenseMin)>> {
    static constexpr int64_t value = Op::kDenseMin;
};

// Ops with a faster path for dense rows (fold_dense, which may decline a row).
template <typename Op, typename = void>
struct HasFoldDense : std::false_type {};
template <typename Op>
struct HasFoldDense<Op, std::void_t<decltype(&Op::fold_dense)>> : std::true_type {};

// Ops with a vectorised step for a block of rows of contiguous columns (fold_columns).
template <typename Op, typename = void>
struct HasFoldColumns : std::false_type {};
template <typename Op>
struct HasFoldColumns<Op, std::void_t<decltype(&Op::fold_columns)>> : std::true_type {};

// Ops with a kernel for blocks of short dense rows (fold_rows, which may decline rows; the
// block path is taken where Op::takes_rows(n)): any/all, float32 prod and float32 1-/2-norms.
// amax/amin's (dense_extremum's select lanes) and float64 prod's measured 0.6-1.0 of the plain
// row path at every length (2026-12-05), and were taken out.
template <typename Op, typename = void>
struct HasFoldRows : std::false_type {};
template <typename Op>
struct HasFoldRows<Op, std::void_t<decltype(&Op::fold_rows)>> : std::true_type {};

}  // namespace fold
}  // namespace cmp::cpu
