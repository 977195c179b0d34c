// CUDA branches of the pointwise ops, copies across devices and the reductions (see cuda_ops.h).
#include "ops/cuda_ops.h"

#include "core/cuda_runtime.h"
#include "core/cuda_stream.h"
#include "ops/reductions.h"

#include <algorithm>

namespace cmp::ops::cuda_ops {

namespace {

// The iteration as the backend takes it. Operands that live on the CPU can only be wrapped
// numbers (TensorIterator's device check): they are copied to the device first, and `keep`
// holds those copies until the kernel has been queued (the NULL stream orders their later
// reuse after it).
compute_cuda_iter describe(const TensorIterator& iter, std::vector<Tensor>& keep) {
    const char* op = iter.op();
    const Device device = iter.operand(0).device();
    CMP_CHECK(iter.ntensors() <= COMPUTE_CUDA_MAX_OPERANDS, INTERNAL_ERROR, op, ": ", iter.ntensors(),
              " operands on CUDA (at most ", COMPUTE_CUDA_MAX_OPERANDS, ")");
    CMP_CHECK(iter.ndim() <= COMPUTE_CUDA_MAX_DIMS, DEVICE_ERROR, op, ": ", iter.ndim(),
              " dims after coalescing are not supported on CUDA yet (at most ", COMPUTE_CUDA_MAX_DIMS, ")");
    compute_cuda_iter it{};
    it.device = device.index;
    it.ndim = iter.ndim();
    it.noperands = iter.ntensors();
    it.stream = cuda::current_stream(it.device);
    it.numel = iter.numel();
    for (int d = 0; d < iter.ndim(); ++d) it.shape[d] = iter.shape()[static_cast<size_t>(d)];
    for (int k = 0; k < iter.ntensors(); ++k) {
        Tensor t = iter.operand(k);
        if (t.device() != device) {
            CMP_CHECK(k > 0 && t.numel() == 1, INTERNAL_ERROR, op, ": operand ", k, " is on ", t.device().str());
            t = to_device(t, device);
            keep.push_back(t);
        }
        it.data[k] = t.data_ptr();
        it.dtypes[k] = static_cast<int32_t>(t.dtype());
        for (int d = 0; d < iter.ndim(); ++d) it.strides[k][d] = iter.strides(k)[static_cast<size_t>(d)];
    }
    return it;
}

const compute_cuda_backend& backend(const char* op) { return cuda::get(op); }

}  // namespace

void fill(TensorIterator& iter, const Scalar& value) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).fill(&it, value), iter.op());
    iter.finish_device();
}

void copy(TensorIterator& iter) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).copy(&it), iter.op());
    iter.finish_device();
}

void unary(TensorIterator& iter, compute_cuda_unary_op op) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).unary(&it, op), iter.op());
    iter.finish_device();
}

void binary(TensorIterator& iter, compute_cuda_binary_op op, const Scalar& alpha) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).binary(&it, op, alpha), iter.op());
    iter.finish_device();
}

void unary_math(TensorIterator& iter, cpu::UnaryMathOp op, const cpu::UnaryMathParams& params) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    const compute_cuda_unary_params p{params.a, params.b, params.c, params.i};
    cuda::check(backend(iter.op()).unary_math(&it, static_cast<int32_t>(op), &p), iter.op());
    iter.finish_device();
}

void clamp(TensorIterator& iter, cpu::ClampMode mode, bool nan_bounds_propagate) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).clamp(&it, static_cast<int32_t>(mode), nan_bounds_propagate ? 1 : 0), iter.op());
    iter.finish_device();
}

void binary_math(TensorIterator& iter, cpu::BinaryMathOp op) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).binary_math(&it, static_cast<int32_t>(op)), iter.op());
    iter.finish_device();
}

void ternary_math(TensorIterator& iter, cpu::TernaryMathOp op, const Scalar& value) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).ternary_math(&it, static_cast<int32_t>(op), value), iter.op());
    iter.finish_device();
}

void activation_backward(TensorIterator& iter, cpu::ActivationBackwardOp op, const cpu::ActivationBackwardParams& params) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    const compute_cuda_activation_params p{params.a, params.b, params.c};
    cuda::check(backend(iter.op()).activation_backward(&it, static_cast<int32_t>(op), &p), iter.op());
    iter.finish_device();
}

