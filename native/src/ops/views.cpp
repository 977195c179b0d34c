// Views: new sizes/strides/offset over the same storage, following PyTorch's rules exactly.
#include "ops.h"

#include <algorithm>
#include <optional>

namespace cmp::ops {

namespace {

Tensor make_view(const Tensor& t, Shape sizes, Shape strides, int64_t offset) {
    return Tensor::make(t.storage(), t.dtype(), std::move(sizes), std::move(strides), offset);
}

// Resolves a single -1 in sizes from numel and checks the element count matches.
Shape infer_size(const Shape& sizes, int64_t numel, const char* op) {
    Shape out = sizes;
    int64_t known = 1;
    std::optional<size_t> infer;
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] == -1) {
            CMP_CHECK(!infer, INVALID_ARGUMENT, op, ": only one dimension can be inferred in shape ", sizes);
            infer = i;
        } else {
            CMP_CHECK(sizes[i] >= 0, INVALID_ARGUMENT, op, ": invalid shape dimension ", sizes[i], " in shape ", sizes);
            CMP_CHECK(!mul_overflow(known, sizes[i], &known), SHAPE_MISMATCH, op, ": shape ", sizes,
                      " is invalid for input of size ", numel);
        }
    }
    if (infer) {
        // A -1 next to a 0 is ambiguous (any size would do).
        CMP_CHECK(known != 0 && numel % known == 0, SHAPE_MISMATCH, op, ": shape ", sizes,
                  " is invalid for input of size ", numel);
        out[*infer] = numel / known;
    } else {
        CMP_CHECK(known == numel, SHAPE_MISMATCH, op, ": shape ", sizes, " is invalid for input of size ", numel);
    }
    return out;
}

// Strides that let new_sizes view memory laid out as (old_sizes, old_strides), or nothing
// when the data would have to move. Dims of the old layout are grouped into chunks that are
// contiguous with each other; each chunk must be split or merged exactly by the new dims.
std::optional<Shape> view_strides(const Shape& old_sizes, const Shape& old_strides, const Shape& new_sizes) {
    if (old_sizes.empty()) return Shape(new_sizes.size(), 1);
    int64_t numel = 1;
    for (int64_t s : old_sizes) numel *= s;
    if (numel == 0 && old_sizes == new_sizes) return old_strides;

    const int64_t new_ndim = static_cast<int64_t>(new_sizes.size());
    Shape strides(new_sizes.size());
    if (numel == 0) {
        // No element is ever addressed: any row-major layout is valid.
        for (int64_t d = new_ndim - 1; d >= 0; --d)
            strides[d] = d == new_ndim - 1 ? 1 : std::max<int64_t>(new_sizes[d + 1], 1) * strides[d + 1];
        return strides;
    }

    int64_t view_d = new_ndim - 1;
    int64_t chunk_base_stride = old_strides.back();
    int64_t tensor_numel = 1;
    int64_t view_numel = 1;
    for (int64_t tensor_d = static_cast<int64_t>(old_sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
        tensor_numel *= old_sizes[tensor_d];
        // A chunk ends at dim 0 or where the next outer dim is not contiguous with this one.
        bool chunk_ends = tensor_d == 0 || (old_sizes[tensor_d - 1] != 1 &&
                                            old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride);
        if (!chunk_ends) continue;
        while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
            strides[view_d] = view_numel * chunk_base_stride;
            view_numel *= new_sizes[view_d];
            --view_d;
        }
        if (view_numel != tensor_numel) return std::nullopt;
        if (tensor_d > 0) {
            chunk_base_stride = old_strides[tensor_d - 1];
            tensor_numel = 1;
            view_numel = 1;
        }
    }
    if (view_d != -1) return std::nullopt;
    return strides;
}

void check_not_scalar(const Tensor& t, const char* op) {
    CMP_CHECK(t.dim() > 0, INDEX_OUT_OF_RANGE, op, ": cannot be applied to a 0-dim tensor");
}

}  // namespace

Tensor view(const Tensor& t, Shape sizes) {
    Shape shape = infer_size(sizes, t.numel(), "view");
    std::optional<Shape> strides = view_strides(t.sizes(), t.strides(), shape);
    CMP_CHECK(strides.has_value(), LAYOUT_ERROR, "view: shape ", sizes, " is not compatible with input of size ",
              t.sizes(), " and stride ", t.strides(),
              " (at least one dimension spans across two contiguous subspaces); use reshape instead");
    return make_view(t, std::move(shape), std::move(*strides), t.offset());
}

Tensor reshape(const Tensor& t, Shape sizes) {
    Shape shape = infer_size(sizes, t.numel(), "reshape");
    if (std::optional<Shape> strides = view_strides(t.sizes(), t.strides(), shape))
        return make_view(t, std::move(shape), std::move(*strides), t.offset());
    Tensor c = contiguous(t);
    return make_view(c, shape, contiguous_strides(shape), c.offset());
}

