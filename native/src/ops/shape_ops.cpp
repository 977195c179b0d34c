// cat, stack, flip, roll, repeat and tile: each builds views of its input and output and moves
// the elements with copy_, so layout, dtype conversion and threading come from the iterator.
#include "ops/shape_ops.h"

#include "core/device.h"
#include "core/parallel.h"
#include "core/promotion.h"

#include <algorithm>
#include <cstring>

namespace cmp::ops {

namespace {

Tensor make_view(const Tensor& t, Shape sizes, Shape strides, int64_t offset) {
    return Tensor::make(t.storage(), t.dtype(), std::move(sizes), std::move(strides), offset);
}

void check_defined(const Tensor& t, const char* op, const char* arg) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": the tensor '", arg, "' is undefined");
}

// Wrapped dims, each at most once (flip, roll share PyTorch's message).
Shape unique_dims(const Tensor& t, const Shape& dims, const char* op) {
    Shape out;
    for (int64_t d : dims) {
        const int64_t w = wrap_dim(d, t, op);
        CMP_CHECK(std::find(out.begin(), out.end(), w) == out.end(), INVALID_ARGUMENT, op, ": dim ", w,
                  " appears multiple times in the list of dims");
        out.push_back(w);
    }
    return out;
}

// PyTorch skips 1-D empty tensors in cat (a legacy rule kept for code that starts from
// torch.tensor([]) and concatenates onto it); they still take part in dtype promotion.
bool cat_skips(const Tensor& t) { return t.dim() == 1 && t.size(0) == 0; }

// Rolls along one dim: out[(i + shift) mod n] = t[i], as two block copies.
void roll_one_into(const Tensor& out, const Tensor& t, int64_t shift, int64_t dim) {
    const int64_t n = t.size(dim);
    const int64_t s = ((shift % n) + n) % n;
    copy_(narrow(out, dim, s, n - s), narrow(t, dim, 0, n - s));
    if (s > 0) copy_(narrow(out, dim, 0, s), narrow(t, dim, n - s, s));
}

// cat of contiguous CPU tensors of the output's dtype: each input's part of an output row (the
// elements from dim on) is one contiguous block, so every output row is filled in one pass,
// input after input, by block copies. Going through copy_ once per input walked the output
// once per input, with the iterator's per-row set-up (0.87 of PyTorch for 2 x [1024, 512]
// along dim 1). Declines (returns false) where a block is under kMinBlock bytes: a memcpy call
// per few elements is slower than the iterator's copy loop.
bool cat_blocks(const Tensor& out, const std::vector<Tensor>& tensors, int64_t d) {
    constexpr int64_t kMinBlock = 64;
    if (!out.device().is_cpu() || out.numel() == 0) return false;
    int64_t outer = 1;
    for (int64_t k = 0; k < d; ++k) outer *= out.size(k);
    const int64_t esize = out.element_size();
    std::vector<std::pair<const char*, int64_t>> blocks;  // each input's data and bytes per row
    for (const Tensor& t : tensors) {
        if (cat_skips(t) || t.numel() == 0) continue;
        if (!t.is_contiguous() || t.dtype() != out.dtype() || !t.device().is_cpu()) return false;
        const int64_t bytes = t.numel() / outer * esize;
        if (bytes < kMinBlock) return false;
        blocks.emplace_back(static_cast<const char*>(t.data_ptr()), bytes);
    }
    const int64_t row = out.numel() / outer * esize;
    char* dst = static_cast<char*>(out.data_ptr());
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain * static_cast<int64_t>(sizeof(float)) / row);  // ~ kDefaultGrain floats
    parallel_for(0, outer, grain, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) {
            char* at = dst + o * row;
            for (const auto& [src, bytes] : blocks) {
                std::memcpy(at, src + o * bytes, static_cast<size_t>(bytes));
                at += bytes;
            }
        }
    });
    return true;
}

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
    const char* op = "cat";
    CMP_CHECK(!tensors.empty(), INVALID_ARGUMENT, "cat: expected a non-empty list of tensors");
    const Tensor* ref = nullptr;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        CMP_CHECK(t.defined(), INVALID_ARGUMENT, "cat: tensor number ", i, " in the list is undefined");
        CMP_CHECK(t.dim() > 0, SHAPE_MISMATCH, "cat: zero-dimensional tensor (at position ", i,
                  ") cannot be concatenated");
        CMP_CHECK(t.device() == tensors[0].device(), DEVICE_ERROR, "cat: expected all tensors on one device, got ",
                  tensors[0].device().str(), " for tensor number 0 and ", t.device().str(), " for tensor number ", i);
        if (!ref && !cat_skips(t)) ref = &t;
    }
    const DType dtype = result_type(tensors);
    // Every tensor is a skipped 1-D empty one: the result is one too.
    if (!ref) return Tensor::empty({0}, dtype, tensors[0].device(), op);
    const int64_t d = wrap_dim(dim, *ref, op);
    Shape sizes = ref->sizes();
    int64_t total = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        if (cat_skips(t)) continue;
        CMP_CHECK(t.dim() == ref->dim(), SHAPE_MISMATCH, "cat: tensors must have the same number of dimensions: got ",
                  ref->dim(), " (shape ", ref->sizes(), ") and ", t.dim(), " (shape ", t.sizes(),
                  ", tensor number ", i, ")");
        for (int64_t k = 0; k < t.dim(); ++k) {
            CMP_CHECK(k == d || t.size(k) == ref->size(k), SHAPE_MISMATCH,
                      "cat: sizes of tensors must match except in dimension ", d, ". Expected size ", ref->size(k),
                      " but got size ", t.size(k), " for tensor number ", i, " in the list (shapes ", ref->sizes(),
                      " and ", t.sizes(), ")");
        }
        CMP_CHECK(!add_overflow(total, t.size(d), &total), INVALID_ARGUMENT, "cat: the result's size overflows");
    }
    sizes[static_cast<size_t>(d)] = total;
    Tensor out = Tensor::empty(sizes, dtype, ref->device(), op);
    if (cat_blocks(out, tensors, d)) return out;
    int64_t at = 0;
    for (const Tensor& t : tensors) {
        if (cat_skips(t)) continue;
        copy_(narrow(out, d, at, t.size(d)), t);
        at += t.size(d);
    }
    return out;
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
    CMP_CHECK(!tensors.empty(), INVALID_ARGUMENT, "stack: expected a non-empty list of tensors");
    for (size_t i = 0; i < tensors.size(); ++i) {
        CMP_CHECK(tensors[i].defined(), INVALID_ARGUMENT, "stack: tensor number ", i, " in the list is undefined");
        CMP_CHECK(tensors[i].sizes() == tensors[0].sizes(), SHAPE_MISMATCH,
                  "stack: expects each tensor to be equal size, but got ", tensors[0].sizes(), " at entry 0 and ",
                  tensors[i].sizes(), " at entry ", i);
    }
    const int64_t d = wrap_dim(dim, tensors[0].dim() + 1, "stack", &tensors[0].sizes());
    std::vector<Tensor> expanded;
    expanded.reserve(tensors.size());
    for (const Tensor& t : tensors) expanded.push_back(unsqueeze(t, d));
    return cat(expanded, d);
}