void pointwise_loss(TensorIterator& iter, const cpu::PointwiseLossArgs& args, bool backward, bool grad_target, double scale) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    compute_cuda_loss_args a{};
    a.op = static_cast<int32_t>(args.op);
    a.has_weight = args.has_weight ? 1 : 0;
    a.has_pos_weight = args.has_pos_weight ? 1 : 0;
    a.backward = backward ? 1 : 0;
    a.grad_target = grad_target ? 1 : 0;
    a.param = args.param;
    a.scale = scale;
    cuda::check(backend(iter.op()).pointwise_loss(&it, &a), iter.op());
    iter.finish_device();
}

// The backend's comparison values are CompareOp's.
static_assert(static_cast<int>(CompareOp::Eq) == COMPUTE_CUDA_COMPARE_EQ &&
              static_cast<int>(CompareOp::Ne) == COMPUTE_CUDA_COMPARE_NE &&
              static_cast<int>(CompareOp::Lt) == COMPUTE_CUDA_COMPARE_LT &&
              static_cast<int>(CompareOp::Le) == COMPUTE_CUDA_COMPARE_LE &&
              static_cast<int>(CompareOp::Gt) == COMPUTE_CUDA_COMPARE_GT &&
              static_cast<int>(CompareOp::Ge) == COMPUTE_CUDA_COMPARE_GE);

void compare(TensorIterator& iter, CompareOp op) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).compare(&it, static_cast<int32_t>(op)), iter.op());
    iter.finish_device();
}

void where(TensorIterator& iter) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).where(&it), iter.op());
    iter.finish_device();
}

void masked_fill(TensorIterator& iter, const Scalar& value) {
    std::vector<Tensor> keep;
    const compute_cuda_iter it = describe(iter, keep);
    cuda::check(backend(iter.op()).masked_fill(&it, value), iter.op());
    iter.finish_device();
}

namespace {

// Whether a copy between host and device can be one asynchronous transfer: the host side pinned
// and dense, of the other side's dtype and shape (nothing for the host engine to broadcast or
// convert afterwards, which would need the data).
bool async_transfer(const Tensor& host, const Tensor& other) {
    return host.storage()->pinned() && host.is_contiguous() && host.dtype() == other.dtype() &&
           host.sizes() == other.sizes();
}

// Queues the transfer on the device's current stream and records the pinned block there.
void transfer_async(const Tensor& host, const Tensor& device_side, bool to_device, const char* op) {
    if (host.nbytes() == 0) return;  // nothing to move, and no pinned block to record
    const int32_t index = device_side.device().index;
    void* stream = cuda::current_stream(index);
    void* dst = to_device ? device_side.data_ptr() : host.data_ptr();
    const void* src = to_device ? host.data_ptr() : device_side.data_ptr();
    cuda::copy_bytes_async(index, dst, src, host.nbytes(), stream, op);
    cuda::host_record(host.storage()->data(), index, stream, op);
}

}  // namespace

void copy_across_devices(const Tensor& dst, const Tensor& src, bool non_blocking) {
    const char* op = "copy_";
    const Device cpu = Device::cpu();
    if (non_blocking && src.device().is_cpu() && dst.is_contiguous() && async_transfer(src, dst))
        return transfer_async(src, dst, true, op);
    if (non_blocking && dst.device().is_cpu() && async_transfer(dst, src)) {
        // contiguous(src) is queued on the same stream, before the transfer that reads it.
        return transfer_async(dst, contiguous(src), false, op);
    }
    if (src.device().is_cpu()) {
        // Host -> device: the CPU engine broadcasts and converts into a contiguous host buffer
        // laid out as dst, which goes over in one transfer (straight into dst when dense).
        Tensor staged = src;
        if (!(src.is_contiguous() && src.dtype() == dst.dtype() && src.sizes() == dst.sizes())) {
            staged = Tensor::empty(dst.sizes(), dst.dtype(), cpu, op);
            copy_(staged, src);
        }
        if (dst.is_contiguous()) {
            cuda::copy_bytes(dst.device().index, dst.data_ptr(), staged.data_ptr(), dst.nbytes(), op);
            return;
        }
        Tensor dense = Tensor::empty(dst.sizes(), dst.dtype(), dst.device(), op);
        cuda::copy_bytes(dst.device().index, dense.data_ptr(), staged.data_ptr(), dst.nbytes(), op);
        copy_(dst, dense);
        return;
    }
    // Device -> host or device -> another device: make the source dense on its own device, move
    // it in one transfer, and let the destination's engine broadcast and convert.
    const Tensor dense = contiguous(src);
    if (dst.is_contiguous() && dst.dtype() == src.dtype() && dst.sizes() == src.sizes()) {
        cuda::copy_bytes(src.device().index, dst.data_ptr(), dense.data_ptr(), dense.nbytes(), op);
        return;
    }
    Tensor landed = Tensor::empty(src.sizes(), src.dtype(), dst.device(), op);
    cuda::copy_bytes(src.device().index, landed.data_ptr(), dense.data_ptr(), dense.nbytes(), op);
    copy_(dst, landed);
}

