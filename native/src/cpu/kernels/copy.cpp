// Copy/cast and fill kernels.
#include "cpu/elementwise_stubs.h"
#include "cpu/loops.h"

#include <cstring>

namespace cmp::cpu {
namespace {

// Same dtype: only the element size matters, so 10 dtypes share 4 loops (and a memcpy when
// both sides are dense).
template <typename U>
void copy_bits(TensorIterator& iter) {
    iter.for_each([](char** data, const int64_t* s, int64_t n) {
        if (s[0] == static_cast<int64_t>(sizeof(U)) && s[1] == static_cast<int64_t>(sizeof(U))) {
            std::memmove(data[0], data[1], static_cast<size_t>(n) * sizeof(U));
            return;
        }
        Pointwise<U, U>::run(data, s, n, [](U v) { return v; }, std::index_sequence<0>{});
    });
}

template <typename dst_t, typename src_t>
void cast_loop(char** data, const int64_t* s, int64_t n) {
    // Raw src_t values go through convert<> (not through opmath) so every dtype pair follows
    // the one conversion rule defined there.
    char* out = data[0];
    const char* in = data[1];
    if (s[0] == static_cast<int64_t>(sizeof(dst_t)) && s[1] == static_cast<int64_t>(sizeof(src_t))) {
        auto* o = reinterpret_cast<dst_t*>(out);
        const auto* a = reinterpret_cast<const src_t*>(in);
        for (int64_t i = 0; i < n; ++i) o[i] = convert<dst_t>(a[i]);
    } else {
        for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<dst_t*>(out + i * s[0]) = convert<dst_t>(*reinterpret_cast<const src_t*>(in + i * s[1]));
    }
}

// The source dtype is dispatched here, in its own function, so the two dtype switches do not nest.
template <typename dst_t>
void cast_to(TensorIterator& iter) {
    CMP_DISPATCH_ALL_TYPES(iter.dtype(1), "copy_", [&] { iter.for_each(cast_loop<dst_t, scalar_t>); });
}

void copy_kernel(TensorIterator& iter) {
    const DType dst = iter.dtype(0), src = iter.dtype(1);
    if (dst == src) {
        switch (element_size(dst)) {
            case 1: return copy_bits<uint8_t>(iter);
            case 2: return copy_bits<uint16_t>(iter);
            case 4: return copy_bits<uint32_t>(iter);
            default: return copy_bits<uint64_t>(iter);
        }
    }
    CMP_DISPATCH_ALL_TYPES(dst, "copy_", [&] { cast_to<scalar_t>(iter); });
}

void fill_kernel(TensorIterator& iter, const cmp_scalar& value) {
    CMP_DISPATCH_ALL_TYPES(iter.dtype(0), "fill_", [&] {
        const scalar_t v = scalar_to<scalar_t>(value);
        iter.for_each([v](char** data, const int64_t* s, int64_t n) {
            if (s[0] == static_cast<int64_t>(sizeof(scalar_t))) {
                auto* o = reinterpret_cast<scalar_t*>(data[0]);
                for (int64_t i = 0; i < n; ++i) o[i] = v;
            } else {
                for (int64_t i = 0; i < n; ++i) *reinterpret_cast<scalar_t*>(data[0] + i * s[0]) = v;
            }
        });
    });
}

}  // namespace

CMP_REGISTER_KERNEL(copy_stub, copy_kernel)
CMP_REGISTER_KERNEL(fill_stub, fill_kernel)

}  // namespace cmp::cpu
