// Device parity of the binary math family and the ternary ops (cpu/binary_math_list.h): one
// table, every op of the list through its C function, every dtype. For each (op, dtype) the
// CPU runs first; where the CPU refuses the dtype the GPU must refuse it with the same status,
// otherwise the results must agree bit for bit (signed zeros and NaN included) wherever both
// devices run the same element code (cpu/binary_math_scalar.h: integer ops, the division
// family, shifts, maximum/minimum, copysign...; addcdiv), and within the tolerances of
// docs/CUDA.md where each calls its own math library (pow, atan2, hypot) or may fuse a product
// into a sum (lerp, addcmul). Integer division by zero must fail on both with the same message.
// Tests fail, too, if an op of either list has no case here (the *TableIsCovered tests, which
// run without a GPU).
#include "cuda_parity_util.h"

#include "cpu/binary_math_list.h"

#include <cstring>
#include <functional>
#include <limits>
#include <set>

namespace cmp::testing {
namespace {

enum class Tol {
    Exact,           // the same element code or IEEE operations on both devices: the same bits
    Transcendental,  // one math library function on each side: a few ulps
};

// Which values the second operand takes.
enum class Inputs {
    General,         // the same values as the first operand: signs, zeros, fractions, specials
    NonzeroDivisor,  // General without integer zeros (division by an integer zero is an error)
    Exponent,        // small exponents, negative ones included (integer pow truncates 1/a^n)
    ShiftCount,      // shift counts in and out of range (negative, the width, beyond)
};

bool floating(cmp_dtype dt) {
    return dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
}

// The extremes of an integer dtype that doubles hold exactly (INT64_MAX does not).
std::vector<double> integer_extremes(cmp_dtype dt) {
    switch (dt) {
        case CMP_DTYPE_INT8: return {-128.0, 127.0};
        case CMP_DTYPE_INT16: return {-32768.0, 32767.0};
        case CMP_DTYPE_INT32: return {-2147483648.0, 2147483647.0};
        case CMP_DTYPE_INT64: return {-9223372036854775808.0};
        case CMP_DTYPE_UINT8: return {255.0};
        default: return {};
    }
}

// Values of dtype dt with every value kept as is by the conversion (no negatives for uint8).
std::vector<double> fit(std::vector<double> v, cmp_dtype dt) {
    if (dt == CMP_DTYPE_BOOL) return {0.0, 1.0};
    if (dt == CMP_DTYPE_UINT8) {
        std::vector<double> kept;
        for (double x : v)
            if (x >= 0.0 && x <= 255.0) kept.push_back(x);
        return kept;
    }
    if (dt == CMP_DTYPE_INT8) {
        std::vector<double> kept;
        for (double x : v)
            if (x >= -128.0 && x <= 127.0) kept.push_back(x);
        return kept;
    }
    return v;
}

std::vector<double> first_values(cmp_dtype dt) {
    if (floating(dt)) {
        const double inf = std::numeric_limits<double>::infinity();
        return {-7.25, -3.0, -2.0, -1.0, -0.5, -0.0, 0.0, 0.3, 0.5, 1.0, 2.0, 3.0, 5.5, 100.0, inf, -inf,
                std::numeric_limits<double>::quiet_NaN()};
    }
    std::vector<double> v = {-100.0, -7.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 100.0, 200.0};
    for (double x : integer_extremes(dt)) v.push_back(x);
    return fit(v, dt);
}

std::vector<double> second_values(Inputs kind, cmp_dtype dt) {
    std::vector<double> v;
    switch (kind) {
        case Inputs::General: return first_values(dt);
        case Inputs::NonzeroDivisor:
            for (double x : first_values(dt))
                if (floating(dt) || x != 0.0) v.push_back(x);
            return v;
        case Inputs::Exponent:
            if (floating(dt)) {
                const double inf = std::numeric_limits<double>::infinity();
                return {-2.5, -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 7.25, inf, -inf,
                        std::numeric_limits<double>::quiet_NaN()};
            }
            return fit({-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 13.0, 40.0, 63.0, 64.0}, dt);
        case Inputs::ShiftCount:
            return fit({-3.0, -1.0, 0.0, 1.0, 2.0, 3.0, 7.0, 8.0, 9.0, 15.0, 16.0, 17.0, 31.0, 32.0, 33.0, 63.0, 64.0,
                        65.0, 100.0},
                       dt);
    }
    return v;
}

using BinaryCall = std::function<cmp_status(cmp_tensor, cmp_tensor, cmp_tensor*)>;

struct BinaryCase {
    const char* op;  // the list's entry (Name) this case covers
    const char* label;
    BinaryCall call;
    Tol tol;
    Inputs inputs;
};

double relative_tolerance(Tol tol, cmp_dtype dt) {
    if (tol == Tol::Exact || !floating(dt)) return 0.0;  // integer pow is exact
    switch (dt) {
        // The 16-bit floats compute in float32 on both sides, then round: one ulp of the result.
        case CMP_DTYPE_FLOAT16: return 1e-3;
        case CMP_DTYPE_BFLOAT16: return 8e-3;
        case CMP_DTYPE_FLOAT64: return 1e-13;
        default: return 2e-6;  // float32 (and integers promoted to it)
    }
}

cmp_status div_trunc(cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_div_rounding(a, b, CMP_ROUNDING_TRUNC, o); }
cmp_status div_floor(cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_div_rounding(a, b, CMP_ROUNDING_FLOOR, o); }

#define CMP_CASE(Op, fn, tol, inputs) BinaryCase{#Op, #fn, fn, Tol::tol, Inputs::inputs}

std::vector<BinaryCase> binary_cases() {
    return {
        CMP_CASE(DivTrunc, div_trunc, Exact, NonzeroDivisor),
        CMP_CASE(DivFloor, div_floor, Exact, NonzeroDivisor),
        CMP_CASE(DivFloor, cmp_floor_divide, Exact, NonzeroDivisor),
        CMP_CASE(Remainder, cmp_remainder, Exact, NonzeroDivisor),
        CMP_CASE(Fmod, cmp_fmod, Exact, NonzeroDivisor),
        CMP_CASE(Pow, cmp_pow, Transcendental, Exponent),
        CMP_CASE(Atan2, cmp_atan2, Transcendental, General),
        CMP_CASE(Hypot, cmp_hypot, Transcendental, General),
        CMP_CASE(Maximum, cmp_maximum, Exact, General),
        CMP_CASE(Minimum, cmp_minimum, Exact, General),
        CMP_CASE(Fmax, cmp_fmax, Exact, General),
        CMP_CASE(Fmin, cmp_fmin, Exact, General),
        CMP_CASE(Copysign, cmp_copysign, Exact, General),
        CMP_CASE(BitwiseAnd, cmp_bitwise_and, Exact, General),
        CMP_CASE(BitwiseOr, cmp_bitwise_or, Exact, General),
        CMP_CASE(BitwiseXor, cmp_bitwise_xor, Exact, General),
        CMP_CASE(LeftShift, cmp_bitwise_left_shift, Exact, ShiftCount),
        CMP_CASE(RightShift, cmp_bitwise_right_shift, Exact, ShiftCount),
        CMP_CASE(LogicalAnd, cmp_logical_and, Exact, General),
        CMP_CASE(LogicalOr, cmp_logical_or, Exact, General),
        CMP_CASE(LogicalXor, cmp_logical_xor, Exact, General),
    };
}
#undef CMP_CASE

// Every pair of (first value, second value), as two [n] tensors of dtype dt; with strided, as
// the [2, n/2] transposes of [n/2, 2] tensors (the same pairs, the strided kernel).
struct Operands {
    Handle host_a, host_b, dev_a, dev_b;  // what the op reads (views when strided)
    Handle keep[4];                       // the tensors under the views
};

Operands pair_operands(const std::vector<double>& first, const std::vector<double>& second, cmp_dtype dt,
                       bool strided) {
    std::vector<double> a, b;
    for (double x : first)
        for (double y : second) {
            a.push_back(x);
            b.push_back(y);
        }
    Operands o;
    if (!strided) {
        const int64_t n = static_cast<int64_t>(a.size());
        o.host_a = tensor_from(a, {n}, dt);
        o.host_b = tensor_from(b, {n}, dt);
        o.dev_a = cuda(o.host_a);
        o.dev_b = cuda(o.host_b);
        return o;
    }
    const int64_t half = static_cast<int64_t>(a.size()) / 2;
    a.resize(static_cast<size_t>(half * 2));
    b.resize(static_cast<size_t>(half * 2));
    o.keep[0] = tensor_from(a, {half, 2}, dt);
    o.keep[1] = tensor_from(b, {half, 2}, dt);
    o.keep[2] = cuda(o.keep[0]);
    o.keep[3] = cuda(o.keep[1]);
    o.host_a = transposed(o.keep[0]);
    o.host_b = transposed(o.keep[1]);
    o.dev_a = transposed(o.keep[2]);
    o.dev_b = transposed(o.keep[3]);
    return o;
}

// Runs fn on both devices and compares: the same status (and message on failure); on success
// the same dtype, and the same values: bit for bit, or within rtol_of(result dtype) when
// transcendental.
template <typename Fn>
void check_call(const std::string& what, Fn&& fn, cmp_tensor ha, cmp_tensor hb, cmp_tensor da, cmp_tensor db,
                double (*rtol_of)(cmp_dtype), bool transcendental) {
    cmp_tensor hc = nullptr, gc = nullptr;
    const cmp_status cpu_status = fn(ha, hb, &hc);
    const std::string cpu_message = cpu_status == CMP_STATUS_OK ? "" : cmp_last_error();
    const cmp_status gpu_status = fn(da, db, &gc);
    Handle hr(hc), gr(gc);
    ASSERT_EQ(gpu_status, cpu_status) << what << ": " << cmp_last_error();
    if (cpu_status != CMP_STATUS_OK) {
        EXPECT_EQ(std::string(cmp_last_error()), cpu_message) << what;
        return;
    }
    EXPECT_EQ(device_of(gr.get()).type, CMP_DEVICE_CUDA) << what;
    cmp_dtype out_dt = CMP_DTYPE_FLOAT32, gpu_dt = CMP_DTYPE_FLOAT32;
    cmp_tensor_dtype(hr.get(), &out_dt);
    cmp_tensor_dtype(gr.get(), &gpu_dt);
    EXPECT_EQ(gpu_dt, out_dt) << what;
    if (transcendental) expect_close(host_values(gr.get()), values_of(hr.get()), rtol_of(out_dt), what);
    else expect_identical(host_values(gr.get()), values_of(hr.get()), what);
}

double transcendental_tolerance(cmp_dtype dt) { return relative_tolerance(Tol::Transcendental, dt); }

void check_binary(const BinaryCase& c, cmp_dtype dt, bool strided) {
    Operands o = pair_operands(first_values(dt), second_values(c.inputs, dt), dt, strided);
    const std::string what = std::string(c.label) + " dtype " + std::to_string(dt) + (strided ? " transposed" : "");
    check_call(what, c.call, o.host_a.get(), o.host_b.get(), o.dev_a.get(), o.dev_b.get(), transcendental_tolerance,
               c.tol == Tol::Transcendental);
}

TEST(CudaBinaryMathTable, OpTableIsCovered) {
    // Runs without a GPU: the table above must name every op of the shared list.
    std::set<std::string> tested;
    for (const BinaryCase& c : binary_cases()) tested.insert(c.op);
#define CMP_EXPECT_TESTED(Name, name, inplace, domain, int_to_float, bool_out) \
    EXPECT_TRUE(tested.count(#Name)) << #Name " (" #name ") has no CUDA parity case";
    CMP_BINARY_MATH_OPS(CMP_EXPECT_TESTED)
#undef CMP_EXPECT_TESTED
}

TEST_F(CudaParity, BinaryMathMatchesTheCpuForEveryOpAndDtype) {
    for (const BinaryCase& c : binary_cases())
        for (cmp_dtype dt : kAllDtypes) check_binary(c, dt, false);
}

TEST_F(CudaParity, BinaryMathOnStridedViews) {
    for (const BinaryCase& c : binary_cases())
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT16, CMP_DTYPE_INT32, CMP_DTYPE_UINT8})
            check_binary(c, dt, true);
}

TEST_F(CudaParity, BinaryMathWithMixedDtypesAndBroadcasting) {
    // int32 [4, 1, 6] with float32 [3, 6]: promotion to float32 (atan2/copysign also from
    // integers alone), a bool result for the logical ops, broadcasting in both operands.
    std::vector<double> av(24), bv(18);
    for (size_t i = 0; i < av.size(); ++i) av[i] = static_cast<double>(static_cast<int>(i % 11) - 5);
    for (size_t i = 0; i < bv.size(); ++i) bv[i] = (static_cast<double>(i % 7) - 3.0) * 0.75 + 0.25;
    for (cmp_dtype bt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_INT64}) {
        Handle a = tensor_from(av, {4, 1, 6}, CMP_DTYPE_INT32), b = tensor_from(bv, {3, 6}, bt);
        Handle da = cuda(a), db = cuda(b);
        for (const BinaryCase& c : binary_cases()) {
            if (c.inputs == Inputs::NonzeroDivisor && bt == CMP_DTYPE_INT64) continue;  // bv has zeros as int64
            check_call(std::string(c.label) + " int32 with dtype " + std::to_string(bt), c.call, a.get(), b.get(),
                       da.get(), db.get(), transcendental_tolerance, c.tol == Tol::Transcendental);
        }
    }
}

Handle cpu_number(cmp_scalar value) {
    cmp_tensor s = nullptr;
    EXPECT_EQ(cmp_scalar_tensor(value, cpu_device(), &s), CMP_STATUS_OK) << cmp_last_error();
    return Handle(s);
}

TEST_F(CudaParity, PowWithANumberOnEitherSide) {
    // tensor ** number and number ** tensor, the number a CPU wrapped number as PyTorch passes
    // it; an integer tensor to a negative integer number is refused on both devices.
    const cmp_scalar numbers[] = {{CMP_SCALAR_INT, 0, 0.0, 2}, {CMP_SCALAR_INT, 0, 0.0, 3}, {CMP_SCALAR_INT, 0, 0.0, -1},
                                  {CMP_SCALAR_FLOAT, 0, 0.5, 0}, {CMP_SCALAR_FLOAT, 0, -1.5, 0}};
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_INT32, CMP_DTYPE_INT64,
                         CMP_DTYPE_UINT8}) {
        const std::vector<double> v = first_values(dt);
        Handle a = tensor_from(v, {static_cast<int64_t>(v.size())}, dt), da = cuda(a);
        for (const cmp_scalar& number : numbers) {
            Handle n = cpu_number(number);
            const std::string what = "pow dtype " + std::to_string(dt) + " number " +
                                     std::to_string(number.kind == CMP_SCALAR_FLOAT ? number.f : static_cast<double>(number.i));
            check_call(what + " as exponent", cmp_pow, a.get(), n.get(), da.get(), n.get(), transcendental_tolerance, true);
            check_call(what + " as base", cmp_pow, n.get(), a.get(), n.get(), da.get(), transcendental_tolerance, true);
        }
    }
}

