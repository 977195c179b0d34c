/* Creation, metadata and views through the C ABI, from a plain C99 program. Expected layouts
 * are derived from the rules (row-major strides, view sharing storage), not typed in. */
#include <compute/compute.h>

#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                             \
        }                                                                           \
    } while (0)

#define CHECK_OK(call)                                                                      \
    do {                                                                                    \
        cmp_status s_ = (call);                                                             \
        if (s_ != CMP_STATUS_OK) {                                                          \
            fprintf(stderr, "%s:%d: %s returned %d: %s\n", __FILE__, __LINE__, #call, (int)s_, \
                    cmp_last_error());                                                      \
            ++failures;                                                                     \
        }                                                                                   \
    } while (0)

static const cmp_device cpu = {CMP_DEVICE_CPU, 0};

static int64_t ndim_of(cmp_tensor t) {
    int64_t n = -1;
    CHECK_OK(cmp_tensor_ndim(t, &n));
    return n;
}

static void check_row_major(cmp_tensor t) {
    int64_t sizes[8], strides[8], n = ndim_of(t), expect = 1, i;
    int32_t contiguous = 0;
    CHECK_OK(cmp_tensor_sizes(t, sizes, 8));
    CHECK_OK(cmp_tensor_strides(t, strides, 8));
    for (i = n - 1; i >= 0; --i) {
        CHECK(strides[i] == expect);
        expect *= sizes[i];
    }
    CHECK_OK(cmp_tensor_is_contiguous(t, &contiguous));
    CHECK(contiguous == 1);
}

static void test_creation_and_metadata(void) {
    const int64_t sizes[3] = {2, 3, 4};
    cmp_tensor t = NULL;
    int64_t numel = 0, esize = 0, offset = -1, nbytes = 0;
    cmp_dtype dtype;
    cmp_device dev;
    void* data = NULL;
    CHECK_OK(cmp_zeros(sizes, 3, CMP_DTYPE_FLOAT64, cpu, &t));
    CHECK(ndim_of(t) == 3);
    CHECK_OK(cmp_tensor_numel(t, &numel));
    CHECK(numel == 2 * 3 * 4);
    CHECK_OK(cmp_tensor_element_size(t, &esize));
    CHECK(esize == (int64_t)sizeof(double));
    CHECK_OK(cmp_tensor_dtype(t, &dtype));
    CHECK(dtype == CMP_DTYPE_FLOAT64);
    CHECK_OK(cmp_tensor_device(t, &dev));
    CHECK(dev.type == CMP_DEVICE_CPU && dev.index == 0);
    CHECK_OK(cmp_tensor_offset(t, &offset));
    CHECK(offset == 0);
    CHECK_OK(cmp_tensor_storage_nbytes(t, &nbytes));
    CHECK(nbytes == numel * esize);
    CHECK_OK(cmp_tensor_data_ptr(t, &data));
    CHECK(((uintptr_t)data % 64) == 0);
    check_row_major(t);
    CHECK_OK(cmp_tensor_release(t));
    CHECK_OK(cmp_tensor_release(NULL));
    CHECK(cmp_abi_version() == CMP_ABI_VERSION);
}

static void test_buffers_round_trip(void) {
    const int64_t sizes[2] = {2, 3};
    int32_t src[6] = {1, -2, 3, -4, 5, -6}, dst[6] = {0};
    cmp_tensor t = NULL, tt = NULL;
    int i;
    CHECK_OK(cmp_from_buffer(src, sizeof src, sizes, 2, CMP_DTYPE_INT32, &t));
    CHECK_OK(cmp_tensor_copy_to_buffer(t, dst, sizeof dst));
    CHECK(memcmp(src, dst, sizeof src) == 0);
    /* The transpose copied out in row-major order is the transposed matrix. */
    CHECK_OK(cmp_transpose(t, 0, 1, &tt));
    CHECK_OK(cmp_tensor_copy_to_buffer(tt, dst, sizeof dst));
    for (i = 0; i < 6; ++i) CHECK(dst[i] == src[(i % 2) * 3 + i / 2]);
    cmp_tensor_release(tt);
    cmp_tensor_release(t);
}

static int deleted = 0;
static void on_delete(void* data, void* context) {
    (void)data;
    *(int*)context += 1;
}