Tensor flip(const Tensor& t, const Shape& dims) {
    check_defined(t, "flip", "tensor");
    Shape strides = t.strides();
    int64_t offset = t.offset();
    // A view that walks each flipped dim backwards (negative stride); clone lays it out.
    for (int64_t d : unique_dims(t, dims, "flip")) {
        const size_t k = static_cast<size_t>(d);
        if (t.sizes()[k] == 0) continue;
        offset += (t.sizes()[k] - 1) * strides[k];
        strides[k] = -strides[k];
    }
    return clone(make_view(t, t.sizes(), strides, offset));
}

Tensor roll(const Tensor& t, const Shape& shifts, const Shape& dims) {
    check_defined(t, "roll", "tensor");
    CMP_CHECK(!shifts.empty(), INVALID_ARGUMENT, "roll: `shifts` required");
    if (dims.empty() && shifts.size() == 1) {
        // No dims: roll the flattened tensor, then give it its shape back.
        return view(roll(flatten(t, 0, -1), shifts, {0}), t.sizes());
    }
    CMP_CHECK(shifts.size() == dims.size(), INVALID_ARGUMENT, "roll: shifts and dimensions must align. shifts: ",
              shifts.size(), ", dims: ", dims.size());
    Shape wrapped;
    for (int64_t d : dims) wrapped.push_back(wrap_dim(d, t, "roll"));
    if (t.numel() == 0) return clone(t);
    Tensor cur = t;
    for (size_t i = 0; i < wrapped.size(); ++i) {
        Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device(), "roll");
        roll_one_into(out, cur, shifts[i], wrapped[i]);
        cur = out;
    }
    return cur;
}

Tensor repeat(const Tensor& t, const Shape& repeats) {
    check_defined(t, "repeat", "tensor");
    const int64_t n = static_cast<int64_t>(repeats.size());
    CMP_CHECK(n >= t.dim(), INVALID_ARGUMENT, "repeat: number of dimensions of repeat dims (", n,
              ") can not be smaller than number of dimensions of tensor (shape ", t.sizes(), ")");
    const int64_t pad = n - t.dim();
    // The result seen as [r0, s0, r1, s1, ...] is the input seen as [1, s0, 1, s1, ...]
    // broadcast over the r dims: one copy_ fills it.
    Shape out_sizes(static_cast<size_t>(n)), pair_sizes, src_strides;
    for (int64_t i = 0; i < n; ++i) {
        const size_t k = static_cast<size_t>(i);
        const int64_t s = i < pad ? 1 : t.sizes()[static_cast<size_t>(i - pad)];
        const int64_t st = i < pad ? 0 : t.strides()[static_cast<size_t>(i - pad)];
        CMP_CHECK(repeats[k] >= 0, INVALID_ARGUMENT, "repeat: repeats must be non-negative, got ", repeats);
        CMP_CHECK(!mul_overflow(s, repeats[k], &out_sizes[k]), INVALID_ARGUMENT, "repeat: the result's size overflows for shape ",
                  t.sizes(), " and repeats ", repeats);
        pair_sizes.insert(pair_sizes.end(), {repeats[k], s});
        src_strides.insert(src_strides.end(), {0, st});
    }
    Tensor out = Tensor::empty(out_sizes, t.dtype(), t.device(), "repeat");
    if (out.numel() == 0) return out;
    copy_(make_view(out, pair_sizes, contiguous_strides(pair_sizes), out.offset()),
          make_view(t, pair_sizes, src_strides, t.offset()));
    return out;
}

Tensor tile(const Tensor& t, const Shape& reps) {
    check_defined(t, "tile", "tensor");
    Shape padded = reps;
    // Fewer reps than dims: the leading dims are repeated once.
    if (static_cast<int64_t>(reps.size()) < t.dim()) padded.insert(padded.begin(), static_cast<size_t>(t.dim()) - reps.size(), 1);
    return repeat(t, padded);
}

}  // namespace cmp::ops
