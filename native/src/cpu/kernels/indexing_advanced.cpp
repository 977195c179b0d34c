// Advanced-indexing kernels (x[int/bool tensors] get and put). The number of index tensors is
// only known at run time, so the position walk keeps its offsets in small vectors.
#include "cpu/indexing_stubs.h"
#include "cpu/loops.h"

#include "core/parallel.h"

#include <algorithm>
#include <cstring>

namespace cmp::cpu {
namespace {

// Row-major walk over plan.shape with the element offsets of every operand: [0] out (when
// given), then src, then each index tensor.
struct Walk {
    const Shape& shape;
    std::vector<const Shape*> strides;
    Shape idx;
    std::vector<int64_t> off;

    Walk(const Shape& s, std::vector<const Shape*> st) : shape(s), strides(std::move(st)), idx(s.size(), 0), off(strides.size(), 0) {}
    void seek(int64_t linear) {
        std::fill(off.begin(), off.end(), 0);
        for (size_t d = shape.size(); d-- > 0;) {
            idx[d] = linear % shape[d];
            linear /= shape[d];
            for (size_t n = 0; n < off.size(); ++n) off[n] += idx[d] * (*strides[n])[d];
        }
    }
    void next() {
        for (size_t d = shape.size(); d-- > 0;) {
            for (size_t n = 0; n < off.size(); ++n) off[n] += (*strides[n])[d];
            if (++idx[d] < shape[d]) return;
            for (size_t n = 0; n < off.size(); ++n) off[n] -= shape[d] * (*strides[n])[d];
            idx[d] = 0;
        }
    }
};

// Element offset in src of the element the walk is at; throws for an index out of range.
int64_t source_offset(const AdvancedIndexPlan& plan, const Walk& w, size_t first_index_operand) {
    int64_t at = w.off[first_index_operand - 1];
    for (size_t k = 0; k < plan.indices.size(); ++k) {
        int64_t i = plan.indices[k].data<int64_t>()[w.off[first_index_operand + k]];
        const int64_t size = plan.sizes[k];
        if (i < -size || i >= size)
            fail(CMP_STATUS_INDEX_OUT_OF_RANGE, str("index: index ", i, " is out of bounds for dimension ", plan.dims[k],
                                                    " with size ", size));
        if (i < 0) i += size;
        at += i * plan.strides[k];
    }
    return at;
}

std::vector<const Shape*> operand_strides(const Tensor* out, const AdvancedIndexPlan& plan) {
    std::vector<const Shape*> st;
    if (out) st.push_back(&out->strides());
    st.push_back(&plan.src.strides());
    for (const Tensor& t : plan.indices) st.push_back(&t.strides());
    return st;
}

void index_kernel(const Tensor& out, const AdvancedIndexPlan& plan) {
    const int64_t es = out.element_size();
    char* o = static_cast<char*>(out.data_ptr());
    const char* s = static_cast<const char*>(plan.src.data_ptr());
    const int64_t n = out.numel();
    parallel_for(0, n, kDefaultGrain / 4, [&](int64_t begin, int64_t end) {
        Walk w(plan.shape, operand_strides(&out, plan));
        w.seek(begin);
        for (int64_t p = begin; p < end; ++p, w.next())
            std::memcpy(o + w.off[0] * es, s + source_offset(plan, w, 2) * es, static_cast<size_t>(es));
    });
}

void index_put_kernel(const AdvancedIndexPlan& plan, const Tensor& values, bool accumulate) {
    CMP_DISPATCH_ALL_TYPES(plan.src.dtype(), "index_put_", [&] {
        using acc_t = opmath_t<scalar_t>;
        scalar_t* s = plan.src.data<scalar_t>();
        const scalar_t* v = values.data<scalar_t>();
        std::vector<const Shape*> st = operand_strides(&values, plan);
        Walk w(plan.shape, st);
        int64_t total = 1;
        for (int64_t d : plan.shape) total *= d;
        for (int64_t p = 0; p < total; ++p, w.next()) {
            scalar_t& dst = s[source_offset(plan, w, 2)];
            const scalar_t x = v[w.off[0]];
            dst = accumulate ? static_cast<scalar_t>(wrap_add(static_cast<acc_t>(dst), static_cast<acc_t>(x))) : x;
        }
    });
}

}  // namespace

CMP_REGISTER_KERNEL(index_stub, index_kernel)
CMP_REGISTER_KERNEL(index_put_stub, index_put_kernel)

}  // namespace cmp::cpu
