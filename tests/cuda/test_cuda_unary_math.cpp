// Device parity of the unary math family and clamp: one table, every op of
// cpu/unary_math_list.h through its C function, every dtype. For each (op, dtype) the CPU runs
// first; where the CPU refuses the dtype the GPU must refuse it with the same status, otherwise
// the results must agree: exactly where both sides do the same IEEE operations (abs, sqrt,
// floor, relu, hardtanh, clamp, predicates, integers...), within the documented tolerances
// (docs/CUDA.md) where the CUDA math library and the CPU's own approximations each round
// (exp, log, sin, erf...) or several such functions compose (gelu, mish, softplus...).
// A test fails, too, if an op of the table is missing here (OpTableIsCovered).
#include "cuda_parity_util.h"

#include "cpu/unary_math_list.h"

#include <functional>
#include <limits>
#include <set>

namespace cmp::testing {
namespace {

// How closely an op's CUDA result must follow the CPU's.
enum class Tol {
    Exact,           // the same IEEE operations on both sides
    Transcendental,  // one library function: a few ulps on each side
    Composite,       // several library functions composed, or a contracted a * b + c
};

// Which inputs exercise the op: the domains where the function is finite, plus specials.
enum class Inputs { General, Unit, Positive };

using UnaryCall = std::function<cmp_status(cmp_tensor, cmp_tensor*)>;

struct UnaryCase {
    const char* name;  // the op table's name (several cases may test one name)
    UnaryCall call;
    Tol tol;
    Inputs inputs;
};

double relative_tolerance(Tol tol, cmp_dtype dt) {
    if (tol == Tol::Exact) return 0.0;
    switch (dt) {
        // The 16-bit floats compute in float32 on both sides, then round: one ulp of the result.
        case CMP_DTYPE_FLOAT16: return 1e-3;
        case CMP_DTYPE_BFLOAT16: return 8e-3;
        case CMP_DTYPE_FLOAT64: return tol == Tol::Transcendental ? 1e-13 : 4e-13;
        default: return tol == Tol::Transcendental ? 2e-6 : 8e-6;  // float32 (and integers promoted to it)
    }
}

std::vector<double> inputs_for(Inputs kind, cmp_dtype dt) {
    std::vector<double> v;
    for (int i = 0; i < 96; ++i) {
        const double t = (i - 48) / 16.0;  // [-3, 3)
        switch (kind) {
            case Inputs::General: v.push_back(t * 1.37); break;
            case Inputs::Unit: v.push_back(t / 3.1); break;
            case Inputs::Positive: v.push_back(std::fabs(t) * 2.1 + 0.0625); break;
        }
    }
    // Ends of ranges and the values where functions change branch.
    for (double x : {0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 6.0, 20.0, -20.0, 100.0, -100.0}) v.push_back(x);
    const bool floating = dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 ||
                          dt == CMP_DTYPE_BFLOAT16;
    if (floating) {
        const double inf = std::numeric_limits<double>::infinity();
        for (double x : {-0.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(), 1e-30, -1e-30}) v.push_back(x);
    } else {
        for (double& x : v) x = std::round(x);  // keep uint8 conversions of negatives well defined
        for (double x : {7.0, 100.0, 127.0}) v.push_back(x);
        if (dt == CMP_DTYPE_UINT8)
            for (double& x : v) x = std::fabs(x);
    }
    return v;
}

// The C function of a plain op of the table as a call.
#define CMP_CASE(name, tol, inputs) UnaryCase{#name, cmp_##name, Tol::tol, Inputs::inputs}

std::vector<UnaryCase> unary_cases() {
    const double three = 3.0, minus_two = -2.0;
    return {
        CMP_CASE(abs, Exact, General),
        CMP_CASE(sign, Exact, General),
        CMP_CASE(sqrt, Exact, Positive),
        CMP_CASE(rsqrt, Exact, Positive),
        CMP_CASE(square, Exact, General),
        CMP_CASE(exp2, Transcendental, General),
        CMP_CASE(expm1, Transcendental, General),
        CMP_CASE(log, Transcendental, Positive),
        CMP_CASE(log2, Transcendental, Positive),
        CMP_CASE(log10, Transcendental, Positive),
        CMP_CASE(log1p, Transcendental, Positive),
        CMP_CASE(sin, Transcendental, General),
        CMP_CASE(cos, Transcendental, General),
        CMP_CASE(tan, Transcendental, Unit),
        CMP_CASE(asin, Transcendental, Unit),
        CMP_CASE(acos, Transcendental, Unit),
        CMP_CASE(atan, Transcendental, General),
        CMP_CASE(sinh, Transcendental, General),
        CMP_CASE(cosh, Transcendental, General),
        CMP_CASE(tanh, Transcendental, General),
        CMP_CASE(asinh, Transcendental, General),
        CMP_CASE(acosh, Transcendental, Positive),
        CMP_CASE(atanh, Transcendental, Unit),
        CMP_CASE(sigmoid, Composite, General),
        CMP_CASE(erf, Transcendental, General),
        CMP_CASE(erfc, Transcendental, General),
        CMP_CASE(erfinv, Transcendental, Unit),
        // lgamma's float error grows between its zeros below -2 in CUDA's lgammaf: test x > 0.
        CMP_CASE(lgamma, Transcendental, Positive),
        CMP_CASE(digamma, Transcendental, General),
        CMP_CASE(floor, Exact, General),
        CMP_CASE(ceil, Exact, General),
        CMP_CASE(trunc, Exact, General),
        CMP_CASE(frac, Exact, General),
        CMP_CASE(reciprocal, Exact, General),
        CMP_CASE(relu, Exact, General),
        CMP_CASE(relu6, Exact, General),
        CMP_CASE(silu, Composite, General),
        CMP_CASE(mish, Composite, General),
        CMP_CASE(selu, Composite, General),
        CMP_CASE(hardsigmoid, Exact, General),
        CMP_CASE(hardswish, Exact, General),
        CMP_CASE(logsigmoid, Composite, General),
        CMP_CASE(bitwise_not, Exact, General),
        CMP_CASE(isnan, Exact, General),
        CMP_CASE(isinf, Exact, General),
        CMP_CASE(isfinite, Exact, General),
        CMP_CASE(logical_not, Exact, General),
        {"logit", [](cmp_tensor a, cmp_tensor* o) { return cmp_logit(a, -1.0, o); }, Tol::Composite, Inputs::Unit},
        {"logit", [](cmp_tensor a, cmp_tensor* o) { return cmp_logit(a, 0.2, o); }, Tol::Composite, Inputs::Unit},
        {"round", [](cmp_tensor a, cmp_tensor* o) { return cmp_round(a, 0, o); }, Tol::Exact, Inputs::General},
        {"round", [](cmp_tensor a, cmp_tensor* o) { return cmp_round(a, 2, o); }, Tol::Exact, Inputs::General},
        {"round", [](cmp_tensor a, cmp_tensor* o) { return cmp_round(a, -1, o); }, Tol::Exact, Inputs::General},
        {"gelu", [](cmp_tensor a, cmp_tensor* o) { return cmp_gelu(a, 0, o); }, Tol::Composite, Inputs::General},
        {"gelu", [](cmp_tensor a, cmp_tensor* o) { return cmp_gelu(a, 1, o); }, Tol::Composite, Inputs::General},
        {"softplus", [](cmp_tensor a, cmp_tensor* o) { return cmp_softplus(a, 2.0, 5.0, o); }, Tol::Composite,
         Inputs::General},
        {"elu", [](cmp_tensor a, cmp_tensor* o) { return cmp_elu(a, 0.7, o); }, Tol::Composite, Inputs::General},
        {"celu", [](cmp_tensor a, cmp_tensor* o) { return cmp_celu(a, 1.5, o); }, Tol::Composite, Inputs::General},
        {"leaky_relu", [](cmp_tensor a, cmp_tensor* o) { return cmp_leaky_relu(a, 0.1, o); }, Tol::Exact,
         Inputs::General},
        {"hardtanh", [](cmp_tensor a, cmp_tensor* o) { return cmp_hardtanh(a, -1.5, 2.0, o); }, Tol::Exact,
         Inputs::General},
        {"nan_to_num", [](cmp_tensor a, cmp_tensor* o) { return cmp_nan_to_num(a, 0.5, nullptr, nullptr, o); },
         Tol::Exact, Inputs::General},
        {"nan_to_num",
         [three, minus_two](cmp_tensor a, cmp_tensor* o) { return cmp_nan_to_num(a, -1.0, &three, &minus_two, o); },
         Tol::Exact, Inputs::General},
        {"polygamma", [](cmp_tensor a, cmp_tensor* o) { return cmp_polygamma(a, 0, o); }, Tol::Transcendental,
         Inputs::General},
        {"polygamma", [](cmp_tensor a, cmp_tensor* o) { return cmp_polygamma(a, 2, o); }, Tol::Transcendental,
         Inputs::Positive},
    };
}
#undef CMP_CASE

// Runs one case for one dtype on both devices over a [rows, cols] input and, when given, a
// transposed (strided) view of it.
void check_unary(const UnaryCase& c, cmp_dtype dt, bool strided) {
    std::vector<double> v = inputs_for(c.inputs, dt);
    const int64_t n = static_cast<int64_t>(v.size());
    Handle host = tensor_from(v, {n}, dt);
    Handle dev = cuda(host);
    Handle host_view, dev_view;  // the transposed views, when asked for
    if (strided) {  // [n/2, 2] viewed as its [2, n/2] transpose: the strided kernel
        v.resize(static_cast<size_t>(n / 2 * 2));
        host = tensor_from(v, {n / 2, 2}, dt);
        dev = cuda(host);
        host_view = transposed(host);
        dev_view = transposed(dev);
    }
    cmp_tensor host_in = strided ? host_view.get() : host.get();
    cmp_tensor dev_in = strided ? dev_view.get() : dev.get();
    const std::string what = std::string(c.name) + " dtype " + std::to_string(dt) + (strided ? " transposed" : "");
    cmp_tensor hc = nullptr, gc = nullptr;
    const cmp_status cpu_status = c.call(host_in, &hc);
    const cmp_status gpu_status = c.call(dev_in, &gc);
    Handle hr(hc), gr(gc);
    ASSERT_EQ(gpu_status, cpu_status) << what << ": " << cmp_last_error();
    if (cpu_status != CMP_STATUS_OK) return;
    EXPECT_EQ(device_of(gr.get()).type, CMP_DEVICE_CUDA) << what;
    cmp_dtype out_dt = dt, gpu_dt = dt;
    cmp_tensor_dtype(hr.get(), &out_dt);
    cmp_tensor_dtype(gr.get(), &gpu_dt);
    EXPECT_EQ(gpu_dt, out_dt) << what;
    expect_close(host_values(gr.get()), values_of(hr.get()), relative_tolerance(c.tol, out_dt), what);
}

TEST(CudaUnaryMathTable, OpTableIsCovered) {
    // Runs without a GPU: the table above must name every op of the shared list.
    std::set<std::string> tested;
    for (const UnaryCase& c : unary_cases()) tested.insert(c.name);
#define CMP_EXPECT_TESTED(Name, name, domain, inplace) \
    EXPECT_TRUE(tested.count(#name)) << #name " has no CUDA parity case";
    CMP_UNARY_MATH_OPS(CMP_EXPECT_TESTED)
#undef CMP_EXPECT_TESTED
}

TEST_F(CudaParity, UnaryMathMatchesTheCpuForEveryOpAndDtype) {
    for (const UnaryCase& c : unary_cases())
        for (cmp_dtype dt : kAllDtypes) check_unary(c, dt, false);
}

TEST_F(CudaParity, UnaryMathOnStridedViews) {
    for (const UnaryCase& c : unary_cases())
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT16, CMP_DTYPE_INT32}) check_unary(c, dt, true);
}

TEST_F(CudaParity, UnaryMathInPlace) {
    // The in-place forms write through the same kernels into the input (here a strided view).
    Handle host = tensor_from(inputs_for(Inputs::General, CMP_DTYPE_FLOAT32), {55, 2}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(host);
    Handle ht = transposed(host), dt = transposed(dev);
    ASSERT_EQ(cmp_tanh_(ht.get()), CMP_STATUS_OK);
    ASSERT_EQ(cmp_tanh_(dt.get()), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_hardtanh_(ht.get(), -0.5, 0.5), CMP_STATUS_OK);
    ASSERT_EQ(cmp_hardtanh_(dt.get(), -0.5, 0.5), CMP_STATUS_OK) << cmp_last_error();
    expect_close(host_values(dev.get()), values_of(host.get()), relative_tolerance(Tol::Transcendental, CMP_DTYPE_FLOAT32),
                 "tanh_ then hardtanh_");
}

// clamp with number bounds (NaN bounds ignored), tensor bounds (NaN bounds propagate, broadcast),
// and one-sided tensor bounds, for every dtype the CPU takes.
TEST_F(CudaParity, ClampMatchesTheCpu) {
    const cmp_scalar lo{CMP_SCALAR_FLOAT, 0, -1.25, 0}, hi{CMP_SCALAR_INT, 0, 2.0, 2};
    const cmp_scalar nan{CMP_SCALAR_FLOAT, 0, std::numeric_limits<double>::quiet_NaN(), 0};
    for (cmp_dtype dt : kAllDtypes) {
        std::vector<double> v = inputs_for(Inputs::General, dt);
        v.resize(120);
        Handle a = tensor_from(v, {10, 12}, dt);
        std::vector<double> lov(12), hiv(12);
        for (int i = 0; i < 12; ++i) {
            lov[static_cast<size_t>(i)] = dt == CMP_DTYPE_UINT8 ? i % 3 : -3.0 + i * 0.25;
            hiv[static_cast<size_t>(i)] = lov[static_cast<size_t>(i)] + 2.0;
        }
        if (dt == CMP_DTYPE_FLOAT32) lov[3] = std::numeric_limits<double>::quiet_NaN();
        Handle lot = tensor_from(lov, {12}, dt), hit = tensor_from(hiv, {12}, dt);
        Handle da = cuda(a), dlo = cuda(lot), dhi = cuda(hit);
        const std::string what = "clamp dtype " + std::to_string(dt);
        using Call = std::function<cmp_status(cmp_tensor, cmp_tensor, cmp_tensor, cmp_tensor*)>;
        const std::vector<std::pair<const char*, Call>> calls = {
            {"numbers", [&](cmp_tensor x, cmp_tensor, cmp_tensor, cmp_tensor* o) { return cmp_clamp(x, &lo, &hi, o); }},
            {"nan number", [&](cmp_tensor x, cmp_tensor, cmp_tensor, cmp_tensor* o) { return cmp_clamp(x, &nan, &hi, o); }},
            {"min number", [&](cmp_tensor x, cmp_tensor, cmp_tensor, cmp_tensor* o) { return cmp_clamp(x, &lo, nullptr, o); }},
            {"tensors", [](cmp_tensor x, cmp_tensor l, cmp_tensor h, cmp_tensor* o) { return cmp_clamp_tensor(x, l, h, o); }},
            {"min tensor", [](cmp_tensor x, cmp_tensor l, cmp_tensor, cmp_tensor* o) { return cmp_clamp_min_tensor(x, l, o); }},
            {"max tensor", [](cmp_tensor x, cmp_tensor, cmp_tensor h, cmp_tensor* o) { return cmp_clamp_max_tensor(x, h, o); }},
        };
        for (const auto& [label, call] : calls) {
            cmp_tensor hc = nullptr, gc = nullptr;
            const cmp_status cs = call(a.get(), lot.get(), hit.get(), &hc);
            const cmp_status gs = call(da.get(), dlo.get(), dhi.get(), &gc);
            Handle hr(hc), gr(gc);
            ASSERT_EQ(gs, cs) << what << " " << label << ": " << cmp_last_error();
            if (cs == CMP_STATUS_OK) expect_close(host_values(gr.get()), values_of(hr.get()), 0.0, what + " " + label);
        }
    }
}

}  // namespace
}  // namespace cmp::testing