void reduce(const char* op, compute_cuda_reduce_op kind, const Tensor& a, const PlannedReduction& r,
            const compute_cuda_reduce_args* args) {
    // Kept dims first, in order, then the reduced ones: row k of the dense permuted input holds
    // the elements of output k (out is contiguous in the kept dims' order). An input already
    // laid out so is not copied.
    Shape perm;
    for (int pass = 0; pass < 2; ++pass)
        for (size_t d = 0; d < r.reduced_dims.size(); ++d)
            if (r.reduced_dims[d] == (pass == 1)) perm.push_back(static_cast<int64_t>(d));
    const Tensor rows = contiguous(a.dim() == 0 ? a : permute(a, perm));
    // r.plan.out, not r.out: argmax and argmin clear it (no values wanted).
    cuda::check(backend(op).reduce_rows_args(a.device().index, cuda::current_stream(a.device().index), rows.data_ptr(),
                                             static_cast<int32_t>(a.dtype()), r.plan.out,
                                             static_cast<int32_t>(r.plan.out_dtype), r.out.numel(),
                                             r.plan.reduce_numel, kind, args),
                op);
}

Tensor reduce(const char* op, compute_cuda_reduce_op kind, const Tensor& a, const Shape& dims, bool keepdim,
              DType out_dtype) {
    PlannedReduction r = plan_reduction(op, a, dims, keepdim, out_dtype);
    reduce(op, kind, a, r, nullptr);
    return r.result();
}

namespace {

compute_cuda_lines lines_of(const Tensor& t, const cpu::SoftmaxPlan& plan) {
    compute_cuda_lines l{};
    l.device = t.device().index;
    l.dtype = static_cast<int32_t>(plan.dtype);
    l.stream = cuda::current_stream(l.device);
    l.outer = plan.outer;
    l.dim = plan.dim;
    l.inner = plan.inner;
    return l;
}

}  // namespace

void softmax(const char* op, const cpu::SoftmaxPlan& plan, const Tensor& x, const Tensor& out, bool log) {
    const compute_cuda_lines l = lines_of(x, plan);
    cuda::check(backend(op).softmax(&l, x.data_ptr(), out.data_ptr(), log ? 1 : 0), op);
}

void softmax_backward(const char* op, const cpu::SoftmaxPlan& plan, const Tensor& go, const Tensor& y,
                      const Tensor& gi, bool log) {
    const compute_cuda_lines l = lines_of(y, plan);
    cuda::check(backend(op).softmax_backward(&l, go.data_ptr(), y.data_ptr(), gi.data_ptr(), log ? 1 : 0), op);
}

void scan(const char* op, compute_cuda_scan_op kind, const Tensor& a, int64_t w, const Tensor& out) {
    // The scanned dim splits the dense tensor into [outer, dim, inner] (a 0-dim tensor is one line of one).
    cpu::SoftmaxPlan plan{a.dtype(), 1, 1, 1};
    for (int64_t d = 0; d < a.dim(); ++d) {
        const int64_t size = a.sizes()[static_cast<size_t>(d)];
        if (d < w) plan.outer *= size;
        else if (d == w) plan.dim = size;
        else plan.inner *= size;
    }
    const Tensor dense = contiguous(a);
    const compute_cuda_lines l = lines_of(a, plan);
    cuda::check(backend(op).scan(&l, dense.data_ptr(), out.data_ptr(), kind), op);
}

Tensor triangle(const char* op, const Tensor& t, int64_t diagonal, bool upper) {
    // The matrices of the last two dims as lines: [matrices, rows, cols].
    const int64_t nd = t.dim();
    cpu::SoftmaxPlan plan{t.dtype(), 1, t.size(nd - 2), t.size(nd - 1)};
    for (int64_t d = 0; d < nd - 2; ++d) plan.outer *= t.size(d);
    const Tensor dense = contiguous(t);
    Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device(), op);
    const compute_cuda_lines l = lines_of(t, plan);
    cuda::check(backend(op).triangle(&l, dense.data_ptr(), out.data_ptr(), diagonal, upper ? 1 : 0), op);
    return out;
}

