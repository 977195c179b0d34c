/*
 * A tour of the Compute C ABI in plain C99: build tensors, multiply, broadcast, reduce, and
 * take a view, printing one line per result ("name: v1 v2 ..."). tests/consumers checks the
 * numbers against the same computation run in PyTorch.
 */
#include <compute/compute.h>

#include <stdio.h>
#include <stdlib.h>

/* Every call returns a status; on failure print the library's message and stop. */
#define CHECK(call)                                                                          \
    do {                                                                                     \
        cmp_status status_ = (call);                                                         \
        if (status_ != CMP_STATUS_OK) {                                                      \
            fprintf(stderr, "%s failed (status %d): %s\n", #call, (int)status_, cmp_last_error()); \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

static cmp_scalar int_scalar(int64_t value) {
    cmp_scalar s = {CMP_SCALAR_INT, 0, 0.0, 0};
    s.i = value;
    return s;
}

static cmp_scalar float_scalar(double value) {
    cmp_scalar s = {CMP_SCALAR_FLOAT, 0, 0.0, 0};
    s.f = value;
    return s;
}

/* Prints "name: v1 v2 ..." for a tensor of any dtype and layout (converted to float64). */
static void print_tensor(const char* name, cmp_tensor t) {
    cmp_tensor as_double = NULL;
    int64_t n = 0, i;
    double* values;
    CHECK(cmp_to_dtype(t, CMP_DTYPE_FLOAT64, &as_double));
    CHECK(cmp_tensor_numel(as_double, &n));
    values = (double*)malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (values == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    CHECK(cmp_tensor_copy_to_buffer(as_double, values, n * (int64_t)sizeof(double)));
    printf("%s:", name);
    for (i = 0; i < n; ++i) printf(" %.9g", values[i]);
    printf("\n");
    free(values);
    CHECK(cmp_tensor_release(as_double));
}

int main(void) {
    const cmp_device cpu = {CMP_DEVICE_CPU, 0};
    const int64_t a_shape[2] = {2, 3}, b_shape[2] = {3, 4};
    const int64_t dim1[1] = {1};
    const char* version = NULL;
    cmp_tensor a_flat, a, b_flat, b, c, bias, d, total, row_mean, four, a_div, a_neg, e;
    cmp_tensor forty, above, count, c_t, column;

    /* The header this program was compiled with must match the library it loaded. */
    if (cmp_abi_version() != CMP_ABI_VERSION) {
        fprintf(stderr, "Compute ABI mismatch: header %d, library %u\n", CMP_ABI_VERSION, cmp_abi_version());
        return 1;
    }
    CHECK(cmp_version(&version));
    printf("Compute %s from C\n", version);

    /* a = arange(6).reshape(2, 3); b = arange(12).reshape(3, 4) */
    CHECK(cmp_arange(int_scalar(0), int_scalar(6), int_scalar(1), CMP_DTYPE_FLOAT32, cpu, &a_flat));
    CHECK(cmp_reshape(a_flat, a_shape, 2, &a));
    CHECK(cmp_arange(int_scalar(0), int_scalar(12), int_scalar(1), CMP_DTYPE_FLOAT32, cpu, &b_flat));
    CHECK(cmp_reshape(b_flat, b_shape, 2, &b));

    CHECK(cmp_matmul(a, b, &c));
    print_tensor("matmul", c);

    /* d = c + 0.5 * arange(4): the [4] bias broadcasts over the rows of c. */
    CHECK(cmp_arange(int_scalar(0), int_scalar(4), int_scalar(1), CMP_DTYPE_FLOAT32, cpu, &bias));
    CHECK(cmp_add(c, bias, float_scalar(0.5), &d));
    print_tensor("add_alpha", d);

    CHECK(cmp_sum(d, NULL, 0, 0, &total));
    print_tensor("sum", total);
    CHECK(cmp_mean(d, dim1, 1, 0, &row_mean));
    print_tensor("mean_dim1", row_mean);

    /* e = exp(-(a / 4)); 4 is a wrapped number, so the result stays float32. */
    CHECK(cmp_scalar_tensor(int_scalar(4), cpu, &four));
    CHECK(cmp_div(a, four, &a_div));
    CHECK(cmp_neg(a_div, &a_neg));
    CHECK(cmp_exp(a_neg, &e));
    print_tensor("exp_neg_div", e);

    /* How many entries of c exceed 40: a bool tensor summed to int64. */
    CHECK(cmp_scalar_tensor(int_scalar(40), cpu, &forty));
    CHECK(cmp_gt(c, forty, &above));
    CHECK(cmp_sum(above, NULL, 0, 0, &count));
    print_tensor("gt_count", count);

    /* Column 2 of c through views (no copy): c.transpose(0, 1).select(0, 2). */
    CHECK(cmp_transpose(c, 0, 1, &c_t));
    CHECK(cmp_select(c_t, 0, 2, &column));
    print_tensor("transpose_select", column);

    {
        cmp_tensor all[] = {a_flat, a, b_flat, b, c, bias, d, total, row_mean, four, a_div, a_neg, e,
                            forty, above, count, c_t, column};
        size_t k;
        for (k = 0; k < sizeof all / sizeof all[0]; ++k) CHECK(cmp_tensor_release(all[k]));
    }
    return 0;
}
