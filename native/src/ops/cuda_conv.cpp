// The convolution engine's passes on CUDA (see cuda_ops.h): im2col / col2im on the device
// (the backend's im2col entry, cuda/im2col.cu) around the cuBLAS products of cuda_ops::gemm.
//
// The batch is taken in chunks of m images whose column matrices fit 256 MB. A chunk's
// columns are laid out [channels * K, m, P] (rows of the m images interleaved), so each group's
// column matrix is one [Cg * K, m * P] matrix and every pass is ONE strided batched GEMM over
// the groups per chunk, with the chunk's images side by side in its n (or k) dimension:
//   forward          tmp[g] [Og, m*P] = weight[g] [Og, CgK] x cols[g] [CgK, m*P], then
//                    out[n, o, p] = tmp[o, n, p] (a copy), plus the bias at the end
//   backward_image   cols[g] = weight[g]^T x grad_out^T[g] ([Og, m*P], grad_out permuted to
//                    [O, m, P] by a copy), then col2im (a gather) with the bias
//   backward_weight  grad_weight[g] (+)= grad_out^T[g] [Og, m*P] x cols[g]^T [m*P, CgK]:
//                    the batch summed inside the GEMM's k, chunks accumulated with beta = 1
// Every step is deterministic (no atomics; cuBLAS's GEMMs give the same bits on every run).
// unfold / fold are one im2col / col2im over the batch in PyTorch's [N, C*K, P] layout.
#include "ops/cuda_ops.h"

#include "core/cuda_stream.h"
#include "core/cuda_runtime.h"

#include <algorithm>
#include <atomic>

