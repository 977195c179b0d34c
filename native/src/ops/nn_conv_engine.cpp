// The convolution engine: im2col + GEMM per (image, group), with two direct paths.
//  * 1x1 kernels with stride 1 and no padding need no im2col: the image plane already is the
//    column matrix, so the GEMM reads it in place.
//  * Depthwise convolutions (one input channel per group) would be GEMMs with a single row;
//    a direct loop over the kernel taps (cpu depthwise_conv_stub) is several times faster.
//  * float32/float64 convolutions at stride 1 (and strided ones whose taps read every phase of
//    the stride, e.g. 3x3 stride 2) need no column matrix either: the GEMM reads shifted rows
//    of a zero-bordered copy of the image (cpu conv_gemm_stub, an implicit GEMM),
//    and so does their image gradient, computed as the forward convolution of grad_out; their
//    weight gradient reads its GEMM operand from a channel-blocked copy (cpu conv_weight_grad_stub).
//  (Integer convolutions, which PyTorch's CPU also computes, take the im2col + GEMM path.)
// Parallelism: with at least as many (image, group) tasks as threads, tasks are shared out and
// each worker keeps its own column buffer (nested GEMM/im2col calls then run inline); with
// fewer, tasks run one after another and the parallelism is inside im2col and the GEMM.
#include "ops/nn_conv_engine.h"

#include "core/parallel.h"
#include "cpu/gemm.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace cmp::cpu {
CMP_DEFINE_STUB(im2col_stub);
CMP_DEFINE_STUB(conv_gemm_stub);
CMP_DEFINE_STUB(conv_weight_grad_stub);
CMP_DEFINE_STUB(col2im_stub);
CMP_DEFINE_STUB(depthwise_conv_stub);
CMP_DEFINE_STUB(depthwise_backward_image_stub);
CMP_DEFINE_STUB(depthwise_backward_weight_stub);
}  // namespace cmp::cpu