void optim_step(const char* op, const compute_cuda_optim& o) { cuda::check(backend(op).optim_step(&o), op); }

namespace {

compute_cuda_row_norm row_norm_of(const cpu::RowNormPlan& plan, Device device) {
    compute_cuda_row_norm d{};
    d.device = device.index;
    d.dtype = static_cast<int32_t>(plan.dtype);
    d.stat_dtype = static_cast<int32_t>(plan.stat_dtype);
    d.rms = plan.rms ? 1 : 0;
    d.stream = cuda::current_stream(d.device);
    d.n = plan.rows + plan.groups * plan.channels;
    d.rows = plan.rows;
    d.row_len = plan.row_len;
    d.channels = plan.channels;
    d.inner = plan.inner;
    d.groups = plan.groups;
    d.eps = plan.eps;
    return d;
}

}  // namespace

void row_norm(const char* op, const cpu::RowNormPlan& plan, Device device, const cpu::RowNormData& data) {
    compute_cuda_row_norm d = row_norm_of(plan, device);
    d.x = data.x;
    d.weight = data.weight;
    d.bias = data.bias;
    d.y = data.y;
    d.mean = data.mean;
    d.rstd = data.rstd;
    cuda::check(backend(op).row_norm(&d), op);
}

void row_norm_backward(const char* op, const cpu::RowNormPlan& plan, Device device, const cpu::RowNormGrads& g) {
    compute_cuda_row_norm d = row_norm_of(plan, device);
    d.grad_out = g.grad_out;
    d.x = g.x;
    d.weight = g.weight;
    d.mean = const_cast<void*>(g.mean);
    d.rstd = const_cast<void*>(g.rstd);
    d.grad_in = g.grad_in;
    d.grad_weight = g.grad_weight;
    d.grad_bias = g.grad_bias;
    cuda::check(backend(op).row_norm_backward(&d), op);
}

namespace {

compute_cuda_class_loss class_loss_of(const cpu::ClassLossArgs& a, const Tensor& on) {
    compute_cuda_class_loss c{};
    c.device = on.device().index;
    c.dtype = static_cast<int32_t>(a.dtype);
    c.stream = cuda::current_stream(c.device);
    c.n = a.outer * a.inner;
    c.outer = a.outer;
    c.classes = a.classes;
    c.inner = a.inner;
    c.ignore_index = a.ignore_index;
    c.smoothing = a.smoothing;
    c.logits = a.logits ? 1 : 0;
    c.prob_target = a.prob_target ? 1 : 0;
    c.input = a.input;
    c.target = a.target;
    c.weight = a.weight;
    return c;
}

void* data_or_null(const Tensor& t) { return t.defined() ? t.data_ptr() : nullptr; }

}  // namespace

void class_loss_forward(const cpu::ClassLossArgs& a, const Tensor& loss, const Tensor& row_weight) {
    compute_cuda_class_loss c = class_loss_of(a, row_weight);
    c.loss = data_or_null(loss);
    c.row_weight = row_weight.data_ptr();
    cuda::check(backend(a.op).class_loss(&c), a.op);
}

void class_loss_backward(const cpu::ClassLossArgs& a, const Tensor& grad_rows, const Tensor& grad_input,
                         const Tensor& grad_target) {
    CMP_CHECK(grad_rows.is_contiguous() && (grad_rows.dim() == 0 || grad_rows.numel() == a.outer * a.inner),
              INTERNAL_ERROR, a.op, ": the row gradients must be dense, one per row or one for all");
    compute_cuda_class_loss c = class_loss_of(a, grad_input);
    c.backward = 1;
    c.grad_rows = grad_rows.data_ptr();
    c.grad_rows_stride = grad_rows.dim() == 0 ? 0 : 1;
    c.grad_input = grad_input.data_ptr();
    c.grad_target = data_or_null(grad_target);
    cuda::check(backend(a.op).class_loss(&c), a.op);
}

