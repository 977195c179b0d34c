/* Bad input through the C ABI from plain C99: each call returns the right status and a
 * message naming the op and the shapes, and nothing aborts. */
#include <compute/compute.h>

#include <stdio.h>
#include <string.h>

static int failures = 0;

/* The call must return `status` and cmp_last_error() must contain each of the given parts. */
static void expect(const char* what, cmp_status got, cmp_status status, const char* part1, const char* part2,
                   const char* part3) {
    const char* msg = cmp_last_error();
    const char* parts[3];
    int i;
    parts[0] = part1;
    parts[1] = part2;
    parts[2] = part3;
    if (got != status) {
        fprintf(stderr, "%s: status %d, expected %d (%s)\n", what, (int)got, (int)status, msg);
        ++failures;
        return;
    }
    for (i = 0; i < 3; ++i) {
        if (parts[i] && !strstr(msg, parts[i])) {
            fprintf(stderr, "%s: message \"%s\" does not contain \"%s\"\n", what, msg, parts[i]);
            ++failures;
        }
    }
}

static const cmp_device cpu = {CMP_DEVICE_CPU, 0};

static cmp_tensor make(const int64_t* sizes, int64_t ndim) {
    cmp_tensor t = NULL;
    if (cmp_zeros(sizes, ndim, CMP_DTYPE_FLOAT32, cpu, &t) != CMP_STATUS_OK) {
        fprintf(stderr, "setup failed: %s\n", cmp_last_error());
        ++failures;
    }
    return t;
}

int main(void) {
    const int64_t s23[2] = {2, 3}, s4[1] = {4}, s34[2] = {3, 4}, s56[2] = {5, 6};
    const int64_t negative[2] = {2, -5};
    const int64_t overflow[3] = {(int64_t)1 << 31, (int64_t)1 << 31, (int64_t)1 << 31};
    const int64_t flat[1] = {12};
    cmp_tensor a = make(s23, 2), b = make(s4, 1), m = make(s34, 2), n = make(s56, 2);
    cmp_tensor out = NULL, mt = NULL;
    cmp_scalar one;
    int64_t dim = 2, numel = 0;
    one.kind = CMP_SCALAR_INT;
    one.reserved = 0;
    one.f = 0.0;
    one.i = 1;

    expect("shape mismatch", cmp_add(a, b, one, &out), CMP_STATUS_SHAPE_MISMATCH, "add", "[2, 3]", "[4]");
    expect("matmul mismatch", cmp_matmul(m, n, &out), CMP_STATUS_SHAPE_MISMATCH, "matmul", "[3, 4]", "[5, 6]");
    expect("dim out of range", cmp_sum(a, &dim, 1, 0, &out), CMP_STATUS_INDEX_OUT_OF_RANGE, "sum", "2", NULL);
    expect("unsqueeze dim out of range", cmp_unsqueeze(a, 4, &out), CMP_STATUS_INDEX_OUT_OF_RANGE, "unsqueeze", "4",
           NULL);
    expect("index out of range", cmp_select(a, 0, 2, &out), CMP_STATUS_INDEX_OUT_OF_RANGE, "select", "[2, 3]", NULL);
    expect("narrow out of range", cmp_narrow(a, 1, 2, 2, &out), CMP_STATUS_INDEX_OUT_OF_RANGE, "narrow", "[2, 3]",
           NULL);
    expect("invalid dtype", cmp_zeros(s23, 2, (cmp_dtype)42, cpu, &out), CMP_STATUS_INVALID_ARGUMENT, "zeros", "dtype",
           "42");
    expect("invalid dtype in conversion", cmp_to_dtype(a, (cmp_dtype)10, &out), CMP_STATUS_INVALID_ARGUMENT,
           "to_dtype", "10", NULL);
    expect("null handle", cmp_tensor_numel(NULL, &numel), CMP_STATUS_INVALID_HANDLE, "tensor_numel", "NULL", NULL);
    expect("null operand", cmp_mul(a, NULL, &out), CMP_STATUS_INVALID_HANDLE, "mul", "'b'", NULL);
    expect("negative size", cmp_ones(negative, 2, CMP_DTYPE_FLOAT32, cpu, &out), CMP_STATUS_INVALID_ARGUMENT, "ones",
           "[2, -5]", NULL);
    expect("overflowing sizes", cmp_empty(overflow, 3, CMP_DTYPE_FLOAT32, cpu, &out), CMP_STATUS_INVALID_ARGUMENT,
           "empty", "overflow", "[2147483648, 2147483648, 2147483648]");
    expect("negative ndim", cmp_empty(s23, -2, CMP_DTYPE_FLOAT32, cpu, &out), CMP_STATUS_INVALID_ARGUMENT, "empty",
           "-2", NULL);
    expect("null sizes", cmp_empty(NULL, 2, CMP_DTYPE_FLOAT32, cpu, &out), CMP_STATUS_INVALID_ARGUMENT, "empty",
           "NULL", NULL);
    if (cmp_transpose(m, 0, 1, &mt) != CMP_STATUS_OK) ++failures;
    expect("view of non-contiguous", cmp_view(mt, flat, 1, &out), CMP_STATUS_LAYOUT_ERROR, "view", "[4, 3]", "[12]");
    expect("null out", cmp_clone(a, NULL), CMP_STATUS_INVALID_ARGUMENT, "clone", "out", NULL);
    if (out != NULL) {
        fprintf(stderr, "a failing call left a handle in out\n");
        ++failures;
    }

    cmp_tensor_release(mt);
    cmp_tensor_release(a);
    cmp_tensor_release(b);
    cmp_tensor_release(m);
    cmp_tensor_release(n);
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    else printf("capi bad input: all checks passed\n");
    return failures ? 1 : 0;
}
