#include "iterator.h"

#include "device.h"
#include "ops/ops.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace cmp {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
    const size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (size_t i = 0; i < n; ++i) {
        // Align from the right: missing leading dims count as size 1.
        int64_t sa = i < n - a.size() ? 1 : a[i - (n - a.size())];
        int64_t sb = i < n - b.size() ? 1 : b[i - (n - b.size())];
        CMP_CHECK(sa == sb || sa == 1 || sb == 1, SHAPE_MISMATCH, op, ": shapes ", a, " and ", b,
                  " cannot be broadcast");
        out[i] = sa == 1 ? sb : sa;
    }
    return out;
}

std::vector<int64_t> broadcast_byte_strides(const Tensor& t, const Shape& shape) {
    const size_t n = shape.size();
    const size_t lead = n - static_cast<size_t>(t.dim());
    std::vector<int64_t> out(n, 0);
    const int64_t es = t.element_size();
    for (size_t i = lead; i < n; ++i) {
        const size_t d = i - lead;
        out[i] = t.sizes()[d] == 1 && shape[i] != 1 ? 0 : t.strides()[d] * es;
    }
    return out;
}

namespace {

// The device the op runs on: that of the tensors that are not wrapped numbers (a wrapped number
// may live on the CPU next to tensors of any device, as in PyTorch). Mixed devices give
// PyTorch's error.
Device check_device(const std::vector<Tensor>& ts, const char* op) {
    const Tensor* first = nullptr;
    for (const Tensor& t : ts) {
        if (t.is_wrapped_number()) continue;
        if (!first) first = &t;
        CMP_CHECK(t.device() == first->device(), DEVICE_ERROR, op,
                  ": Expected all tensors to be on the same device, but found at least two devices, ",
                  first->device().str(), " and ", t.device().str(), "!");
    }
    const Device dev = first ? first->device() : ts[0].device();
    require_available(dev, op);
    return dev;
}

void check_no_internal_overlap(const Tensor& out, const char* op) {
    for (int64_t d = 0; d < out.dim(); ++d) {
        CMP_CHECK(!(out.sizes()[d] > 1 && out.strides()[d] == 0), INVALID_ARGUMENT, op,
                  ": unsupported operation: more than one element of the written-to tensor refers to a "
                  "single memory location. Please clone() the tensor before performing the operation.");
    }
}

}  // namespace

TensorIterator::TensorIterator(Config config) : op_(config.op) {
    const char* op = config.op;
    for (const Tensor& t : config.inputs) CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": an input tensor is undefined");
    std::vector<Tensor> all = config.inputs;
    if (config.out.defined()) all.push_back(config.out);
    CMP_CHECK(!all.empty(), INTERNAL_ERROR, op, ": no operands");
    const Device device = check_device(all, op);

    // Shape: the inputs broadcast together; a fixed output must already have that shape.
    Shape shape;
    bool first = true;
    for (const Tensor& t : config.inputs) {
        shape = first ? t.sizes() : broadcast_shapes(shape, t.sizes(), op);
        first = false;
    }
    if (config.out.defined() && config.out_is_input) {
        const Shape& os = config.out.sizes();
        bool ok = shape.size() <= os.size();
        for (size_t i = 0; ok && i < shape.size(); ++i) {
            int64_t s = shape[shape.size() - 1 - i];
            ok = s == 1 || s == os[os.size() - 1 - i];
        }
        CMP_CHECK(ok, SHAPE_MISMATCH, op, ": output with shape ", os, " doesn't match the broadcast shape ",
                  first ? os : shape);
        shape = os;
        check_no_internal_overlap(config.out, op);
    } else if (config.out.defined()) {
        CMP_CHECK(config.out.sizes() == shape, SHAPE_MISMATCH, op, ": output with shape ", config.out.sizes(),
                  " doesn't match the broadcast shape ", shape);
        check_no_internal_overlap(config.out, op);
    }
    numel_ = checked_numel(shape, op);

    // Dtypes.
    if (config.has_compute_dtype) {
        compute_dtype_ = config.compute_dtype;
    } else {
        CMP_CHECK(!config.inputs.empty(), INTERNAL_ERROR, op, ": no inputs to promote");
        compute_dtype_ = result_type(config.inputs);
    }
    if (config.promote_int_to_float && !is_floating(compute_dtype_)) compute_dtype_ = CMP_DTYPE_FLOAT32;
    const DType out_dtype = config.has_out_dtype ? config.out_dtype : compute_dtype_;
    Tensor out = config.out;
    if (out.defined()) {
        if (!config.has_compute_dtype && !config.has_out_dtype) {
            CMP_CHECK(can_cast(compute_dtype_, out.dtype()), DTYPE_MISMATCH, op, ": result type ",
                      legacy_type_name(compute_dtype_), " can't be cast to the desired output type ",
                      legacy_type_name(out.dtype()));
        }
        if (out.dtype() != out_dtype) {
            write_back_ = out;
            out = Tensor::empty(shape, out_dtype, out.device());
        }
    } else {
        out = Tensor::empty(shape, out_dtype, device);
    }

    operands_.reserve(config.inputs.size() + 1);
    operands_.push_back(out);
    for (const Tensor& t : config.inputs) {
        if (config.cast_inputs && t.dtype() != compute_dtype_) {
            operands_.push_back(ops::to_dtype(t, compute_dtype_));
        } else {
            operands_.push_back(t);
        }
    }
    compute_layout(shape);
}