Tensor permute(const Tensor& t, const Shape& dims) {
    const int64_t n = t.dim();
    CMP_CHECK(static_cast<int64_t>(dims.size()) == n, SHAPE_MISMATCH, "permute: number of dims in ", dims,
              " does not match the ", n, " dims of a tensor of shape ", t.sizes());
    Shape sizes(n), strides(n);
    std::vector<bool> seen(n, false);
    for (int64_t i = 0; i < n; ++i) {
        int64_t d = wrap_dim(dims[i], t, "permute");
        CMP_CHECK(!seen[d], INVALID_ARGUMENT, "permute: dim ", dims[i], " repeats in ", dims);
        seen[d] = true;
        sizes[i] = t.sizes()[d];
        strides[i] = t.strides()[d];
    }
    return make_view(t, std::move(sizes), std::move(strides), t.offset());
}

Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1) {
    Shape sizes = t.sizes(), strides = t.strides();
    if (t.dim() == 0) {
        wrap_dim(dim0, 0, "transpose");
        wrap_dim(dim1, 0, "transpose");
        return make_view(t, sizes, strides, t.offset());
    }
    int64_t a = wrap_dim(dim0, t, "transpose");
    int64_t b = wrap_dim(dim1, t, "transpose");
    std::swap(sizes[a], sizes[b]);
    std::swap(strides[a], strides[b]);
    return make_view(t, std::move(sizes), std::move(strides), t.offset());
}

Tensor slice(const Tensor& t, int64_t dim, int64_t start, int64_t end, int64_t step) {
    check_not_scalar(t, "slice");
    int64_t d = wrap_dim(dim, t, "slice");
    CMP_CHECK(step > 0, INVALID_ARGUMENT, "slice: step must be positive, got ", step);
    const int64_t size = t.sizes()[d];
    // Python's clamping: negative bounds count from the end, out-of-range bounds saturate.
    if (start < 0) start += size;
    if (end < 0) end += size;
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, start, size);
    Shape sizes = t.sizes(), strides = t.strides();
    sizes[d] = (end - start + step - 1) / step;
    strides[d] *= step;
    return make_view(t, std::move(sizes), std::move(strides), t.offset() + start * t.strides()[d]);
}

Tensor select(const Tensor& t, int64_t dim, int64_t index) {
    check_not_scalar(t, "select");
    int64_t d = wrap_dim(dim, t, "select");
    const int64_t size = t.sizes()[d];
    CMP_CHECK(index >= -size && index < size, INDEX_OUT_OF_RANGE, "select: index ", index,
              " out of range for tensor of shape ", t.sizes(), " at dimension ", dim);
    if (index < 0) index += size;
    Shape sizes = t.sizes(), strides = t.strides();
    int64_t offset = t.offset() + index * strides[d];
    sizes.erase(sizes.begin() + d);
    strides.erase(strides.begin() + d);
    return make_view(t, std::move(sizes), std::move(strides), offset);
}

Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length) {
    check_not_scalar(t, "narrow");
    int64_t d = wrap_dim(dim, t, "narrow");
    const int64_t size = t.sizes()[d];
    CMP_CHECK(start >= -size && start <= size, INDEX_OUT_OF_RANGE, "narrow: start ", start,
              " out of range for tensor of shape ", t.sizes(), " at dimension ", dim);
    if (start < 0) start += size;
    CMP_CHECK(length >= 0, INVALID_ARGUMENT, "narrow: length must be non-negative, got ", length);
    CMP_CHECK(start <= size - length, INDEX_OUT_OF_RANGE, "narrow: start ", start, " + length ", length,
              " exceeds dimension size ", size, " of tensor of shape ", t.sizes(), " at dimension ", dim);
    Shape sizes = t.sizes();
    sizes[d] = length;
    return make_view(t, std::move(sizes), t.strides(), t.offset() + start * t.strides()[d]);
}

Tensor expand(const Tensor& t, const Shape& sizes) {
    const int64_t n = static_cast<int64_t>(sizes.size());
    const int64_t old_n = t.dim();
    CMP_CHECK(n >= old_n, SHAPE_MISMATCH, "expand: the number of sizes provided (", n,
              ") must be greater or equal to the number of dimensions in the tensor (", old_n, "); sizes ", sizes,
              ", tensor shape ", t.sizes());
    Shape out_sizes(n), out_strides(n);
    for (int64_t i = n - 1; i >= 0; --i) {
        const int64_t j = i - (n - old_n);  // matching dim of the input, < 0 for new leading dims
        int64_t target = sizes[i];
        if (j < 0) {
            CMP_CHECK(target >= 0, INVALID_ARGUMENT, "expand: the expanded size ", target,
                      " is not allowed in a leading, non-existing dimension ", i, "; sizes ", sizes);
            out_sizes[i] = target;
            out_strides[i] = 0;
            continue;
        }
        const int64_t have = t.sizes()[j];
        if (target == -1) target = have;
        CMP_CHECK(target >= 0, INVALID_ARGUMENT, "expand: invalid size ", target, " at dimension ", i, " in sizes ", sizes);
        CMP_CHECK(have == target || have == 1, SHAPE_MISMATCH, "expand: the expanded size of the tensor (", target,
                  ") must match the existing size (", have, ") at non-singleton dimension ", i, "; target sizes ",
                  sizes, ", tensor shape ", t.sizes());
        out_sizes[i] = target;
        out_strides[i] = have == target ? t.strides()[j] : 0;
    }
    return make_view(t, std::move(out_sizes), std::move(out_strides), t.offset());
}