namespace cmp::ops::conv_engine {
namespace {

// Sizes derived once from a Problem.
struct Dims {
    int64_t K, P, Pin;      // kernel volume, output plane, image plane
    int64_t Cg, Og, CgK;    // image channels, output channels and column rows per group
    bool pointwise;         // 1x1, stride 1, no padding: the image is its own column matrix
    int64_t es;             // element size in bytes
};

Dims dims_of(const Problem& p, DType dtype) {
    const auto& g = p.geom;
    Dims d{};
    d.K = g.kernel_volume();
    d.P = g.out_plane();
    d.Pin = g.image_plane();
    d.Cg = p.image_channels / p.groups;
    d.Og = p.out_channels / p.groups;
    d.CgK = d.Cg * d.K;
    d.pointwise = d.K == 1 && d.P == d.Pin;
    for (int i = 0; i < 3; ++i) d.pointwise = d.pointwise && g.stride[i] == 1 && g.pad[i] == 0;
    d.es = element_size(dtype);
    return d;
}

// float32/float64 convolutions with conv_gemm_applies' geometry (stride 1, or a stride every
// phase of which some tap reads) multiply straight from the image (cpu conv_gemm_stub, an
// implicit GEMM); the others go through the column matrix (im2col + GEMM).
bool implicit_gemm(DType dt, const cpu::ConvGeom3& g) {
    return (dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64) && cpu::conv_gemm_applies(g);
}

// One input channel per group: the direct depthwise loops beat GEMMs with a single row.
bool depthwise(const Problem& p, const Dims& d, DType dt) { return d.Cg == 1 && p.groups > 1 && is_floating(dt); }

char* at(const Tensor& t, int64_t elems, int64_t es) { return static_cast<char*>(t.data_ptr()) + elems * es; }

// Sets `rows` rows of `len` elements at dst to bias[first + r] (or 0 without a bias).
void fill_rows(DType dtype, void* dst, int64_t rows, int64_t len, const Tensor& bias, int64_t first) {
    CMP_DISPATCH_NUMERIC_TYPES(dtype, "conv", [&] {
        auto* d = static_cast<scalar_t*>(dst);
        const scalar_t* b = bias.defined() ? bias.data<scalar_t>() + first : nullptr;
        for (int64_t r = 0; r < rows; ++r) std::fill(d + r * len, d + (r + 1) * len, b ? b[r] : scalar_t(0));
    });
}

// bias[first...] as the stubs take it: null without a bias.
const void* bias_at(const Tensor& bias, int64_t first, int64_t es) {
    return bias.defined() ? static_cast<const char*>(bias.data_ptr()) + first * es : nullptr;
}

// Runs task(t, scratch) for every t in [0, tasks); scratch holds scratch_elems elements and is
// private to the thread running the task.
template <typename Task>
void for_each_task(int64_t tasks, DType dtype, int64_t scratch_elems, const Task& task) {
    if (tasks == 0) return;
    auto run = [&](int64_t begin, int64_t end) {
        Tensor scratch = scratch_elems > 0 ? Tensor::empty({scratch_elems}, dtype, Device::cpu()) : Tensor();
        void* s = scratch.defined() ? scratch.data_ptr() : nullptr;
        for (int64_t t = begin; t < end; ++t) task(t, s);
    };
    if (tasks >= get_num_threads() && tasks > 1) parallel_for(0, tasks, 1, run);
    else run(0, tasks);
}

// At stride 1 the image gradient is itself a convolution (transposed_geom): grad_image =
// conv(grad_out, w') with w'[c, o, tap] = w[o, c, flipped tap] and padding dilation *
// (kernel - 1) - pad, so it runs on the implicit GEMM (no column matrix, no col2im scatter).
cpu::ConvGeom3 transposed_geom(const cpu::ConvGeom3& g) {
    cpu::ConvGeom3 gt = g;
    for (int i = 0; i < 3; ++i) {
        gt.image[i] = g.out[i];
        gt.out[i] = g.image[i];
        gt.pad[i] = g.dilation[i] * (g.kernel[i] - 1) - g.pad[i];
    }
    return gt;
}

void backward_image_as_forward(const Problem& p, const Dims& d, DType dt, const Tensor& grad_out,
                               const Tensor& weight, const Tensor& bias, const Tensor& grad_image) {
    const cpu::ConvGeom3 gt = transposed_geom(p.geom);
    // flipped [groups, Cg, Og * K] from weight [groups * Og, Cg * K].
    const Tensor flipped = Tensor::empty({p.groups * d.Cg * d.Og * d.K}, dt, Device::cpu());
    const char* w = static_cast<const char*>(weight.data_ptr());
    for (int64_t gi = 0; gi < p.groups; ++gi) {
        for (int64_t c = 0; c < d.Cg; ++c) {
            for (int64_t o = 0; o < d.Og; ++o) {
                const char* src = w + ((gi * d.Og + o) * d.CgK + c * d.K) * d.es;
                char* dst = at(flipped, ((gi * d.Cg + c) * d.Og + o) * d.K, d.es);
                for (int64_t k = 0; k < d.K; ++k) std::memcpy(dst + k * d.es, src + (d.K - 1 - k) * d.es, d.es);
            }
        }
    }
    for_each_task(p.batch * p.groups, dt, 0, [&](int64_t t, void*) {
        const int64_t n = t / p.groups, gi = t % p.groups;
        char* gx = at(grad_image, (n * p.image_channels + gi * d.Cg) * d.Pin, d.es);
        const char* gy = at(grad_out, (n * p.out_channels + gi * d.Og) * d.P, d.es);
        cpu::conv_gemm_stub(dt, d.Cg, at(flipped, gi * d.Cg * d.Og * d.K, d.es), d.Og * d.K, gy, d.Og, gt,
                            bias_at(bias, gi * d.Cg, d.es), gx);
    });
}

}  // namespace

void forward(const Problem& p, const Tensor& image, const Tensor& weight, const Tensor& bias, const Tensor& out) {
    if (!image.device().is_cpu()) return cuda_ops::conv_forward(p, image, weight, bias, out);
    const DType dt = image.dtype();
    const Dims d = dims_of(p, dt);
    if (p.batch == 0 || d.P == 0) return;
    if (depthwise(p, d, dt)) {
        cpu::depthwise_conv_stub(dt, image.data_ptr(), weight.data_ptr(), bias.defined() ? bias.data_ptr() : nullptr,
                                 out.data_ptr(), p.batch, p.image_channels, d.Og, p.geom);
        return;
    }
    const bool implicit = !d.pointwise && implicit_gemm(dt, p.geom);
    for_each_task(p.batch * p.groups, dt, d.pointwise || implicit ? 0 : d.CgK * d.P, [&](int64_t t, void* col) {
        const int64_t n = t / p.groups, gi = t % p.groups;
        const char* x = at(image, (n * p.image_channels + gi * d.Cg) * d.Pin, d.es);
        char* y = at(out, (n * p.out_channels + gi * d.Og) * d.P, d.es);
        const char* w = at(weight, gi * d.Og * d.CgK, d.es);
        if (implicit) {
            cpu::conv_gemm_stub(dt, d.Og, w, d.CgK, x, d.Cg, p.geom, bias_at(bias, gi * d.Og, d.es), y);
            return;
        }
        // The bias is written first and the product added to it: no second pass over out.
        fill_rows(dt, y, d.Og, d.P, bias, gi * d.Og);
        const void* b = x;
        if (!d.pointwise) {
            cpu::im2col_stub(dt, x, col, d.Cg, p.geom);
            b = col;
        }
        cpu::gemm(dt, d.Og, d.P, d.CgK, 1.0, w, d.CgK, 1, b, d.P, 1, 1.0, y, d.P, 1);
    });
}

void backward_image(const Problem& p, const Tensor& grad_out, const Tensor& weight, const Tensor& bias,
                    const Tensor& grad_image) {
    if (!grad_out.device().is_cpu()) return cuda_ops::conv_backward_image(p, grad_out, weight, bias, grad_image);
    const DType dt = grad_out.dtype();
    const Dims d = dims_of(p, dt);
    if (p.batch == 0 || d.Pin == 0) return;
    if (depthwise(p, d, dt)) {
        cpu::depthwise_backward_image_stub(dt, grad_out.data_ptr(), weight.data_ptr(),
                                           bias.defined() ? bias.data_ptr() : nullptr, grad_image.data_ptr(), p.batch,
                                           p.image_channels, d.Og, p.geom);
        return;
    }
    if (!d.pointwise && cpu::conv_unit_stride(p.geom) && implicit_gemm(dt, p.geom) &&
        implicit_gemm(dt, transposed_geom(p.geom))) {
        backward_image_as_forward(p, d, dt, grad_out, weight, bias, grad_image);
        return;
    }
    for_each_task(p.batch * p.groups, dt, d.pointwise ? 0 : d.CgK * d.P, [&](int64_t t, void* col) {
        const int64_t n = t / p.groups, gi = t % p.groups;
        char* gx = at(grad_image, (n * p.image_channels + gi * d.Cg) * d.Pin, d.es);
        const char* gy = at(grad_out, (n * p.out_channels + gi * d.Og) * d.P, d.es);
        const char* w = at(weight, gi * d.Og * d.CgK, d.es);
        fill_rows(dt, gx, d.Cg, d.Pin, bias, gi * d.Cg);
        // weight_g^T [CgK, Og] is weight_g [Og, CgK] read with swapped strides.
        if (d.pointwise) {
            cpu::gemm(dt, d.Cg, d.P, d.Og, 1.0, w, 1, d.CgK, gy, d.P, 1, 1.0, gx, d.P, 1);
        } else {
            cpu::gemm(dt, d.CgK, d.P, d.Og, 1.0, w, 1, d.CgK, gy, d.P, 1, 0.0, col, d.P, 1);
            cpu::col2im_stub(dt, col, gx, d.Cg, p.geom);
        }
    });
}

void backward_weight(const Problem& p, const Tensor& image, const Tensor& grad_out, const Tensor& grad_weight) {
    if (!image.device().is_cpu()) return cuda_ops::conv_backward_weight(p, image, grad_out, grad_weight);
    const DType dt = image.dtype();
    const Dims d = dims_of(p, dt);
    const int64_t wnumel = p.out_channels * d.CgK;
    if (p.batch == 0 || d.P == 0) {
        fill_rows(dt, grad_weight.data_ptr(), 1, wnumel, Tensor(), 0);
        return;
    }
    if (depthwise(p, d, dt)) {
        cpu::depthwise_backward_weight_stub(dt, image.data_ptr(), grad_out.data_ptr(), grad_weight.data_ptr(), p.batch,
                                            p.image_channels, d.Og, p.geom);
        return;
    }
    // The batch is split into chunks that each sum their images into a private copy of the
    // weight gradient (chunk 0 straight into grad_weight); the copies are added at the end.
    const int64_t chunks = p.batch >= get_num_threads() ? std::min<int64_t>(get_num_threads(), p.batch) : 1;
    std::vector<Tensor> partial(static_cast<size_t>(chunks));
    partial[0] = grad_weight;
    for (int64_t c = 1; c < chunks; ++c) partial[c] = Tensor::empty({wnumel}, dt, Device::cpu());
    const bool implicit = !d.pointwise && implicit_gemm(dt, p.geom) && cpu::conv_weight_grad_applies(d.Cg, p.geom);
    auto run_chunk = [&](int64_t c) {
        const int64_t n0 = c * p.batch / chunks, n1 = (c + 1) * p.batch / chunks;
        Tensor col = d.pointwise || implicit ? Tensor() : Tensor::empty({d.CgK * d.P}, dt, Device::cpu());
        for (int64_t n = n0; n < n1; ++n) {
            for (int64_t gi = 0; gi < p.groups; ++gi) {
                const char* x = at(image, (n * p.image_channels + gi * d.Cg) * d.Pin, d.es);
                const char* gy = at(grad_out, (n * p.out_channels + gi * d.Og) * d.P, d.es);
                char* gw = at(partial[c], gi * d.Og * d.CgK, d.es);
                const double beta = n == n0 ? 0.0 : 1.0;
                // grad_out_g [Og, P] x cols^T [P, CgK]: the column matrix read transposed.
                if (d.pointwise) {
                    cpu::gemm(dt, d.Og, d.CgK, d.P, 1.0, gy, d.P, 1, x, 1, d.Pin, beta, gw, d.CgK, 1);
                } else if (implicit) {
                    cpu::conv_weight_grad_stub(dt, d.Og, gy, x, d.Cg, p.geom, gw, d.CgK, beta != 0.0);
                } else {
                    cpu::im2col_stub(dt, x, col.data_ptr(), d.Cg, p.geom);
                    cpu::gemm(dt, d.Og, d.CgK, d.P, 1.0, gy, d.P, 1, col.data_ptr(), 1, d.P, beta, gw, d.CgK, 1);
                }
            }
        }
    };
    if (chunks > 1) {
        parallel_for(0, chunks, 1, [&](int64_t b, int64_t e) {
            for (int64_t c = b; c < e; ++c) run_chunk(c);
        });
    } else {
        run_chunk(0);
    }
    for (int64_t c = 1; c < chunks; ++c) add_(grad_weight, view(partial[c], grad_weight.sizes()), scalar_int(1));
}

void unfold(const Problem& p, const Tensor& image, const Tensor& cols) {
    if (!image.device().is_cpu()) return cuda_ops::conv_unfold(p, image, cols);
    const DType dt = image.dtype();
    const Dims d = dims_of(p, dt);
    for_each_task(p.batch, dt, 0, [&](int64_t n, void*) {
        cpu::im2col_stub(dt, at(image, n * p.image_channels * d.Pin, d.es), at(cols, n * p.image_channels * d.K * d.P, d.es),
                         p.image_channels, p.geom);
    });
}

void fold(const Problem& p, const Tensor& cols, const Tensor& image) {
    if (!image.device().is_cpu()) return cuda_ops::conv_fold(p, cols, image);
    const DType dt = image.dtype();
    const Dims d = dims_of(p, dt);
    for_each_task(p.batch, dt, 0, [&](int64_t n, void*) {
        char* x = at(image, n * p.image_channels * d.Pin, d.es);
        fill_rows(dt, x, p.image_channels, d.Pin, Tensor(), 0);
        cpu::col2im_stub(dt, at(cols, n * p.image_channels * d.K * d.P, d.es), x, p.image_channels, p.geom);
    });
}

}  // namespace cmp::ops::conv_engine
