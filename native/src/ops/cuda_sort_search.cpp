// sort / argsort / msort / topk and searchsorted / bucketize on CUDA (see cuda_ops.h): the backend's
// sort and search entries (cuda/sort_search.cu) over dense operands the front-ends prepared.
#include "ops/cuda_ops.h"

#include "core/cuda_stream.h"
#include "core/cuda_runtime.h"

#include <cstdint>
#include <limits>

namespace cmp::ops::cuda_ops {

void sort_rows(const char* op, const Tensor& in, int64_t len, bool descending, const Tensor& values,
               const Tensor& indices) {
    CMP_CHECK(in.is_contiguous() && indices.is_contiguous() && indices.dtype() == CMP_DTYPE_INT64 &&
                  indices.numel() == in.numel() && (!values.defined() || (values.is_contiguous() && values.dtype() == in.dtype())),
              INTERNAL_ERROR, op, ": the CUDA sort takes dense rows, int64 indices and values like the input");
    CMP_CHECK(in.numel() <= std::numeric_limits<int32_t>::max(), INVALID_ARGUMENT, op, ": ", in.numel(),
              " elements to sort (at most 2^31 - 1 on CUDA)");
    compute_cuda_sort s{};
    s.device = in.device().index;
    s.dtype = static_cast<int32_t>(in.dtype());
    s.stream = cuda::current_stream(s.device);
    s.n = in.numel();
    s.len = len;
    s.rows = len == 0 ? 0 : s.n / len;
    s.descending = descending ? 1 : 0;
    s.in = in.data_ptr();
    s.values = values.defined() ? values.data_ptr() : nullptr;
    s.indices = static_cast<int64_t*>(indices.data_ptr());
    cuda::check(cuda::get(op).sort(&s), op);
}

void search(const char* op, const Tensor& seq, const Tensor& sorter, const Tensor& values, bool right,
            const Tensor& out) {
    CMP_CHECK(seq.is_contiguous() && values.is_contiguous() && out.is_contiguous() && seq.dtype() == values.dtype() &&
                  (!sorter.defined() || (sorter.is_contiguous() && sorter.dtype() == CMP_DTYPE_INT64)),
              INTERNAL_ERROR, op, ": the CUDA search takes dense operands, the sequence and values of one dtype");
    compute_cuda_search s{};
    s.device = out.device().index;
    s.dtype = static_cast<int32_t>(seq.dtype());
    s.stream = cuda::current_stream(s.device);
    s.seq_len = seq.size(-1);
    s.rows = seq.numel() / s.seq_len;
    s.n = values.numel();
    s.per_row = s.n / s.rows;
    s.right = right ? 1 : 0;
    s.out_int32 = out.dtype() == CMP_DTYPE_INT32 ? 1 : 0;
    s.seq = seq.data_ptr();
    s.sorter = sorter.defined() ? static_cast<const int64_t*>(sorter.data_ptr()) : nullptr;
    s.values = values.data_ptr();
    s.out = out.data_ptr();
    cuda::check(cuda::get(op).search(&s), op);
}

}  // namespace cmp::ops::cuda_ops
