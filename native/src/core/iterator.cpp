#include "iterator.h"

#include "device.h"
#include "ops/ops.h"

#include <algorithm>
#include <atomic>
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

// Off only in tests that compare the dense fast path with the general layout.
std::atomic<bool> g_dense_layout_enabled{true};

// The device the op runs on: that of the tensors that are not wrapped numbers (a wrapped number
// may live on the CPU next to tensors of any device, as in PyTorch). Mixed devices give
// PyTorch's error. The operands are the inputs, then the given output (if any).
Device check_device(const TensorIterator::Inputs& inputs, const Tensor& out, const char* op) {
    const Tensor* first = nullptr;
    auto visit = [&](const Tensor& t) {
        if (t.is_wrapped_number()) return;
        if (!first) first = &t;
        CMP_CHECK(t.device() == first->device(), DEVICE_ERROR, op,
                  ": Expected all tensors to be on the same device, but found at least two devices, ",
                  first->device().str(), " and ", t.device().str(), "!");
    };
    for (const Tensor& t : inputs) visit(t);
    if (out.defined()) visit(out);
    const Device dev = first ? first->device() : inputs.empty() ? out.device() : inputs[0].device();
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

// broadcast_byte_strides into an inline vector (the layout computation's scratch).
void broadcast_byte_strides_into(const Tensor& t, const Shape& shape, TensorIterator::DimVector& out) {
    const size_t n = shape.size();
    const size_t lead = n - static_cast<size_t>(t.dim());
    out.assign(n, 0);
    const int64_t es = t.element_size();
    for (size_t i = lead; i < n; ++i) {
        const size_t d = i - lead;
        out[i] = t.sizes()[d] == 1 && shape[i] != 1 ? 0 : t.strides()[d] * es;
    }
}

}  // namespace

void TensorIterator::set_dense_layout_enabled_for_testing(bool enabled) {
    g_dense_layout_enabled.store(enabled, std::memory_order_relaxed);
}

TensorIterator::TensorIterator(Config config) : op_(config.op) {
    const char* op = config.op;
    for (const Tensor& t : config.inputs) CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": an input tensor is undefined");
    CMP_CHECK(!config.inputs.empty() || config.out.defined(), INTERNAL_ERROR, op, ": no operands");
    const Device device = check_device(config.inputs, config.out, op);

    // Shape: the inputs broadcast together; a fixed output must already have that shape. Points
    // at an operand's own sizes while they all agree (the common case: no shape is built).
    Shape broadcast;
    const Shape* shape = nullptr;
    for (const Tensor& t : config.inputs) {
        if (!shape) shape = &t.sizes();
        else if (t.sizes() != *shape) {
            broadcast = broadcast_shapes(*shape, t.sizes(), op);
            shape = &broadcast;
        }
    }
    if (config.out.defined() && config.out_is_input) {
        const Shape& os = config.out.sizes();
        bool ok = true;
        if (shape) {
            ok = shape->size() <= os.size();
            for (size_t i = 0; ok && i < shape->size(); ++i) {
                int64_t s = (*shape)[shape->size() - 1 - i];
                ok = s == 1 || s == os[os.size() - 1 - i];
            }
        }
        CMP_CHECK(ok, SHAPE_MISMATCH, op, ": output with shape ", os, " doesn't match the broadcast shape ",
                  shape ? *shape : os);
        shape = &os;
        check_no_internal_overlap(config.out, op);
    } else if (config.out.defined()) {
        CMP_CHECK(shape && config.out.sizes() == *shape, SHAPE_MISMATCH, op, ": output with shape ",
                  config.out.sizes(), " doesn't match the broadcast shape ", shape ? *shape : Shape{});
        check_no_internal_overlap(config.out, op);
    }
    numel_ = checked_numel(*shape, op);

    // Dtypes.
    if (config.has_compute_dtype) {
        compute_dtype_ = config.compute_dtype;
    } else {
        CMP_CHECK(!config.inputs.empty(), INTERNAL_ERROR, op, ": no inputs to promote");
        compute_dtype_ = result_type(config.inputs.data(), config.inputs.size());
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
            out = Tensor::empty(*shape, out_dtype, out.device());
        }
    } else {
        out = Tensor::empty(*shape, out_dtype, device);
    }

    operands_.push_back(std::move(out));
    for (Tensor& t : config.inputs) {
        if (config.cast_inputs && t.dtype() != compute_dtype_) {
            operands_.push_back(ops::to_dtype(t, compute_dtype_));
        } else {
            operands_.push_back(std::move(t));  // config is ours (taken by value)
        }
    }
    // `shape` may point into config.inputs, which the moves above left in place (a moved-from
    // Tensor is only a null reference; the sizes it pointed at belong to the operand now).
    dense_layout_ = try_dense_layout(*shape);
    if (!dense_layout_) compute_layout(*shape);
}

// The fast path for the common tiny op: every operand either has exactly the iteration shape
// and is contiguous, or is 0-d (a number broadcast to every element). compute_layout would
// coalesce such operands into one dim with the element size (0 for the 0-d ones) as stride;
// this writes that result directly, without the permutation and merge passes. The kernels are
// the same; tests check that the layouts match the general path's (test_iterator_fast_path).
bool TensorIterator::try_dense_layout(const Shape& shape) {
    if (!g_dense_layout_enabled.load(std::memory_order_relaxed)) return false;
    const size_t nops = operands_.size();
    for (size_t i = 0; i < nops; ++i) {
        const Tensor& t = operands_[i];
        const bool number = t.dim() == 0;
        if (!number && !(t.sizes() == shape && t.is_contiguous())) return false;
    }
    shape_.assign(1, numel_);  // 0 and 1 elements: strides stay 0, as compute_layout leaves them
    strides_.assign(nops, DimVector(1, 0));
    if (numel_ > 1) {
        for (size_t i = 0; i < nops; ++i)
            if (operands_[i].dim() != 0) strides_[i][0] = operands_[i].element_size();
    }
    return true;
}

void TensorIterator::compute_layout(const Shape& shape) {
    const size_t nops = operands_.size();
    const int nd = static_cast<int>(shape.size());
    SmallVector<DimVector, kInlineInputs + 1> full(nops, DimVector());
    for (size_t i = 0; i < nops; ++i) broadcast_byte_strides_into(operands_[i], shape, full[i]);

    // perm[0] is the innermost dim. Start from row-major order and move a dim inwards when the
    // operands (output first) step through memory faster along it, so the inner loop follows
    // memory for transposed or permuted outputs and inputs.
    SmallVector<int, kInlineDims> perm(static_cast<size_t>(nd), 0);
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
    strides_.assign(nops, DimVector());
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
    SmallVector<char*, kInlineInputs + 1> ptr(nops, nullptr);
    DimVector idx(nd, 0);
    DimVector inner(nops, 0);
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