namespace cmp::ops::cuda_ops {

namespace {

// The column matrices of one chunk stay under this many bytes (one image alone may exceed it);
// tests lower it (set_conv_column_budget) to run every case in chunks of one image.
std::atomic<int64_t> g_column_bytes{int64_t(256) << 20};

struct ConvDims {
    int64_t K, P, Pin, Cg, Og, CgK, rows;  // rows: image_channels * K
};

ConvDims conv_dims(const conv_engine::Problem& p) {
    ConvDims d{};
    d.K = p.geom.kernel_volume();
    d.P = p.geom.out_plane();
    d.Pin = p.geom.image_plane();
    d.Cg = p.image_channels / p.groups;
    d.Og = p.out_channels / p.groups;
    d.CgK = d.Cg * d.K;
    d.rows = p.image_channels * d.K;
    return d;
}

// Images per chunk: the columns [rows, m, P] and the permuted grad_out / output [O, m, P] of a
// chunk stay under the column budget.
int64_t chunk_of(const conv_engine::Problem& p, const ConvDims& d, DType dt) {
    const int64_t per_image = std::max<int64_t>(1, std::max(d.rows, p.out_channels) * d.P * element_size(dt));
    return std::clamp<int64_t>(g_column_bytes.load() / per_image, 1, std::max<int64_t>(p.batch, 1));
}

compute_cuda_im2col describe(const cpu::ConvGeom3& g, const Tensor& like, int64_t images, int64_t channels,
                             int64_t col_image_stride, int64_t col_row_stride) {
    compute_cuda_im2col d{};
    d.device = like.device().index;
    d.dtype = static_cast<int32_t>(like.dtype());
    d.stream = cuda::current_stream(d.device);
    d.images = images;
    d.channels = channels;
    d.col_image_stride = col_image_stride;
    d.col_row_stride = col_row_stride;
    for (int i = 0; i < 3; ++i) {
        d.geom.image[i] = g.image[i];
        d.geom.out[i] = g.out[i];
        d.geom.kernel[i] = g.kernel[i];
        d.geom.stride[i] = g.stride[i];
        d.geom.pad[i] = g.pad[i];
        d.geom.dilation[i] = g.dilation[i];
    }
    return d;
}

// cols (column strides as describe's) = im2col of `images` dense images at image.
void im2col(const char* op, compute_cuda_im2col d, const void* image, void* cols) {
    d.n = d.images * d.channels * d.geom.kernel[0] * d.geom.kernel[1] * d.geom.kernel[2] * d.geom.out[0] *
          d.geom.out[1] * d.geom.out[2];
    d.col2im = 0;
    d.in = image;
    d.out = cols;
    if (d.n > 0) cuda::check(cuda::get(op).im2col(&d), op);
}

// images at image = bias (or 0) + col2im of the columns.
void col2im(const char* op, compute_cuda_im2col d, const void* cols, const Tensor& bias, void* image) {
    d.n = d.images * d.channels * d.geom.image[0] * d.geom.image[1] * d.geom.image[2];
    d.col2im = 1;
    d.in = cols;
    d.out = image;
    d.bias = bias.defined() ? bias.data_ptr() : nullptr;
    if (d.n > 0) cuda::check(cuda::get(op).im2col(&d), op);
}

char* at(const Tensor& t, int64_t elems) {
    return static_cast<char*>(t.data_ptr()) + elems * element_size(t.dtype());
}

// The chunk's column matrices [groups, CgK, m * P] in the first elements of buf.
Tensor group_columns(const Tensor& buf, const conv_engine::Problem& p, const ConvDims& d, int64_t m) {
    return view(narrow(buf, 0, 0, d.rows * m * d.P), {p.groups, d.CgK, m * d.P});
}

// grad_out's images [n0, n0 + m) as [groups, Og, m * P] (a dense copy, channels outermost).
Tensor channels_first(const Tensor& t, const conv_engine::Problem& p, const ConvDims& d, int64_t n0, int64_t m) {
    const Tensor images = narrow(view(t, {p.batch, p.out_channels, d.P}), 0, n0, m);
    return view(contiguous(permute(images, {1, 0, 2})), {p.groups, d.Og, m * d.P});
}

template <typename Chunk>
void for_each_chunk(const conv_engine::Problem& p, int64_t chunk, const Chunk& run) {
    for (int64_t n0 = 0; n0 < p.batch; n0 += chunk) run(n0, std::min(chunk, p.batch - n0));
}

}  // namespace

int64_t set_conv_column_budget(int64_t bytes) { return g_column_bytes.exchange(bytes); }

void conv_forward(const conv_engine::Problem& p, const Tensor& image, const Tensor& weight, const Tensor& bias,
                  const Tensor& out) {
    const char* op = "conv";
    const ConvDims d = conv_dims(p);
    if (p.batch == 0 || d.P == 0) return;
    const int64_t chunk = chunk_of(p, d, image.dtype());
    const Tensor buf = Tensor::empty({d.rows * chunk * d.P}, image.dtype(), image.device(), op);
    const Tensor w = view(weight, {p.groups, d.Og, d.CgK});
    const Tensor y = view(out, {p.batch, p.out_channels, d.P});
    for_each_chunk(p, chunk, [&](int64_t n0, int64_t m) {
        im2col(op, describe(p.geom, image, m, p.image_channels, d.P, m * d.P), at(image, n0 * p.image_channels * d.Pin),
               buf.data_ptr());
        const Tensor tmp = Tensor::empty({p.groups, d.Og, m * d.P}, image.dtype(), image.device(), op);
        gemm(op, w, group_columns(buf, p, d, m), 1.0, 0.0, tmp);
        copy_(narrow(y, 0, n0, m), permute(view(tmp, {p.out_channels, m, d.P}), {1, 0, 2}));
    });
    if (bias.defined()) add_(y, view(bias, {1, p.out_channels, 1}), scalar_int(1));
}

void conv_backward_image(const conv_engine::Problem& p, const Tensor& grad_out, const Tensor& weight,
                         const Tensor& bias, const Tensor& grad_image) {
    const char* op = "conv_backward";
    const ConvDims d = conv_dims(p);
    if (p.batch == 0 || d.Pin == 0) return;
    const int64_t chunk = chunk_of(p, d, grad_out.dtype());
    const Tensor buf = Tensor::empty({d.rows * chunk * d.P}, grad_out.dtype(), grad_out.device(), op);
    const Tensor wt = permute(view(weight, {p.groups, d.Og, d.CgK}), {0, 2, 1});  // weight[g]^T, read transposed
    for_each_chunk(p, chunk, [&](int64_t n0, int64_t m) {
        gemm(op, wt, channels_first(grad_out, p, d, n0, m), 1.0, 0.0, group_columns(buf, p, d, m));
        col2im(op, describe(p.geom, grad_out, m, p.image_channels, d.P, m * d.P), buf.data_ptr(), bias,
               at(grad_image, n0 * p.image_channels * d.Pin));
    });
}

void conv_backward_weight(const conv_engine::Problem& p, const Tensor& image, const Tensor& grad_out,
                          const Tensor& grad_weight) {
    const char* op = "conv_backward";
    const ConvDims d = conv_dims(p);
    if (p.batch == 0 || d.P == 0) {
        fill_(grad_weight, scalar_int(0));
        return;
    }
    const int64_t chunk = chunk_of(p, d, image.dtype());
    const Tensor buf = Tensor::empty({d.rows * chunk * d.P}, image.dtype(), image.device(), op);
    const Tensor gw = view(grad_weight, {p.groups, d.Og, d.CgK});
    for_each_chunk(p, chunk, [&](int64_t n0, int64_t m) {
        im2col(op, describe(p.geom, image, m, p.image_channels, d.P, m * d.P), at(image, n0 * p.image_channels * d.Pin),
               buf.data_ptr());
        // cols[g]^T [m * P, CgK]: the column matrices read transposed.
        gemm(op, channels_first(grad_out, p, d, n0, m), permute(group_columns(buf, p, d, m), {0, 2, 1}), 1.0,
             n0 == 0 ? 0.0 : 1.0, gw);
    });
}

void conv_unfold(const conv_engine::Problem& p, const Tensor& image, const Tensor& cols) {
    const int64_t K = p.geom.kernel_volume(), P = p.geom.out_plane();
    im2col("unfold", describe(p.geom, image, p.batch, p.image_channels, p.image_channels * K * P, P), image.data_ptr(),
           cols.data_ptr());
}

void conv_fold(const conv_engine::Problem& p, const Tensor& cols, const Tensor& image) {
    const int64_t K = p.geom.kernel_volume(), P = p.geom.out_plane();
    col2im("fold", describe(p.geom, image, p.batch, p.image_channels, p.image_channels * K * P, P), cols.data_ptr(),
           Tensor(), image.data_ptr());
}

}  // namespace cmp::ops::cuda_ops