using BinaryFn = cmp_status (*)(cmp_tensor, cmp_tensor, cmp_tensor*);
using BinaryInPlaceFn = cmp_status (*)(cmp_tensor, cmp_tensor);

cmp_status div_trunc_(cmp_tensor a, cmp_tensor b) { return cmp_div_rounding_(a, b, CMP_ROUNDING_TRUNC); }

TEST_F(CudaParity, IntegerDivisionByZeroFailsAsOnTheCpu) {
    // The CPU raises "<op>: ZeroDivisionError (integer division by zero)"; the GPU reads its
    // device flag after the kernel and must give the same status and message, release the flag
    // (no memory left allocated) and run the next op normally.
    const std::pair<const char*, BinaryFn> ops[] = {{"div trunc", div_trunc},       {"div floor", div_floor},
                                                    {"floor_divide", cmp_floor_divide}, {"remainder", cmp_remainder},
                                                    {"fmod", cmp_fmod}};
    for (cmp_dtype dt : {CMP_DTYPE_INT64, CMP_DTYPE_INT32, CMP_DTYPE_INT16, CMP_DTYPE_INT8, CMP_DTYPE_UINT8}) {
        Handle a = tensor_from({5.0, 6.0, 7.0, 9.0}, {4}, dt), b = tensor_from({1.0, 0.0, 2.0, 3.0}, {4}, dt);
        Handle ok = tensor_from({1.0, 4.0, 2.0, 3.0}, {4}, dt);
        Handle da = cuda(a), db = cuda(b), dok = cuda(ok);
        for (const auto& [name, fn] : ops) {
            const std::string what = std::string(name) + " dtype " + std::to_string(dt);
            cmp_memory_stats before{}, after{};
            ASSERT_EQ(cmp_memory_stats_get(cuda_device(), &before), CMP_STATUS_OK) << cmp_last_error();
            const Failure cpu = failure_of([&] {
                cmp_tensor out = nullptr;
                return fn(a.get(), b.get(), &out);
            });
            const Failure gpu = failure_of([&] {
                cmp_tensor out = nullptr;
                return fn(da.get(), db.get(), &out);
            });
            EXPECT_EQ(cpu.status, CMP_STATUS_INVALID_ARGUMENT) << what << ": " << cpu.message;
            EXPECT_NE(cpu.message.find("ZeroDivisionError (integer division by zero)"), std::string::npos) << cpu.message;
            EXPECT_EQ(gpu.status, cpu.status) << what << ": " << gpu.message;
            EXPECT_EQ(gpu.message, cpu.message) << what;
            ASSERT_EQ(cmp_memory_stats_get(cuda_device(), &after), CMP_STATUS_OK) << cmp_last_error();
            EXPECT_EQ(after.allocated, before.allocated) << what << ": the flag or the result was not released";
            check_call(what + " after the error", fn, a.get(), ok.get(), da.get(), dok.get(), transcendental_tolerance,
                       false);
        }
        // In place, into a strided view: the same message under the in-place name.
        const std::pair<const char*, BinaryInPlaceFn> in_place[] = {
            {"div_", div_trunc_}, {"floor_divide_", cmp_floor_divide_}, {"remainder_", cmp_remainder_}, {"fmod_", cmp_fmod_}};
        for (const auto& [name, fn] : in_place) {
            Handle h = tensor_from({5.0, 6.0, 7.0, 9.0}, {2, 2}, dt), d = cuda(h);
            Handle ht = transposed(h), dt_view = transposed(d);
            Handle zeros = tensor_from({2.0, 0.0}, {2}, dt), dzeros = cuda(zeros);
            const Failure cpu = failure_of([&] { return fn(ht.get(), zeros.get()); });
            const Failure gpu = failure_of([&] { return fn(dt_view.get(), dzeros.get()); });
            EXPECT_EQ(gpu.status, cpu.status) << name << " dtype " << dt << ": " << gpu.message;
            EXPECT_EQ(gpu.message, cpu.message) << name << " dtype " << dt;
            EXPECT_NE(cpu.message.find(std::string(name) + ": ZeroDivisionError"), std::string::npos) << cpu.message;
        }
    }
}

