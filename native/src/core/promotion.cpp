#include "promotion.h"

#include <optional>

namespace cmp {

namespace {

// Bit width of the integral types; signedness matters for the uint8/int8 pair only.
int int_bits(DType d) {
    switch (d) {
        case CMP_DTYPE_INT64: return 64;
        case CMP_DTYPE_INT32: return 32;
        case CMP_DTYPE_INT16: return 16;
        default: return 8;  // int8, uint8
    }
}

}  // namespace

// Derived from the rules rather than written as a 10x10 table, so every cell has a reason;
// tests/native/test_promotion.cpp checks all 100 cells against torch.promote_types output.
DType promote_types(DType a, DType b) {
    if (a == b) return a;
    if (a == CMP_DTYPE_BOOL) return b;
    if (b == CMP_DTYPE_BOOL) return a;
    const bool fa = is_floating(a), fb = is_floating(b);
    if (fa && !fb) return a;  // any float beats any integer
    if (fb && !fa) return b;
    if (fa && fb) {
        if (a == CMP_DTYPE_FLOAT64 || b == CMP_DTYPE_FLOAT64) return CMP_DTYPE_FLOAT64;
        // float16 with bfloat16 (neither holds the other) and either with float32 -> float32.
        return CMP_DTYPE_FLOAT32;
    }
    // Both integral. uint8 with int8 needs a signed type that holds both ranges.
    if ((a == CMP_DTYPE_UINT8 && b == CMP_DTYPE_INT8) || (a == CMP_DTYPE_INT8 && b == CMP_DTYPE_UINT8))
        return CMP_DTYPE_INT16;
    const int wa = int_bits(a), wb = int_bits(b);
    if (wa != wb) return wa > wb ? a : b;
    return a;  // unreachable for distinct dtypes of equal width other than the pair above
}

namespace {

using Opt = std::optional<DType>;

Opt promote_opt(Opt a, DType b) { return a ? promote_types(*a, b) : b; }

// c10's combine_categories: higher is the result of the higher-priority category.
Opt combine(Opt higher, Opt lower) {
    if (!lower) return higher;
    if (!higher) return lower;
    if (is_floating(*higher)) return higher;
    if (*higher == CMP_DTYPE_BOOL || is_floating(*lower)) return promote_types(*higher, *lower);
    return higher;
}

}  // namespace

DType result_type(const std::vector<Tensor>& operands) { return result_type(operands.data(), operands.size()); }

DType result_type(const Tensor* operands, size_t count) {
    // Operands of one dtype (the common case) give that dtype, except when all are wrapped
    // floating numbers (those count as the default dtype): each category promotes to it, and
    // combining equal dtypes keeps it.
    if (count > 0 && operands[0].defined()) {
        const DType d0 = operands[0].dtype();
        bool same = true, any_tensor = false;
        for (size_t i = 0; same && i < count; ++i) {
            same = operands[i].defined() && operands[i].dtype() == d0;
            any_tensor = any_tensor || (same && !operands[i].is_wrapped_number());
        }
        if (same && (any_tensor || !is_floating(d0))) return d0;
    }
    Opt dim_result, zero_result, wrapped_result;
    for (size_t i = 0; i < count; ++i) {
        const Tensor& t = operands[i];
        if (!t.defined()) continue;
        DType d = t.dtype();
        if (t.is_wrapped_number()) {
            if (is_floating(d)) d = CMP_DTYPE_FLOAT32;  // the default dtype
            wrapped_result = promote_opt(wrapped_result, d);
        } else if (t.dim() == 0) {
            zero_result = promote_opt(zero_result, d);
        } else {
            dim_result = promote_opt(dim_result, d);
        }
    }
    Opt r = combine(dim_result, combine(zero_result, wrapped_result));
    CMP_CHECK(r.has_value(), INTERNAL_ERROR, "result_type: no operands");
    return *r;
}

bool can_cast(DType from, DType to) {
    if (is_floating(from) && !is_floating(to)) return false;
    if (from != CMP_DTYPE_BOOL && to == CMP_DTYPE_BOOL) return false;
    return true;
}

const char* legacy_type_name(DType d) {
    switch (d) {
        case CMP_DTYPE_FLOAT32: return "Float";
        case CMP_DTYPE_FLOAT64: return "Double";
        case CMP_DTYPE_FLOAT16: return "Half";
        case CMP_DTYPE_BFLOAT16: return "BFloat16";
        case CMP_DTYPE_INT64: return "Long";
        case CMP_DTYPE_INT32: return "Int";
        case CMP_DTYPE_INT16: return "Short";
        case CMP_DTYPE_INT8: return "Char";
        case CMP_DTYPE_UINT8: return "Byte";
        case CMP_DTYPE_BOOL: return "Bool";
    }
    return "Undefined";
}

}  // namespace cmp