std::optional<int64_t> gather(const char* op, const Tensor& out, const Tensor& self, int64_t dim, const Tensor& index) {
    const int64_t nd = index.dim();
    CMP_CHECK(nd >= 1 && nd <= COMPUTE_CUDA_MAX_DIMS && out.dim() == nd && self.dim() == nd, DEVICE_ERROR, op, ": ", nd,
              " dims are not supported on CUDA yet (1 to ", COMPUTE_CUDA_MAX_DIMS, ")");
    compute_cuda_gather g{};
    g.device = out.device().index;
    g.element_size = static_cast<int32_t>(self.element_size());
    g.ndim = static_cast<int32_t>(nd);
    g.dim = static_cast<int32_t>(dim);
    g.stream = cuda::current_stream(g.device);
    g.n = out.numel();
    g.size = self.size(dim);
    for (int64_t k = 0; k < nd; ++k) {
        const auto i = static_cast<size_t>(k);
        g.shape[i] = index.size(k);
        g.out_strides[i] = out.stride(k);
        g.self_strides[i] = self.stride(k);
        g.index_strides[i] = index.stride(k);
    }
    g.out = out.data_ptr();
    g.self = self.data_ptr();
    g.index = static_cast<const int64_t*>(index.data_ptr());
    const int32_t status = backend(op).gather(&g);
    if (status == CMP_STATUS_INDEX_OUT_OF_RANGE) return g.bad_index;
    cuda::check(status, op);
    return std::nullopt;
}

std::optional<int64_t> scatter(const char* op, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                               const Scalar& value, int32_t reduce, const Scalar& alpha) {
    const int64_t nd = index.dim();
    CMP_CHECK(nd >= 1 && nd <= COMPUTE_CUDA_MAX_DIMS && self.dim() == nd, DEVICE_ERROR, op, ": ", nd,
              " dims are not supported on CUDA yet (1 to ", COMPUTE_CUDA_MAX_DIMS, ")");
    compute_cuda_scatter c{};
    c.device = self.device().index;
    c.dtype = static_cast<int32_t>(self.dtype());
    c.ndim = static_cast<int32_t>(nd);
    c.dim = static_cast<int32_t>(dim);
    c.stream = cuda::current_stream(c.device);
    c.n = index.numel();
    for (int64_t k = 0; k < nd; ++k) {
        const auto i = static_cast<size_t>(k);
        c.self_shape[i] = self.size(k);
        c.index_shape[i] = index.size(k);
        c.self_strides[i] = self.stride(k);
        c.index_strides[i] = index.stride(k);
        c.src_strides[i] = src.defined() ? src.stride(k) : 0;
    }
    c.self = self.data_ptr();
    c.index = static_cast<const int64_t*>(index.data_ptr());
    c.src = src.defined() ? src.data_ptr() : nullptr;
    c.value = value;
    c.alpha = alpha;
    c.op = reduce;
    const int32_t status = backend(op).scatter(&c);
    if (status == CMP_STATUS_INDEX_OUT_OF_RANGE) return c.bad_index;
    cuda::check(status, op);
    return std::nullopt;
}

Tensor embedding_backward(const char* op, const Tensor& grad_out, const Tensor& indices, int64_t num_weights,
                          int64_t padding_idx, bool scale_grad_by_freq, std::optional<int64_t>* bad) {
    const Tensor go = contiguous(grad_out), idx = contiguous(indices);
    const int64_t dim = grad_out.size(-1);
    Tensor grad = Tensor::empty({num_weights, dim}, grad_out.dtype(), grad_out.device(), op);
    compute_cuda_embedding_backward e{};
    e.device = grad.device().index;
    e.dtype = static_cast<int32_t>(grad.dtype());
    e.scale_grad_by_freq = scale_grad_by_freq ? 1 : 0;
    e.stream = cuda::current_stream(e.device);
    e.count = idx.numel();
    e.n = num_weights * dim + e.count;
    e.dim = dim;
    e.num_weights = num_weights;
    e.padding_idx = padding_idx;
    e.grad_out = go.data_ptr();
    e.indices = static_cast<const int64_t*>(idx.data_ptr());
    e.grad_weight = grad.data_ptr();
    const int32_t status = backend(op).embedding_backward(&e);
    if (status == CMP_STATUS_INDEX_OUT_OF_RANGE) *bad = e.bad_index;
    else cuda::check(status, op);
    return grad;
}