TEST_F(CudaParity, BinaryMathInPlaceOnStridedViews) {
    // The in-place forms write through the same kernels into a transposed view, also where the
    // compute dtype differs from the tensor's (atan2_ of int32 by float32 is refused on both).
    const std::pair<const char*, BinaryInPlaceFn> ops[] = {
        {"remainder_", cmp_remainder_}, {"fmod_", cmp_fmod_},         {"pow_", cmp_pow_},
        {"atan2_", cmp_atan2_},         {"copysign_", cmp_copysign_}, {"bitwise_xor_", cmp_bitwise_xor_},
        {"logical_or_", cmp_logical_or_}, {"floor_divide_", cmp_floor_divide_},
        {"bitwise_left_shift_", cmp_bitwise_left_shift_}};
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_INT32}) {
        std::vector<double> av(24), bv(6);
        for (size_t i = 0; i < av.size(); ++i) av[i] = static_cast<double>(static_cast<int>(i % 9) - 4) * 1.5;
        for (size_t i = 0; i < bv.size(); ++i) bv[i] = static_cast<double>(i % 3) + 1.0;
        for (const auto& [name, fn] : ops) {
            Handle h = tensor_from(av, {6, 4}, dt), d = cuda(h);
            Handle ht = transposed(h), dview = transposed(d);  // [4, 6]
            Handle b = tensor_from(bv, {6}, dt), db = cuda(b);
            const cmp_status cs = fn(ht.get(), b.get());
            const std::string cpu_message = cs == CMP_STATUS_OK ? "" : cmp_last_error();
            const cmp_status gs = fn(dview.get(), db.get());
            const std::string what = std::string(name) + " dtype " + std::to_string(dt);
            ASSERT_EQ(gs, cs) << what << ": " << cmp_last_error();
            if (cs != CMP_STATUS_OK) {
                EXPECT_EQ(std::string(cmp_last_error()), cpu_message) << what;
                continue;
            }
            if (std::string(name) == "pow_" || std::string(name) == "atan2_")
                expect_close(host_values(d.get()), values_of(h.get()), transcendental_tolerance(dt), what);
            else
                expect_identical(host_values(d.get()), values_of(h.get()), what);
        }
    }
}

