// GEMM benchmark through the public C ABI: times cmp_matmul on square (or M x N x K)
// float32/float64 products and prints one line per size, read by bench/gemm/compare.py.
//
//   gemm_bench [--threads N] [--dtype float32|float64] [--transpose] [--cpu-time] SIZE...
//   SIZE is S (an S x S x S product) or MxNxK, optionally followed by :LAYOUT, two letters
//   for A and B: n = stored as given (row-major), t = stored transposed and passed as a
//   transposed view. MxNxK:nt is a Linear layer's forward x @ W^T (M = batch, N = out,
//   K = in), :tn its weight gradient g^T @ x. --transpose stores A transposed for every size.
//
// Each size is run once to warm up (packing buffers, thread pool), then repeatedly until
// 0.5 s have passed (at least 3 runs); the best time is reported, as the least disturbed
// by other processes on a shared machine. --cpu-time times each call by the calling thread's
// CPU time (CLOCK_THREAD_CPUTIME_ID) instead of the wall clock: with one thread, that leaves
// out the time the scheduler gave to other processes (see compare.py --cpu-time).
#include <compute/compute.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "gemm_bench: %s: %s\n", what.c_str(), cmp_last_error());
    std::exit(1);
}

void check(cmp_status s, const char* what) {
    if (s != CMP_STATUS_OK) die(what);
}

struct Size {
    int64_t m, n, k;
    bool ta, tb;  // A / B stored transposed (see the layout suffix above)
};

[[noreturn]] void bad_size(const char* text) {
    std::fprintf(stderr, "gemm_bench: bad size '%s' (expected S or MxNxK, optionally :nn|nt|tn|tt)\n", text);
    std::exit(2);
}

Size parse_size(const char* text) {
    Size s{};
    const char* colon = std::strchr(text, ':');
    const std::string dims = colon ? std::string(text, colon) : std::string(text);
    if (colon) {
        const std::string layout = colon + 1;
        if (layout.size() != 2 || layout.find_first_not_of("nt") != std::string::npos) bad_size(text);
        s.ta = layout[0] == 't';
        s.tb = layout[1] == 't';
    }
    if (std::sscanf(dims.c_str(), "%" SCNd64 "x%" SCNd64 "x%" SCNd64, &s.m, &s.n, &s.k) == 3) {
        if (s.m <= 0 || s.n <= 0 || s.k <= 0) bad_size(text);
        return s;
    }
    char* end = nullptr;
    const long v = std::strtol(dims.c_str(), &end, 10);
    if (v <= 0 || *end != '\0') bad_size(text);
    s.m = s.n = s.k = v;
    return s;
}

// A rows x cols operand: random values, stored transposed (cols x rows) and viewed back when
// `transposed`. *stored receives the owning tensor, *view the operand (a new reference).
void make_operand(int64_t rows, int64_t cols, bool transposed, cmp_dtype dtype, cmp_device cpu, cmp_tensor* stored,
                  cmp_tensor* view) {
    const int64_t sizes[2] = {transposed ? cols : rows, transposed ? rows : cols};
    check(cmp_rand(sizes, 2, dtype, cpu, stored), "rand");
    if (transposed) check(cmp_transpose(*stored, 0, 1, view), "transpose");
    else check(cmp_tensor_retain(*view = *stored), "retain");
}

// Seconds on the wall clock, or of this thread's CPU time.
double now_seconds(bool cpu_time) {
    if (!cpu_time) return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
    int32_t threads = 0;
    cmp_dtype dtype = CMP_DTYPE_FLOAT32;
    const char* dtype_name = "float32";
    bool transpose = false;
    bool cpu_time = false;
    std::vector<Size> sizes;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--dtype") && i + 1 < argc) {
            dtype_name = argv[++i];
            if (!std::strcmp(dtype_name, "float64")) dtype = CMP_DTYPE_FLOAT64;
            else if (std::strcmp(dtype_name, "float32")) die(std::string("unknown dtype ") + dtype_name);
        } else if (!std::strcmp(argv[i], "--cpu-time")) {
            cpu_time = true;
        } else if (!std::strcmp(argv[i], "--transpose")) {
            transpose = true;  // A is given as a transposed (column-major) view
        } else {
            sizes.push_back(parse_size(argv[i]));
        }
    }
    if (threads > 0) check(cmp_set_num_threads(threads), "set_num_threads");
    check(cmp_get_num_threads(&threads), "get_num_threads");
    if (cpu_time && threads != 1) {
        std::fprintf(stderr, "gemm_bench: --cpu-time counts the calling thread only; use --threads 1\n");
        return 2;
    }
    const char* isa = "";
    check(cmp_cpu_isa(&isa), "cpu_isa");
    const cmp_device cpu{CMP_DEVICE_CPU, 0};
    check(cmp_manual_seed(0), "manual_seed");

    for (Size s : sizes) {
        s.ta = s.ta || transpose;
        cmp_tensor a = nullptr, b = nullptr, a_stored = nullptr, b_stored = nullptr;
        make_operand(s.m, s.k, s.ta, dtype, cpu, &a_stored, &a);
        make_operand(s.k, s.n, s.tb, dtype, cpu, &b_stored, &b);

        auto run_once = [&] {
            cmp_tensor c = nullptr;
            const double t0 = now_seconds(cpu_time);
            check(cmp_matmul(a, b, &c), "matmul");
            const double t = now_seconds(cpu_time) - t0;
            cmp_tensor_release(c);
            return t;
        };
        run_once();
        double best = 1e30, total = 0;
        int runs = 0;
        while (runs < 3 || total < 0.5) {
            const double t = run_once();
            best = t < best ? t : best;
            total += t;
            ++runs;
        }
        const double gflops = 2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k) / best * 1e-9;
        std::printf("gemm %s %" PRId64 " %" PRId64 " %" PRId64 " layout=%c%c threads=%d isa=%s runs=%d best_s=%.6e gflops=%.2f\n",
                    dtype_name, s.m, s.n, s.k, s.ta ? 't' : 'n', s.tb ? 't' : 'n', threads, isa, runs, best, gflops);
        std::fflush(stdout);
        cmp_tensor_release(a);
        cmp_tensor_release(a_stored);
        cmp_tensor_release(b);
        cmp_tensor_release(b_stored);
    }
    return 0;
}
