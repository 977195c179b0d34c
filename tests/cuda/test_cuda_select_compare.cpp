// Device parity of the comparisons (eq, ne, lt, le, gt, ge), where and masked_fill: every
// dtype, broadcast operands, NaN and signed zeros; all exact (comparisons and selections do no
// arithmetic).
#include "cuda_parity_util.h"

#include <limits>

namespace cmp::testing {
namespace {

// Values with repeats (so equal pairs occur), signed zeros and, for floats, NaN and infinities.
std::vector<double> values_with_specials(int64_t n, cmp_dtype dt) {
    std::vector<double> v = sample(n);
    const bool floating = dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 ||
                          dt == CMP_DTYPE_BFLOAT16;
    if (floating && n >= 4) {
        v[0] = std::numeric_limits<double>::quiet_NaN();
        v[1] = -0.0;
        v[2] = std::numeric_limits<double>::infinity();
        v[3] = -std::numeric_limits<double>::infinity();
    }
    if (dt == CMP_DTYPE_UINT8)
        for (double& x : v) x = std::fabs(std::round(x));
    return v;
}

using Binary = cmp_status (*)(cmp_tensor, cmp_tensor, cmp_tensor*);

// fn(a [4, 1, 6], b [3, 6]) on both devices, compared exactly.
void check_exact(const std::string& what, Binary fn, cmp_dtype dt) {
    Handle a = tensor_from(values_with_specials(24, dt), {4, 1, 6}, dt);
    std::vector<double> bv = values_with_specials(18, dt);
    std::reverse(bv.begin(), bv.end());
    Handle b = tensor_from(bv, {3, 6}, dt);
    Handle da = cuda(a), db = cuda(b);
    cmp_tensor c = nullptr, g = nullptr;
    const cmp_status cs = fn(a.get(), b.get(), &c);
    const cmp_status gs = fn(da.get(), db.get(), &g);
    Handle hc(c), hg(g);
    ASSERT_EQ(gs, cs) << what << ": " << cmp_last_error();
    if (cs != CMP_STATUS_OK) return;
    EXPECT_EQ(device_of(hg.get()).type, CMP_DEVICE_CUDA) << what;
    expect_close(host_values(hg.get()), values_of(hc.get()), 0.0, what);
}

TEST_F(CudaParity, ComparisonsMatchTheCpuForEveryDtype) {
    const std::pair<const char*, Binary> ops[] = {{"eq", cmp_eq}, {"ne", cmp_ne}, {"lt", cmp_lt},
                                                  {"le", cmp_le}, {"gt", cmp_gt}, {"ge", cmp_ge}};
    for (cmp_dtype dt : kAllDtypes)
        for (const auto& [name, fn] : ops) check_exact(std::string(name) + " dtype " + std::to_string(dt), fn, dt);
}

TEST_F(CudaParity, ComparisonWithMixedDtypesAndACpuNumber) {
    // int32 vs float32 promote to float32; a CPU wrapped number is moved to the device.
    Handle a = tensor_from(sample(12), {3, 4}, CMP_DTYPE_INT32), b = tensor_from(sample(4, 0.5), {4}, CMP_DTYPE_FLOAT32);
    Handle da = cuda(a), db = cuda(b);
    cmp_tensor c = nullptr, g = nullptr;
    ASSERT_EQ(cmp_lt(a.get(), b.get(), &c), CMP_STATUS_OK);
    ASSERT_EQ(cmp_lt(da.get(), db.get(), &g), CMP_STATUS_OK) << cmp_last_error();
    Handle hc(c), hg(g);
    EXPECT_EQ(host_values(hg.get()), values_of(hc.get()));
    cmp_tensor s = nullptr;
    ASSERT_EQ(cmp_scalar_tensor(cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.5, 0}, cpu_device(), &s), CMP_STATUS_OK);
    Handle scalar(s);
    ASSERT_EQ(cmp_ge(a.get(), scalar.get(), &c), CMP_STATUS_OK);
    ASSERT_EQ(cmp_ge(da.get(), scalar.get(), &g), CMP_STATUS_OK) << cmp_last_error();
    Handle hc2(c), hg2(g);
    EXPECT_EQ(host_values(hg2.get()), values_of(hc2.get()));
}

TEST_F(CudaParity, WhereMatchesTheCpuForEveryDtype) {
    std::vector<double> cond(24);
    for (size_t i = 0; i < cond.size(); ++i) cond[i] = (i * 7) % 3 == 0 ? 1.0 : 0.0;
    Handle c = tensor_from(cond, {4, 1, 6}, CMP_DTYPE_BOOL), dc = cuda(c);
    for (cmp_dtype dt : kAllDtypes) {
        Handle a = tensor_from(values_with_specials(18, dt), {3, 6}, dt);
        Handle b = tensor_from(values_with_specials(6, dt), {6}, CMP_DTYPE_FLOAT32);  // promoted with a
        Handle da = cuda(a), db = cuda(b);
        cmp_tensor h = nullptr, g = nullptr;
        const cmp_status hs = cmp_where(c.get(), a.get(), b.get(), &h);
        const cmp_status gs = cmp_where(dc.get(), da.get(), db.get(), &g);
        Handle hh(h), hg(g);
        ASSERT_EQ(gs, hs) << "where dtype " << dt << ": " << cmp_last_error();
        if (hs == CMP_STATUS_OK)
            expect_close(host_values(hg.get()), values_of(hh.get()), 0.0, "where dtype " + std::to_string(dt));
    }
}

TEST_F(CudaParity, MaskedFillMatchesTheCpuForEveryDtype) {
    std::vector<double> mask(6);
    for (size_t i = 0; i < mask.size(); ++i) mask[i] = i % 2 == 0 ? 1.0 : 0.0;
    Handle m = tensor_from(mask, {6}, CMP_DTYPE_BOOL), dm = cuda(m);
    const cmp_scalar value{CMP_SCALAR_FLOAT, 0, -1.3, 0};
    for (cmp_dtype dt : kAllDtypes) {
        Handle a = tensor_from(values_with_specials(18, dt), {3, 6}, dt), da = cuda(a);
        cmp_tensor h = nullptr, g = nullptr;
        ASSERT_EQ(cmp_masked_fill(a.get(), m.get(), value, &h), CMP_STATUS_OK) << cmp_last_error();
        ASSERT_EQ(cmp_masked_fill(da.get(), dm.get(), value, &g), CMP_STATUS_OK) << cmp_last_error();
        Handle hh(h), hg(g);
        expect_close(host_values(hg.get()), values_of(hh.get()), 0.0, "masked_fill dtype " + std::to_string(dt));
        // In place on a transposed view, with a 0-dim value tensor on the device.
        Handle v = tensor_from({2.5}, {}, dt), dv = cuda(v);
        Handle at = transposed(a), dat = transposed(da);
        Handle col = tensor_from({1.0, 0.0, 1.0}, {3}, CMP_DTYPE_BOOL), dcol = cuda(col);
        ASSERT_EQ(cmp_masked_fill_tensor_(at.get(), col.get(), v.get()), CMP_STATUS_OK) << cmp_last_error();
        ASSERT_EQ(cmp_masked_fill_tensor_(dat.get(), dcol.get(), dv.get()), CMP_STATUS_OK) << cmp_last_error();
        expect_close(host_values(da.get()), values_of(a.get()), 0.0, "masked_fill_ dtype " + std::to_string(dt));
    }
}

}  // namespace
}  // namespace cmp::testing