// ---- the ternary ops ----------------------------------------------------------------------

using TernaryCall = std::function<cmp_status(cmp_tensor, cmp_tensor, cmp_tensor, cmp_tensor*)>;

struct TernaryCase {
    const char* op;  // the list's entry (Name)
    const char* label;
    TernaryCall call;
    // lerp and addcmul: a product fused into a sum or not, depending on the device and the CPU's
    // ISA (the baseline CPU kernels round twice; AVX2/AVX-512 and nvcc fuse): within an ulp or
    // so of the product; addcdiv, with nothing to fuse, must give the same bits.
    bool fused;
};

std::vector<TernaryCase> ternary_cases() {
    const cmp_scalar half{CMP_SCALAR_FLOAT, 0, 0.5, 0}, two{CMP_SCALAR_INT, 0, 0.0, 2},
        minus{CMP_SCALAR_FLOAT, 0, -0.75, 0};
    return {
        {"Lerp", "lerp", cmp_lerp, true},
        {"Lerp", "lerp number 0.3",
         [](cmp_tensor a, cmp_tensor b, cmp_tensor, cmp_tensor* o) {
             return cmp_lerp_scalar(a, b, cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.3, 0}, o);
         },
         true},
        {"Lerp", "lerp number 0.75",
         [](cmp_tensor a, cmp_tensor b, cmp_tensor, cmp_tensor* o) {
             return cmp_lerp_scalar(a, b, cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.75, 0}, o);
         },
         true},
        {"Addcmul", "addcmul 0.5",
         [half](cmp_tensor a, cmp_tensor b, cmp_tensor c, cmp_tensor* o) { return cmp_addcmul(a, b, c, half, o); }, true},
        {"Addcmul", "addcmul 2",
         [two](cmp_tensor a, cmp_tensor b, cmp_tensor c, cmp_tensor* o) { return cmp_addcmul(a, b, c, two, o); }, true},
        {"Addcdiv", "addcdiv -0.75",
         [minus](cmp_tensor a, cmp_tensor b, cmp_tensor c, cmp_tensor* o) { return cmp_addcdiv(a, b, c, minus, o); },
         false},
        {"Addcdiv", "addcdiv 2",
         [two](cmp_tensor a, cmp_tensor b, cmp_tensor c, cmp_tensor* o) { return cmp_addcdiv(a, b, c, two, o); }, false},
    };
}

