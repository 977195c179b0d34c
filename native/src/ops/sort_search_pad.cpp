// Front-end of pad (torch.nn.functional.pad) and its backward. Each mode becomes an index map
// per dim (padded position -> input position, -1 for the constant fill) checked with PyTorch's
// rules; one kernel pair (cpu/kernels/sort_search_pad.cpp) then copies forward and
// accumulates backward. On a CUDA device the same maps drive device ops: constant padding is a
// fill and one block copy_ (the map's kept positions are one run per dim), the other modes one
// index_select per padded dim forward and one index_add per padded dim backward.
#include "ops/sort_search.h"

#include "core/device.h"
#include "cpu/sort_search_stubs.h"
#include "ops/indexing.h"

#include <algorithm>

namespace cmp::cpu {
CMP_DEFINE_STUB(pad_stub);
CMP_DEFINE_STUB(pad_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

const char* mode_name(PadMode mode) {
    switch (mode) {
        case PadMode::Constant: return "constant";
        case PadMode::Reflect: return "reflect";
        case PadMode::Replicate: return "replicate";
        case PadMode::Circular: return "circular";
    }
    return "?";
}

// Where padded position o of a dim (input size n, pads l and r) reads from.
int64_t source_of(PadMode mode, int64_t o, int64_t n, int64_t l, int64_t r) {
    const int64_t i = o - l;
    switch (mode) {
        case PadMode::Constant: return i >= 0 && i < n ? i : -1;
        case PadMode::Reflect: return i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i);
        case PadMode::Replicate: return std::clamp<int64_t>(i, 0, n - 1);
        case PadMode::Circular: {
            // PyTorch crops negative pads first and wraps around what is left.
            const int64_t lc = std::max<int64_t>(-l, 0), kept = n - lc - std::max<int64_t>(-r, 0);
            const int64_t j = o - std::max<int64_t>(l, 0);
            return lc + ((j % kept) + kept) % kept;
        }
    }
    return -1;
}

// Validates (sizes, pad, mode) with PyTorch's rules and returns the plan's shape part: padded
// sizes, maps and group dims. `op` names pad or pad_backward in messages.
cpu::PadPlan plan_pad(const char* op, const Shape& sizes, const Shape& pad, PadMode mode) {
    const int64_t ndim = static_cast<int64_t>(sizes.size());
    const int64_t npad = static_cast<int64_t>(pad.size());
    CMP_CHECK(npad % 2 == 0, INVALID_ARGUMENT, op, ": padding length must be divisible by 2, got ", npad);
    const int64_t k = npad / 2;
    CMP_CHECK(k <= ndim, INVALID_ARGUMENT, op, ": padding length too large: ", npad, " values pad ", k,
              " dims but the input has shape ", sizes);
    if (mode != PadMode::Constant) {
        CMP_CHECK(k >= 1 && k <= 3 && (ndim == k + 1 || ndim == k + 2), INVALID_ARGUMENT, op, ": ", mode_name(mode),
                  " padding of ", k, " dims needs a ", k + 1, "-D or ", k + 2, "-D input (", k,
                  " padded dims after optional batch and channel dims), got shape ", sizes);
        // PyTorch 1.13 pads circularly in Python code that always expects batch and channel dims.
        CMP_CHECK(mode != PadMode::Circular || ndim == k + 2, INVALID_ARGUMENT, op, ": circular padding of ", k,
                  " dims needs a ", k + 2, "-D input (batch, channel, padded dims), got shape ", sizes);
        for (int64_t d = 1; d < ndim; ++d)
            CMP_CHECK(sizes[static_cast<size_t>(d)] > 0, INVALID_ARGUMENT, op, ": ", mode_name(mode),
                      " padding needs non-zero sizes in every dim but the first, got shape ", sizes);
    }
    cpu::PadPlan p;
    p.op = op;
    p.small_sizes = sizes;
    p.big_sizes = sizes;
    p.map.resize(static_cast<size_t>(ndim));
    p.group_dims = 0;
    bool leading = true;
    for (int64_t d = 0; d < ndim; ++d) {
        const size_t i = static_cast<size_t>(d);
        const int64_t from_last = ndim - 1 - d;  // pad[2 * from_last] is this dim's left pad
        const int64_t l = from_last < k ? pad[static_cast<size_t>(2 * from_last)] : 0;
        const int64_t r = from_last < k ? pad[static_cast<size_t>(2 * from_last + 1)] : 0;
        const int64_t n = sizes[i];
        if (mode == PadMode::Reflect && from_last < k)
            CMP_CHECK(l < n && r < n, INVALID_ARGUMENT, op, ": reflect padding (", l, ", ", r,
                      ") must be less than the size of dim ", d, " of input shape ", sizes);
        if (mode == PadMode::Circular && from_last < k)
            CMP_CHECK(l <= n && r <= n, INVALID_ARGUMENT, op, ": circular padding (", l, ", ", r,
                      ") wraps around more than once in dim ", d, " of input shape ", sizes);
        if (mode == PadMode::Circular && from_last < k)
            CMP_CHECK(n + std::min<int64_t>(l, 0) + std::min<int64_t>(r, 0) > 0, INVALID_ARGUMENT, op,
                      ": circular padding (", l, ", ", r, ") crops all of dim ", d, " of input shape ", sizes);
        const int64_t out = n + l + r;
        CMP_CHECK(out >= 0, INVALID_ARGUMENT, op, ": padding (", l, ", ", r, ") of dim ", d, " of input shape ", sizes,
                  " gives a negative size ", out);
        p.big_sizes[i] = out;
        std::vector<int64_t>& m = p.map[i];
        m.resize(static_cast<size_t>(out));
        for (int64_t o = 0; o < out; ++o) m[static_cast<size_t>(o)] = source_of(mode, o, n, l, r);
        leading = leading && l == 0 && r == 0;
        if (leading && d + 1 < ndim) p.group_dims = d + 1;
    }
    return p;
}

bool is_identity(const std::vector<int64_t>& m, int64_t n) {
    if (static_cast<int64_t>(m.size()) != n) return false;
    for (size_t o = 0; o < m.size(); ++o)
        if (m[o] != static_cast<int64_t>(o)) return false;
    return true;
}

// The views of the padded (big) and unpadded (small) tensors that a constant padding copies
// between: in every dim the positions the map reads from form one increasing run.
std::pair<Tensor, Tensor> constant_block(const cpu::PadPlan& p, Tensor big, Tensor small) {
    for (size_t d = 0; d < p.map.size(); ++d) {
        const std::vector<int64_t>& m = p.map[d];
        int64_t out_start = 0, in_start = 0, len = 0;
        for (size_t o = 0; o < m.size(); ++o) {
            if (m[o] < 0) continue;
            if (len++ == 0) {
                out_start = static_cast<int64_t>(o);
                in_start = m[o];
            }
        }
        big = narrow(big, static_cast<int64_t>(d), out_start, len);
        small = narrow(small, static_cast<int64_t>(d), in_start, len);
    }
    return {big, small};
}

// Dim d's map as an int64 index tensor on device.
Tensor map_index(const cpu::PadPlan& p, size_t d, Device device) {
    const std::vector<int64_t>& m = p.map[d];
    const Tensor host = from_buffer(m.data(), static_cast<int64_t>(m.size() * sizeof(int64_t)),
                                    {static_cast<int64_t>(m.size())}, CMP_DTYPE_INT64);
    return to_device(host, device);
}

// reflect / replicate / circular padding of a (not 0-dim) on a CUDA device: one index_select
// per dim whose map is not the identity.
Tensor pad_by_index(const cpu::PadPlan& p, const Tensor& a) {
    Tensor cur = a;
    for (size_t d = 0; d < p.map.size(); ++d)
        if (!is_identity(p.map[d], p.small_sizes[d]))
            cur = index_select(cur, static_cast<int64_t>(d), map_index(p, d, a.device()));
    return cur.impl() == a.impl() ? clone(a) : cur;
}

// Its gradient: the index_selects undone last to first, each by an index_add into zeros.
Tensor pad_backward_by_index(const cpu::PadPlan& p, const Tensor& g) {
    Tensor cur = g;
    for (size_t d = p.map.size(); d-- > 0;) {
        if (is_identity(p.map[d], p.small_sizes[d])) continue;
        Shape sizes = cur.sizes();
        sizes[d] = p.small_sizes[d];
        cur = index_add(full(sizes, scalar_float(0.0), g.dtype(), g.device()), static_cast<int64_t>(d),
                        map_index(p, d, g.device()), cur, scalar_int(1));
    }
    return cur.impl() == g.impl() ? clone(g) : cur;
}

}  // namespace

