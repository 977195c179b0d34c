// The native floor of a tiny op: the C ABI called in a loop from C++, no .NET in the way. Times
// the cases of bench/overhead whose native part matters (16-element float32 operands):
//
//   add16         cmp_add + cmp_tensor_release of the result
//   mul16         cmp_mul + release
//   add16_scalar  cmp_add with a 0-d wrapped number (cmp_scalar_tensor made once)
//   add16_inplace cmp_add_ (no result tensor)
//   chain100      100 dependent add/mul, each intermediate released once the next exists
//
//   overhead_native [--threads N] [--seconds S] [--iterations N]
//
// Same timing rule as bench/overhead: 0.3 s warm-up, then batches of ~2000 ops until S seconds
// have passed (at least 3 batches), best batch reported. --iterations N instead runs each case
// N times untimed (a steady loop for `perf record`).
#include <compute/compute.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "overhead_native: %s: %s\n", what, cmp_last_error());
    std::exit(1);
}

void check(cmp_status s, const char* what) {
    if (s != CMP_STATUS_OK) die(what);
}

double g_seconds = 0.5;
long g_iterations = 0;

template <typename Fn>
void report(const char* name, int ops_per_iter, Fn&& body) {
    using clock = std::chrono::steady_clock;
    if (g_iterations > 0) {
        for (long i = 0; i < g_iterations; ++i) body();
        std::printf("overhead_native %s ran %ld iterations\n", name, g_iterations);
        return;
    }
    const auto warm = clock::now();
    while (std::chrono::duration<double>(clock::now() - warm).count() < 0.3) body();
    const int batch = std::max(1, 2000 / ops_per_iter);
    double best = 1e300, total = 0;
    int batches = 0;
    while (batches < 3 || total < g_seconds) {
        const auto t0 = clock::now();
        for (int i = 0; i < batch; ++i) body();
        const double s = std::chrono::duration<double>(clock::now() - t0).count();
        best = std::min(best, s);
        total += s;
        ++batches;
    }
    const double ns_per_iter = best / batch * 1e9;
    std::printf("overhead_native %s ops=%d batches=%d ns_per_iter=%.1f ns_per_op=%.1f\n", name, ops_per_iter, batches,
                ns_per_iter, ns_per_iter / ops_per_iter);
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (arg == "--seconds" && i + 1 < argc) g_seconds = std::atof(argv[++i]);
        else if (arg == "--iterations" && i + 1 < argc) g_iterations = std::atol(argv[++i]);
        else {
            std::fprintf(stderr, "usage: overhead_native [--threads N] [--seconds S] [--iterations N]\n");
            return 2;
        }
    }
    if (threads > 0) check(cmp_set_num_threads(threads), "set_num_threads");

    const int64_t size = 16;
    const cmp_device cpu{CMP_DEVICE_CPU, 0};
    cmp_tensor a = nullptr, b = nullptr, s = nullptr;
    check(cmp_rand(&size, 1, CMP_DTYPE_FLOAT32, cpu, &a), "rand");
    check(cmp_rand(&size, 1, CMP_DTYPE_FLOAT32, cpu, &b), "rand");
    cmp_scalar one{};
    one.kind = CMP_SCALAR_INT;
    one.i = 1;
    cmp_scalar half{};
    half.kind = CMP_SCALAR_FLOAT;
    half.f = 0.5;
    check(cmp_scalar_tensor(half, cpu, &s), "scalar_tensor");

    report("add16", 1, [&] {
        cmp_tensor c = nullptr;
        check(cmp_add(a, b, one, &c), "add");
        cmp_tensor_release(c);
    });
    report("mul16", 1, [&] {
        cmp_tensor c = nullptr;
        check(cmp_mul(a, b, &c), "mul");
        cmp_tensor_release(c);
    });
    report("add16_scalar", 1, [&] {
        cmp_tensor c = nullptr;
        check(cmp_add(a, s, one, &c), "add scalar");
        cmp_tensor_release(c);
    });
    cmp_tensor acc = nullptr;
    check(cmp_zeros(&size, 1, CMP_DTYPE_FLOAT32, cpu, &acc), "zeros");
    report("add16_inplace", 1, [&] { check(cmp_add_(acc, b, one), "add_"); });
    report("chain100", 100, [&] {
        cmp_tensor y = a;
        for (int i = 0; i < 100; ++i) {
            cmp_tensor next = nullptr;
            check((i & 1) == 0 ? cmp_add(y, b, one, &next) : cmp_mul(y, b, &next), "chain");
            if (y != a) cmp_tensor_release(y);
            y = next;
        }
        cmp_tensor_release(y);
    });
    cmp_tensor_release(acc);
    cmp_tensor_release(s);
    cmp_tensor_release(b);
    cmp_tensor_release(a);
    return 0;
}