// The tolerance of a fused or unfused product next to a sum, relative to max(1, |expected|):
// half an ulp of products up to 16 in float32 is 1e-6; the 16-bit floats round a float32
// result, so one ulp of theirs. Integer addcmul wraps alike on both: exact.
double fused_tolerance(cmp_dtype dt) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: return 4e-6;
        case CMP_DTYPE_FLOAT64: return 1e-14;
        case CMP_DTYPE_FLOAT16: return 1e-3;
        case CMP_DTYPE_BFLOAT16: return 8e-3;
        default: return 0.0;
    }
}

TEST(CudaTernaryMathTable, OpTableIsCovered) {
    std::set<std::string> tested;
    for (const TernaryCase& c : ternary_cases()) tested.insert(c.op);
#define CMP_EXPECT_TESTED(Name, name, domain) EXPECT_TRUE(tested.count(#Name)) << #Name " (" #name ") has no CUDA parity case";
    CMP_TERNARY_MATH_OPS(CMP_EXPECT_TESTED)
#undef CMP_EXPECT_TESTED
}

// Operands [4, 6] (a), [6] (the second), [4, 1] (the third, a weight or a divisor): broadcast
// in every operand, with weights at and around lerp's switch (0, 0.5, 1, -0.0, NaN...).
struct TernaryOperands {
    std::vector<double> a, b, c;
};