void TensorIterator::compute_layout(const Shape& shape) {
    const size_t nops = operands_.size();
    const int nd = static_cast<int>(shape.size());
    std::vector<std::vector<int64_t>> full(nops);
    for (size_t i = 0; i < nops; ++i) full[i] = broadcast_byte_strides(operands_[i], shape);

    // perm[0] is the innermost dim. Start from row-major order and move a dim inwards when the
    // operands (output first) step through memory faster along it, so the inner loop follows
    // memory for transposed or permuted outputs and inputs.
    std::vector<int> perm(static_cast<size_t>(nd));
    for (int i = 0; i < nd; ++i) perm[static_cast<size_t>(i)] = nd - 1 - i;
    auto inner_first = [&](int a, int b) {  // true when dim a should be inside dim b
        for (size_t op = 0; op < nops; ++op) {
            int64_t sa = full[op][static_cast<size_t>(a)], sb = full[op][static_cast<size_t>(b)];
            if (sa == 0 || sb == 0) continue;  // broadcast dims say nothing about memory order
            if (sa != sb) return std::abs(sa) < std::abs(sb);
        }
        return false;
    };
    for (int i = 1; i < nd; ++i) {
        for (int j = i; j > 0 && inner_first(perm[static_cast<size_t>(j)], perm[static_cast<size_t>(j - 1)]); --j)
            std::swap(perm[static_cast<size_t>(j)], perm[static_cast<size_t>(j - 1)]);
    }

    // Coalesce: drop size-1 dims and merge a dim into the one inside it when every operand's
    // stride continues the inner dim's (stride_outer == stride_inner * size_inner).
    shape_.clear();
    strides_.assign(nops, {});
    for (int p : perm) {
        const int64_t size = shape[static_cast<size_t>(p)];
        if (size == 1) continue;
        bool merge = !shape_.empty();
        for (size_t op = 0; merge && op < nops; ++op)
            merge = full[op][static_cast<size_t>(p)] == strides_[op].back() * shape_.back();
        if (merge) {
            shape_.back() *= size;
        } else {
            shape_.push_back(size);
            for (size_t op = 0; op < nops; ++op) strides_[op].push_back(full[op][static_cast<size_t>(p)]);
        }
    }
    if (shape_.empty()) {  // a single element (or a size-0 dim was dropped: numel_ says 0)
        shape_.push_back(numel_ == 0 ? 0 : 1);
        for (size_t op = 0; op < nops; ++op) strides_[op].push_back(0);
    }
    if (numel_ == 0) {
        // Keep one dim of size 0 so loops never run.
        shape_.assign(1, 0);
        for (size_t op = 0; op < nops; ++op) strides_[op].assign(1, 0);
    }
}

bool TensorIterator::is_contiguous() const {
    if (shape_.size() != 1) return false;
    for (size_t op = 0; op < operands_.size(); ++op)
        if (strides_[op][0] != operands_[op].element_size()) return false;
    return true;
}

void TensorIterator::run_range(const Loop& loop, int64_t begin, int64_t end) const {
    const size_t nops = operands_.size();
    const size_t nd = shape_.size();
    // Small fixed buffers: operand count is bounded by the ops (at most a handful).
    std::vector<char*> ptr(nops);
    std::vector<int64_t> idx(nd, 0);
    std::vector<int64_t> inner(nops);
    // Multi-index of `begin`, innermost first.
    int64_t rem = begin;
    for (size_t d = 0; d < nd; ++d) {
        idx[d] = rem % shape_[d];
        rem /= shape_[d];
    }
    for (size_t op = 0; op < nops; ++op) {
        char* p = static_cast<char*>(operands_[op].data_ptr());
        for (size_t d = 0; d < nd; ++d) p += idx[d] * strides_[op][d];
        ptr[op] = p;
        inner[op] = strides_[op][0];
    }
    int64_t left = end - begin;
    while (left > 0) {
        const int64_t n = std::min(left, shape_[0] - idx[0]);
        loop(ptr.data(), inner.data(), n);
        left -= n;
        if (left == 0) break;
        // Step to the next row: undo the inner offset, then carry through the outer dims.
        for (size_t op = 0; op < nops; ++op) ptr[op] -= idx[0] * strides_[op][0];
        idx[0] = 0;
        for (size_t d = 1; d < nd; ++d) {
            ++idx[d];
            for (size_t op = 0; op < nops; ++op) ptr[op] += strides_[op][d];
            if (idx[d] < shape_[d]) break;
            for (size_t op = 0; op < nops; ++op) ptr[op] -= idx[d] * strides_[op][d];
            idx[d] = 0;
        }
    }
}

void TensorIterator::for_each(const Loop& loop, int64_t grain) {
    if (numel_ > 0) {
        // The abi layer admits CUDA tensors only to ops with CUDA kernels; one that still reaches
        // a CPU loop (an op variant without a CUDA kernel) stops here, before touching memory.
        CMP_CHECK(operands_[0].device().is_cpu(), DEVICE_ERROR, op_, ": not implemented on CUDA yet (tensors on ",
                  operands_[0].device().str(), ")");
        if (numel_ <= grain) {
            run_range(loop, 0, numel_);
        } else {
            parallel_for(0, numel_, grain, [&](int64_t b, int64_t e) { run_range(loop, b, e); });
        }
    }
    finish_device();
}

void TensorIterator::finish_device() {
    if (write_back_.defined()) ops::copy_(write_back_, operands_[0]);
}

}  // namespace cmp
