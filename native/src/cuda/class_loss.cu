// cross_entropy and nll_loss on CUDA (entry class_loss): the rows of the (outer, classes, inner)
// layout are cuda/lines.cuh's lines (a thread per row when inner > 1, else a warp, or a block for
// rows of kLongLine classes and more), and each row runs cuda/class_loss_rows.h, the functions
// the fake backend runs on the host for the routing tests. cross_entropy fuses log_softmax as
// softmax.cu does (a max pass, a pass summing exp(x - m), then the loss or gradient pass).
// Class indices out of range are noted on the device (the lowest such row) and reported after
// the kernel with the CPU's message.
#include "cuda/class_loss_rows.h"
#include "cuda/dtypes.cuh"
#include "cuda/entries.h"
#include "cuda/lines.cuh"

namespace cmp::cuda_backend {

namespace {

// The forward or backward pass of a row, as a line op.
template <typename T, bool Backward>
struct RowLine {
    class_loss::Rows<T, opmath_t<T>> rows;
    template <typename G>
    __device__ void operator()(const G& g, Line l) const {
        if constexpr (Backward) rows.backward(g, l.base);
        else rows.forward(g, l.base);
    }
};

template <typename T>
void launch_rows(const compute_cuda_lines& l, const class_loss::Rows<T, opmath_t<T>>& rows, bool backward) {
    if (backward) launch_lines(l, RowLine<T, true>{rows});
    else launch_lines(l, RowLine<T, false>{rows});
}

// The lowest row with a class index out of range, in a cached device block cleared to kNoRow on
// the launch's stream (the device is current: run_described's guard).
class BadRow {
public:
    BadRow(int32_t device, void* stream) : stream_(static_cast<cudaStream_t>(stream)) {
        void* p = nullptr;
        const int32_t status = allocate(device, sizeof(unsigned long long), stream, &p);
        if (status != CMP_STATUS_OK) fail(status, last_error());
        row_ = static_cast<unsigned long long*>(p);
        check(cudaMemsetAsync(row_, 0xff, sizeof(unsigned long long), stream_), "cuda class_loss: clear the bad row");
    }
    ~BadRow() { deallocate(row_); }
    BadRow(const BadRow&) = delete;
    BadRow& operator=(const BadRow&) = delete;

    unsigned long long* get() const { return row_; }

    // Fails with the CPU's message when a row was noted (waits for the stream).
    void report(const int64_t* targets, int64_t classes) const {
        unsigned long long row = class_loss::kNoRow;
        check(cudaMemcpyAsync(&row, row_, sizeof(row), cudaMemcpyDeviceToHost, stream_), "cuda class_loss: read the bad row");
        check(cudaStreamSynchronize(stream_), "cuda class_loss: synchronize");
        if (row == class_loss::kNoRow) return;
        int64_t target = 0;
        check(cudaMemcpyAsync(&target, targets + row, sizeof(target), cudaMemcpyDeviceToHost, stream_),
              "cuda class_loss: read the bad target");
        check(cudaStreamSynchronize(stream_), "cuda class_loss: synchronize");
        fail(CMP_STATUS_INDEX_OUT_OF_RANGE, class_loss::out_of_range(target, classes, static_cast<int64_t>(row)));
    }

private:
    cudaStream_t stream_;
    unsigned long long* row_ = nullptr;
};

template <typename T>
void run_typed(const compute_cuda_class_loss& c) {
    const compute_cuda_lines l{c.device, c.dtype, c.stream, c.outer, class_loss::line_dim(c.classes), c.inner};
    if (c.prob_target) {
        launch_rows<T>(l, class_loss::rows_of<T, opmath_t<T>>(c, nullptr), c.backward != 0);
        return;
    }
    const BadRow bad(c.device, c.stream);
    launch_rows<T>(l, class_loss::rows_of<T, opmath_t<T>>(c, bad.get()), c.backward != 0);
    check(cudaGetLastError(), "cuda class_loss: kernel launch");
    bad.report(static_cast<const int64_t*>(c.target), c.classes);
}

}  // namespace

int32_t class_loss(const compute_cuda_class_loss* desc) {
    const char* what = "cuda class_loss";
    return run_described(what, desc, [&](const compute_cuda_class_loss& c) {
        if (c.classes < 0 || c.outer < 0 || c.inner < 1 || c.outer * c.inner != c.n)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": rows ", c.n, " do not match outer ", c.outer, " x inner ", c.inner,
                 " (classes ", c.classes, ")");
        if (!c.input || !c.target || (c.backward ? !c.grad_rows || !c.grad_input : !c.row_weight))
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": missing operand");
        if (c.prob_target && !c.logits) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": probability targets need logits");
        switch (c.dtype) {
            case CMP_DTYPE_FLOAT32: run_typed<float>(c); break;
            case CMP_DTYPE_FLOAT64: run_typed<double>(c); break;
            case CMP_DTYPE_FLOAT16: run_typed<half_t>(c); break;
            case CMP_DTYPE_BFLOAT16: run_typed<bf16_t>(c); break;
            default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": input must be floating, got dtype ", c.dtype);
        }
    });
}

}  // namespace cmp::cuda_backend