TernaryOperands ternary_values(cmp_dtype dt) {
    TernaryOperands v;
    for (int i = 0; i < 24; ++i) v.a.push_back(static_cast<double>((i * 7) % 13) - 6.0 + (floating(dt) ? 0.375 : 0.0));
    for (int i = 0; i < 6; ++i) v.b.push_back(static_cast<double>((i * 5) % 7) * 1.25 - 3.0);
    v.c = {0.5, 1.0, floating(dt) ? -0.25 : 3.0, 2.0};
    if (floating(dt)) {
        v.a[3] = std::numeric_limits<double>::quiet_NaN();
        v.a[5] = -0.0;
        v.b[2] = std::numeric_limits<double>::infinity();
    }
    if (dt == CMP_DTYPE_UINT8 || dt == CMP_DTYPE_BOOL)
        for (auto* vec : {&v.a, &v.b, &v.c})
            for (double& x : *vec) x = dt == CMP_DTYPE_BOOL ? (x > 0.0 ? 1.0 : 0.0) : std::fabs(std::round(x));
    return v;
}

TEST_F(CudaParity, TernaryMathMatchesTheCpuForEveryOpAndDtype) {
    for (cmp_dtype dt : kAllDtypes) {
        const TernaryOperands v = ternary_values(dt);
        Handle a = tensor_from(v.a, {4, 6}, dt), b = tensor_from(v.b, {6}, dt), c = tensor_from(v.c, {4, 1}, dt);
        Handle da = cuda(a), db = cuda(b), dc = cuda(c);
        for (const TernaryCase& t : ternary_cases()) {
            const std::string what = std::string(t.label) + " dtype " + std::to_string(dt);
            cmp_tensor hc = nullptr, gc = nullptr;
            const cmp_status cs = t.call(a.get(), b.get(), c.get(), &hc);
            const std::string cpu_message = cs == CMP_STATUS_OK ? "" : cmp_last_error();
            const cmp_status gs = t.call(da.get(), db.get(), dc.get(), &gc);
            Handle hr(hc), gr(gc);
            ASSERT_EQ(gs, cs) << what << ": " << cmp_last_error();
            if (cs != CMP_STATUS_OK) {
                EXPECT_EQ(std::string(cmp_last_error()), cpu_message) << what;
                continue;
            }
            if (t.fused) expect_close(host_values(gr.get()), values_of(hr.get()), fused_tolerance(dt), what);
            else expect_identical(host_values(gr.get()), values_of(hr.get()), what);
        }
    }
}