Tensor pad(const Tensor& a, const Shape& pad, PadMode mode, double value) {
    const char* op = "pad";
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, op, ": argument 'input' is undefined");
    require_available(a.device(), op);
    cpu::PadPlan p = plan_pad(op, a.sizes(), pad, mode);
    const bool on_cuda = !a.device().is_cpu();
    if (on_cuda && mode != PadMode::Constant && a.dim() > 0) return pad_by_index(p, a);
    Tensor out = Tensor::empty(p.big_sizes, a.dtype(), a.device(), op);
    if (out.numel() == 0) return out;
    if (a.dim() == 0) {
        copy_(out, a);
        return out;
    }
    if (on_cuda) {
        fill_(out, scalar_float(value));
        auto [to, from] = constant_block(p, out, a);
        copy_(to, from);
        return out;
    }
    p.dtype = a.dtype();
    p.src = a.data_ptr();
    p.dst = out.data_ptr();
    p.src_strides = a.strides();
    p.value = value;
    cpu::pad_stub(p);
    return out;
}

Tensor pad_backward(const Tensor& grad_output, const Shape& input_sizes, const Shape& pad, PadMode mode) {
    const char* op = "pad_backward";
    CMP_CHECK(grad_output.defined(), INVALID_ARGUMENT, op, ": argument 'grad_output' is undefined");
    require_available(grad_output.device(), op);
    CMP_CHECK(is_floating(grad_output.dtype()), DTYPE_MISMATCH, op, ": grad_output must be floating, got ",
              dtype_name(grad_output.dtype()));
    for (int64_t s : input_sizes)
        CMP_CHECK(s >= 0, INVALID_ARGUMENT, op, ": input_sizes ", input_sizes, " has a negative size");
    cpu::PadPlan p = plan_pad(op, input_sizes, pad, mode);
    CMP_CHECK(grad_output.sizes() == p.big_sizes, SHAPE_MISMATCH, op, ": grad_output has shape ", grad_output.sizes(),
              " but padding input shape ", input_sizes, " gives ", p.big_sizes);
    // 16-bit floats accumulate in float32 (an element can receive several gradients).
    const DType dt = grad_output.dtype();
    const bool widen = dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
    const Tensor g = widen ? to_dtype(grad_output, CMP_DTYPE_FLOAT32) : grad_output;
    Tensor grad_input = full(input_sizes, scalar_float(0.0), g.dtype(), g.device());
    if (grad_input.numel() == 0 || g.numel() == 0 || grad_input.dim() == 0) {
        if (grad_input.dim() == 0) copy_(grad_input, g);
        return widen ? to_dtype(grad_input, dt) : grad_input;
    }
    if (!g.device().is_cpu()) {
        if (mode == PadMode::Constant) {
            auto [to, from] = constant_block(p, g, grad_input);
            copy_(from, to);
        } else {
            grad_input = pad_backward_by_index(p, g);
        }
        return widen ? to_dtype(grad_input, dt) : grad_input;
    }
    p.dtype = g.dtype();
    p.src = g.data_ptr();
    p.dst = grad_input.data_ptr();
    p.src_strides = g.strides();
    p.value = 0;
    cpu::pad_backward_stub(p);
    return widen ? to_dtype(grad_input, dt) : grad_input;
}

}  // namespace cmp::ops