static void test_external_memory(void) {
    float buf[8] = {0};
    const int64_t sizes[2] = {2, 4};
    cmp_tensor t = NULL, row = NULL;
    void* p = NULL;
    cmp_scalar seven;
    seven.kind = CMP_SCALAR_FLOAT;
    seven.reserved = 0;
    seven.f = 7.0;
    seven.i = 0;
    CHECK_OK(cmp_from_external(buf, sizes, NULL, 2, CMP_DTYPE_FLOAT32, cpu, on_delete, &deleted, &t));
    CHECK_OK(cmp_tensor_data_ptr(t, &p));
    CHECK(p == (void*)buf);
    CHECK_OK(cmp_select(t, 0, 1, &row));
    CHECK_OK(cmp_fill_(row, seven));
    CHECK(buf[4] == 7.0f && buf[7] == 7.0f && buf[3] == 0.0f);
    cmp_tensor_release(t);
    CHECK(deleted == 0);
    cmp_tensor_release(row);
    CHECK(deleted == 1);
}

static void test_views_share_storage(void) {
    const int64_t sizes[2] = {4, 6};
    const int64_t new_sizes[3] = {2, -1, 3};
    const int64_t perm[2] = {1, 0};
    const int64_t expand_to[3] = {5, 4, 6};
    cmp_tensor t = NULL, v = NULL, p = NULL, r = NULL, e = NULL, s = NULL, u = NULL, f = NULL;
    int64_t uses = 0, vs[3], ps[2], pst[2], ts[2], tst[2], est[3];
    int32_t contiguous = 1;
    CHECK_OK(cmp_ones(sizes, 2, CMP_DTYPE_FLOAT32, cpu, &t));
    CHECK_OK(cmp_view(t, new_sizes, 3, &v));
    CHECK_OK(cmp_tensor_sizes(v, vs, 3));
    CHECK(vs[0] * vs[1] * vs[2] == 24 && vs[1] == 24 / (2 * 3));
    CHECK_OK(cmp_tensor_storage_use_count(t, &uses));
    CHECK(uses == 2);
    CHECK_OK(cmp_permute(t, perm, 2, &p));
    CHECK_OK(cmp_tensor_sizes(p, ps, 2));
    CHECK_OK(cmp_tensor_strides(p, pst, 2));
    CHECK_OK(cmp_tensor_sizes(t, ts, 2));
    CHECK_OK(cmp_tensor_strides(t, tst, 2));
    CHECK(ps[0] == ts[1] && ps[1] == ts[0] && pst[0] == tst[1] && pst[1] == tst[0]);
    CHECK_OK(cmp_tensor_is_contiguous(p, &contiguous));
    CHECK(contiguous == 0);
    /* reshape of the permuted tensor cannot be a view: it copies. */
    CHECK_OK(cmp_reshape(p, new_sizes, 3, &r));
    CHECK_OK(cmp_tensor_storage_use_count(r, &uses));
    CHECK(uses == 1);
    CHECK_OK(cmp_expand(t, expand_to, 3, &e));
    CHECK_OK(cmp_tensor_strides(e, est, 3));
    CHECK(est[0] == 0 && est[1] == tst[0] && est[2] == tst[1]);
    CHECK_OK(cmp_slice(t, 1, 1, 100, 2, &s));
    CHECK_OK(cmp_tensor_sizes(s, vs, 2));
    CHECK(vs[0] == 4 && vs[1] == 3); /* indices 1, 3, 5 of 6 */
    CHECK_OK(cmp_unsqueeze(s, -1, &u));
    CHECK(ndim_of(u) == 3);
    CHECK_OK(cmp_flatten(t, 0, -1, &f));
    CHECK(ndim_of(f) == 1);
    CHECK_OK(cmp_tensor_storage_use_count(t, &uses));
    CHECK(uses == 7); /* t, v, p, e, s, u and f (flattening a contiguous tensor is a view) */
    cmp_tensor_release(f);
    cmp_tensor_release(u);
    cmp_tensor_release(s);
    cmp_tensor_release(e);
    cmp_tensor_release(r);
    cmp_tensor_release(p);
    cmp_tensor_release(v);
    cmp_tensor_release(t);
}

static void test_retain_release(void) {
    const int64_t one = 1;
    cmp_tensor t = NULL;
    int64_t n = 0;
    CHECK_OK(cmp_empty(&one, 1, CMP_DTYPE_UINT8, cpu, &t));
    CHECK_OK(cmp_tensor_retain(t));
    CHECK_OK(cmp_tensor_release(t));
    CHECK_OK(cmp_tensor_numel(t, &n)); /* still alive: one reference left */
    CHECK(n == 1);
    CHECK_OK(cmp_tensor_release(t));
}

int main(void) {
    test_creation_and_metadata();
    test_buffers_round_trip();
    test_external_memory();
    test_views_share_storage();
    test_retain_release();
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    else printf("capi basics: all checks passed\n");
    return failures ? 1 : 0;
}