TEST_F(CudaParity, TernaryMathInPlaceOnStridedViews) {
    const cmp_scalar value{CMP_SCALAR_FLOAT, 0, 1.5, 0};
    const TernaryOperands v = ternary_values(CMP_DTYPE_FLOAT32);
    Handle h = tensor_from(v.a, {6, 4}, CMP_DTYPE_FLOAT32), d = cuda(h);
    Handle ht = transposed(h), dview = transposed(d);  // [4, 6]
    Handle b = tensor_from(v.b, {6}, CMP_DTYPE_FLOAT32), c = tensor_from(v.c, {4, 1}, CMP_DTYPE_FLOAT32);
    Handle db = cuda(b), dc = cuda(c);
    ASSERT_EQ(cmp_lerp_(ht.get(), b.get(), c.get()), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_lerp_(dview.get(), db.get(), dc.get()), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_addcmul_(ht.get(), b.get(), c.get(), value), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_addcmul_(dview.get(), db.get(), dc.get(), value), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_addcdiv_(ht.get(), b.get(), c.get(), value), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_addcdiv_(dview.get(), db.get(), dc.get(), value), CMP_STATUS_OK) << cmp_last_error();
    expect_close(host_values(d.get()), values_of(h.get()), 3 * fused_tolerance(CMP_DTYPE_FLOAT32), "lerp_, addcmul_, addcdiv_");
}

}  // namespace
}  // namespace cmp::testing
