// Per-dtype facts: element sizes and the names torch prints.
#include "dtype.h"

namespace cmp {

namespace {
struct DTypeInfo {
    int64_t size;
    const char* name;
};
// Indexed by the cmp_dtype value (the numeric values are part of the ABI).
constexpr DTypeInfo kInfo[kNumDTypes] = {
    {4, "float32"}, {8, "float64"}, {2, "float16"}, {2, "bfloat16"}, {8, "int64"},
    {4, "int32"},   {2, "int16"},   {1, "int8"},    {1, "uint8"},    {1, "bool"},
};
}  // namespace

int64_t element_size(DType d) {
    CMP_CHECK(dtype_valid(d), INVALID_ARGUMENT, "element_size: invalid dtype value ", static_cast<int>(d));
    return kInfo[d].size;
}

const char* dtype_name(DType d) { return dtype_valid(d) ? kInfo[d].name : "invalid"; }

void check_dtype(int32_t d, const char* op, const char* arg) {
    CMP_CHECK(dtype_valid(d), INVALID_ARGUMENT, op, ": argument '", arg, "' has invalid dtype value ", d,
              " (expected 0..", kNumDTypes - 1, ")");
}

}  // namespace cmp