Tensor squeeze(const Tensor& t) {
    Shape sizes, strides;
    for (int64_t i = 0; i < t.dim(); ++i) {
        if (t.sizes()[i] == 1) continue;
        sizes.push_back(t.sizes()[i]);
        strides.push_back(t.strides()[i]);
    }
    return make_view(t, std::move(sizes), std::move(strides), t.offset());
}

Tensor squeeze_dim(const Tensor& t, int64_t dim) {
    int64_t d = wrap_dim(dim, t, "squeeze");
    Shape sizes = t.sizes(), strides = t.strides();
    if (t.dim() > 0 && sizes[d] == 1) {
        sizes.erase(sizes.begin() + d);
        strides.erase(strides.begin() + d);
    }
    return make_view(t, std::move(sizes), std::move(strides), t.offset());
}

Tensor unsqueeze(const Tensor& t, int64_t dim) {
    int64_t d = wrap_dim(dim, t.dim() + 1, "unsqueeze", &t.sizes());
    Shape sizes = t.sizes(), strides = t.strides();
    // The stride a size-1 dim would have in a contiguous layout at that position.
    int64_t stride = d >= t.dim() ? 1 : sizes[d] * strides[d];
    sizes.insert(sizes.begin() + d, 1);
    strides.insert(strides.begin() + d, stride);
    return make_view(t, std::move(sizes), std::move(strides), t.offset());
}

Tensor as_strided(const Tensor& t, const Shape& sizes, const Shape& strides, int64_t offset) {
    CMP_CHECK(sizes.size() == strides.size(), SHAPE_MISMATCH, "as_strided: mismatch in length of sizes ", sizes,
              " and strides ", strides);
    CMP_CHECK(offset >= 0, INVALID_ARGUMENT, "as_strided: storage offset must be non-negative, got ", offset);
    bool empty = false;
    int64_t last = offset;  // index of the farthest element, in elements
    bool overflow = false;
    for (size_t i = 0; i < sizes.size(); ++i) {
        CMP_CHECK(sizes[i] >= 0, INVALID_ARGUMENT, "as_strided: negative size in sizes ", sizes);
        CMP_CHECK(strides[i] >= 0, INVALID_ARGUMENT, "as_strided: negative strides are not supported, got ", strides);
        if (sizes[i] == 0) empty = true;
        int64_t span;
        if (mul_overflow(sizes[i] - 1, strides[i], &span) || add_overflow(last, span, &last)) overflow = true;
    }
    if (!empty) {
        const int64_t esize = t.element_size();
        int64_t need;
        bool fits = !overflow && !add_overflow(last, 1, &need) && !mul_overflow(need, esize, &need) &&
                    need <= t.storage()->nbytes();
        CMP_CHECK(fits, INDEX_OUT_OF_RANGE, "as_strided: sizes ", sizes, ", strides ", strides, " and storage offset ",
                  offset, " reach element ", last, " of dtype ", dtype_name(t.dtype()),
                  ", out of bounds for a storage of ", t.storage()->nbytes(), " bytes");
    }
    return make_view(t, sizes, strides, offset);
}

Tensor flatten(const Tensor& t, int64_t start_dim, int64_t end_dim) {
    if (t.dim() == 0) {
        wrap_dim(start_dim, 0, "flatten");
        wrap_dim(end_dim, 0, "flatten");
        return reshape(t, {1});
    }
    int64_t s = wrap_dim(start_dim, t, "flatten");
    int64_t e = wrap_dim(end_dim, t, "flatten");
    CMP_CHECK(s <= e, INVALID_ARGUMENT, "flatten: start_dim ", start_dim, " cannot come after end_dim ", end_dim,
              " for a tensor of shape ", t.sizes());
    if (s == e) return t;
    Shape sizes(t.sizes().begin(), t.sizes().begin() + s);
    int64_t merged = 1;
    for (int64_t i = s; i <= e; ++i) merged *= t.sizes()[i];
    sizes.push_back(merged);
    sizes.insert(sizes.end(), t.sizes().begin() + e + 1, t.sizes().end());
    return reshape(t, std::move(sizes));
}

}  // namespace cmp::ops