std::optional<int64_t> pool(const char* op, compute_cuda_pool p, const Tensor& src, const Tensor& dst,
                            const Tensor& indices) {
    CMP_CHECK(src.is_contiguous() && dst.is_contiguous() && (!indices.defined() || indices.is_contiguous()),
              INTERNAL_ERROR, op, ": the pooling pass's operands must be dense");
    p.device = dst.device().index;
    p.dtype = static_cast<int32_t>(src.dtype());
    p.stream = cuda::current_stream(p.device);
    p.n = dst.numel();
    p.src = src.data_ptr();
    p.dst = dst.data_ptr();
    p.indices = indices.defined() ? static_cast<int64_t*>(indices.data_ptr()) : nullptr;
    const int32_t status = backend(op).pool(&p);
    if (status == CMP_STATUS_INDEX_OUT_OF_RANGE) return p.bad_index;
    cuda::check(status, op);
    return std::nullopt;
}

void attention(const char* op, compute_cuda_attention a, bool backward, Device device) {
    a.device = device.index;
    a.stream = cuda::current_stream(a.device);
    const compute_cuda_backend& b = backend(op);
    cuda::check(backward ? b.attention_backward(&a) : b.attention(&a), op);
}

void batch_norm(const char* op, compute_cuda_batch_norm b, bool backward, Device device) {
    b.device = device.index;
    b.stream = cuda::current_stream(b.device);
    const compute_cuda_backend& be = backend(op);
    cuda::check(backward ? be.batch_norm_backward(&b) : be.batch_norm(&b), op);
}

void random(const char* op, compute_cuda_random r, const Tensor& out) {
    CMP_CHECK(out.is_contiguous(), INTERNAL_ERROR, op, ": the random fill's output must be dense");
    r.device = out.device().index;
    r.stream = cuda::current_stream(r.device);
    r.dtype = static_cast<int32_t>(out.dtype());
    r.n = out.numel();
    r.out = out.data_ptr();
    cuda::check(backend(op).random(&r), op);
}

void randperm(const char* op, uint64_t seed, uint64_t offset, const Tensor& out) {
    CMP_CHECK(out.is_contiguous(), INTERNAL_ERROR, op, ": randperm's output must be dense");
    compute_cuda_randperm r{};
    r.device = out.device().index;
    r.dtype = static_cast<int32_t>(out.dtype());
    r.stream = cuda::current_stream(r.device);
    r.seed = seed;
    r.offset = offset;
    r.n = out.numel();
    r.out = out.data_ptr();
    cuda::check(backend(op).randperm(&r), op);
}

namespace {
compute_cuda_multinomial multinomial_desc(const Tensor& probs, int32_t pass) {
    CMP_CHECK(probs.is_contiguous() && probs.dtype() == CMP_DTYPE_FLOAT64 && probs.dim() == 2, INTERNAL_ERROR,
              "multinomial: the CUDA passes take dense float64 [rows, categories] probabilities");
    compute_cuda_multinomial m{};
    m.device = probs.device().index;
    m.pass = pass;
    m.stream = cuda::current_stream(m.device);
    m.rows = probs.size(0);
    m.categories = probs.size(1);
    m.n = m.rows * m.categories;
    m.probs = static_cast<const double*>(probs.data_ptr());
    return m;
}
}  // namespace

std::optional<MultinomialFailure> multinomial_check(const char* op, const Tensor& probs) {
    compute_cuda_multinomial m = multinomial_desc(probs, COMPUTE_CUDA_MULTINOMIAL_CHECK);
    const int32_t status = backend(op).multinomial(&m);
    if (status == CMP_STATUS_INVALID_ARGUMENT) return MultinomialFailure{m.bad_row, m.bad_category, m.bad_value};
    cuda::check(status, op);
    return std::nullopt;
}

void multinomial_sample(const char* op, const Tensor& probs, const Tensor& u, bool replacement, const Tensor& out) {
    compute_cuda_multinomial m = multinomial_desc(
        probs, replacement ? COMPUTE_CUDA_MULTINOMIAL_WITH_REPLACEMENT : COMPUTE_CUDA_MULTINOMIAL_WITHOUT_REPLACEMENT);
    CMP_CHECK(u.is_contiguous() && u.dtype() == CMP_DTYPE_FLOAT64 && out.is_contiguous() && out.dtype() == CMP_DTYPE_INT64,
              INTERNAL_ERROR, op, ": u must be dense float64 and the samples dense int64");
    m.num_samples = out.numel() / std::max<int64_t>(m.rows, 1);
    m.u = static_cast<const double*>(u.data_ptr());
    m.out = static_cast<int64_t*>(out.data_ptr());
    cuda::check(backend(op).multinomial(&m), op);
}

}  // namespace cmp::ops::cuda_ops
