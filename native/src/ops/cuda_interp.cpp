// interpolate and grid_sample on CUDA (see cuda_ops.h). interpolate: the CPU front-end's plan
// (ops/nn_pool_interp.cpp, the taps PyTorch's coordinate rules give, computed on the host) is
// packed into one host buffer and moved to the device in one transfer, then the backend's
// interpolate entry applies it (cuda/interp_taps.h). The forward uploads the taps; the backward their transpose per dim,
// for each input index the outputs that read it with their weights (CSR), in the order in
// which the CPU kernel visits them. Nothing is read back. grid_sample: the front-end's dense
// operands and arguments handed to the backend's grid_sample entry (cuda/grid_sample.cu).
#include "ops/cuda_ops.h"

#include "core/cuda_stream.h"
#include "core/cuda_runtime.h"

#include <cstring>

namespace cmp::ops::cuda_ops {

namespace {

// The device arrays of the three dims, built as int64 words (weights as the bits of doubles)
// and placed at their offsets once the words are on the device.
struct TapWords {
    std::vector<int64_t> words;

    size_t put_ints(const std::vector<int64_t>& v) {
        const size_t at = words.size();
        words.insert(words.end(), v.begin(), v.end());
        return at;
    }
    size_t put_doubles(const std::vector<double>& v) {
        const size_t at = words.size();
        words.resize(at + v.size());
        if (!v.empty()) std::memcpy(words.data() + at, v.data(), v.size() * sizeof(double));
        return at;
    }
};

// Word offsets of one dim's arrays; SIZE_MAX for those the pass does not read.
struct DimOffsets {
    size_t i0 = SIZE_MAX, i1 = SIZE_MAX, w0 = SIZE_MAX, w1 = SIZE_MAX, first = SIZE_MAX, outputs = SIZE_MAX,
           weights = SIZE_MAX;
};

DimOffsets forward_taps(const cpu::InterpDim& d, TapWords& b) {
    std::vector<int64_t> i0, i1;
    std::vector<double> w0, w1;
    for (const cpu::InterpTap& t : d.taps) {
        i0.push_back(t.i0);
        i1.push_back(t.i1);
        w0.push_back(t.w0);
        w1.push_back(t.w1);
    }
    DimOffsets o;
    o.i0 = b.put_ints(i0);
    o.i1 = b.put_ints(i1);
    o.w0 = b.put_doubles(w0);
    o.w1 = b.put_doubles(w1);
    return o;
}

// The inverse lists of one dim: the CPU kernel visits output o's taps i0 then i1 (i0 only for
// the nearest modes and for a dim that pads the rank), so an input's entries in (output, tap)
// order are its terms in the CPU's order.
DimOffsets backward_lists(const cpu::InterpDim& d, bool linear, TapWords& b) {
    const int ntaps = linear && d.real ? 2 : 1;
    std::vector<int64_t> first(static_cast<size_t>(d.in_size) + 1, 0);
    for (const cpu::InterpTap& t : d.taps)
        for (int k = 0; k < ntaps; ++k) ++first[static_cast<size_t>(k ? t.i1 : t.i0) + 1];
    for (size_t i = 1; i < first.size(); ++i) first[i] += first[i - 1];
    std::vector<int64_t> next(first.begin(), first.end() - 1), outputs(static_cast<size_t>(first.back()));
    std::vector<double> weights(outputs.size());
    for (size_t o = 0; o < d.taps.size(); ++o) {
        const cpu::InterpTap& t = d.taps[o];
        for (int k = 0; k < ntaps; ++k) {
            const auto at = static_cast<size_t>(next[static_cast<size_t>(k ? t.i1 : t.i0)]++);
            outputs[at] = static_cast<int64_t>(o);
            weights[at] = k ? t.w1 : t.w0;
        }
    }
    DimOffsets r;
    r.first = b.put_ints(first);
    r.outputs = b.put_ints(outputs);
    r.weights = b.put_doubles(weights);
    return r;
}

template <typename T>
const T* at_offset(const Tensor& words, size_t offset) {
    if (offset == SIZE_MAX) return nullptr;
    return reinterpret_cast<const T*>(static_cast<const int64_t*>(words.data_ptr()) + offset);
}

}  // namespace

void interpolate(const char* op, const cpu::InterpPlan& plan, bool backward, const Tensor& src, const Tensor& dst) {
    CMP_CHECK(src.is_contiguous() && dst.is_contiguous(), INTERNAL_ERROR, op, ": the interpolate pass's operands must be dense");
    if (dst.numel() == 0) return;
    TapWords b;
    DimOffsets offsets[cpu::kMaxPoolDims];
    for (int i = 0; i < cpu::kMaxPoolDims; ++i)
        offsets[i] = backward ? backward_lists(plan.dims[i], plan.linear, b) : forward_taps(plan.dims[i], b);
    Tensor host = Tensor::empty({static_cast<int64_t>(b.words.size())}, CMP_DTYPE_INT64, Device::cpu());
    std::memcpy(host.data_ptr(), b.words.data(), b.words.size() * sizeof(int64_t));
    const Tensor words = to_device(host, dst.device());
    compute_cuda_interp d{};
    d.device = dst.device().index;
    d.dtype = static_cast<int32_t>(src.dtype());
    d.op = backward ? COMPUTE_CUDA_INTERP_BACKWARD : COMPUTE_CUDA_INTERP_FORWARD;
    d.linear = plan.linear ? 1 : 0;
    d.stream = cuda::current_stream(d.device);
    d.n = dst.numel();
    d.planes = plan.planes;
    for (int i = 0; i < cpu::kMaxPoolDims; ++i) {
        const cpu::InterpDim& pd = plan.dims[i];
        compute_cuda_interp_dim& dd = d.dims[i];
        dd.in_size = pd.in_size;
        dd.out_size = pd.out_size;
        dd.real = pd.real ? 1 : 0;
        dd.i0 = at_offset<int64_t>(words, offsets[i].i0);
        dd.i1 = at_offset<int64_t>(words, offsets[i].i1);
        dd.w0 = at_offset<double>(words, offsets[i].w0);
        dd.w1 = at_offset<double>(words, offsets[i].w1);
        dd.first = at_offset<int64_t>(words, offsets[i].first);
        dd.outputs = at_offset<int64_t>(words, offsets[i].outputs);
        dd.weights = at_offset<double>(words, offsets[i].weights);
    }
    d.src = src.data_ptr();
    d.dst = dst.data_ptr();
    cuda::check(cuda::get(op).interpolate(&d), op);
}

void grid_sample(const char* op, const cpu::GridSampleArgs& a, const Tensor& input, const Tensor& grid,
                 const Tensor& grad_output, const Tensor& out, const Tensor& grad_grid) {
    const bool backward = grad_output.defined();
    CMP_CHECK(input.is_contiguous() && grid.is_contiguous() && out.is_contiguous() &&
                  (!backward || (grad_output.is_contiguous() && grad_grid.is_contiguous())),
              INTERNAL_ERROR, op, ": the grid_sample pass's operands must be dense");
    compute_cuda_grid_sample d{};
    d.device = input.device().index;
    d.dtype = static_cast<int32_t>(input.dtype());
    d.op = backward ? COMPUTE_CUDA_GRID_BACKWARD : COMPUTE_CUDA_GRID_FORWARD;
    d.nearest = a.nearest ? 1 : 0;
    d.padding = a.padding;
    d.align_corners = a.align_corners ? 1 : 0;
    d.stream = cuda::current_stream(d.device);
    d.batch = input.size(0);
    d.channels = input.size(1);
    d.height = input.size(2);
    d.width = input.size(3);
    d.out_height = grid.size(1);
    d.out_width = grid.size(2);
    d.n = d.batch * d.channels * d.out_height * d.out_width;
    if (d.n == 0) return;
    d.input = input.data_ptr();
    d.grid = grid.data_ptr();
    if (backward) {
        d.grad_output = grad_output.data_ptr();
        d.grad_input = out.data_ptr();
        d.grad_grid = grad_grid.data_ptr();
    } else {
        d.output = out.data_ptr();
    }
    cuda::check(cuda::get(op).grid_sample(&d), op);
}

}  // namespace cmp::ops::cuda_ops
