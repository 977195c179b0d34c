// GPU benchmark through the public C ABI: times the ops of issue 6's list on a CUDA device (or on
// the CPU, to try the program without a GPU) and prints one line per case, read by
// bench/cuda/compare.py, which runs the same cases in PyTorch on the same device.
//
//   cuda_bench [--device cuda|cpu] CASE...
//
// CASE is OP:DTYPE:SHAPE[:causal]
//   gemm:D:MxNxK          a @ b, a [M, K], b [K, N]
//   linear:D:MxNxK        addmm(bias, x, W^T): x [M, K], W [N, K], bias [N] (Linear's forward;
//                         on CUDA cuBLASLt's bias epilogue)
//   sdpa:D:BxHxLxE        scaled_dot_product_attention of q, k, v [B, H, L, E] (":causal" masks)
//   layer_norm:D:RxC      layer_norm over the last dim of [R, C], with weight and bias
//   softmax:D:RxC         softmax over the last dim of [R, C]
// D is float32, tf32 (float32 with TF32 products allowed), float16 or bfloat16.
//
// Timing (the same rule as compare.py's PyTorch side): two warm-up calls, then the call count k
// that fills about 20 ms, then 5 batches of k calls; each batch is timed by CUDA events on the
// current stream (wall clock on the CPU), and the best batch / k is printed in milliseconds.
// Outputs are released as they come, so the caching allocator serves every call after the first.
#include <compute/compute.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "cuda_bench: %s: %s\n", what.c_str(), cmp_last_error());
    std::exit(1);
}

void check(cmp_status s, const char* what) {
    if (s != CMP_STATUS_OK) die(what);
}

// A tensor reference released at the end of its scope.
struct T {
    cmp_tensor t = nullptr;
    T() = default;
    explicit T(cmp_tensor x) : t(x) {}
    T(T&& o) noexcept : t(o.t) { o.t = nullptr; }
    T(const T&) = delete;
    T& operator=(const T&) = delete;
    T& operator=(T&&) = delete;
    ~T() {
        if (t) cmp_tensor_release(t);
    }
};

struct Case {
    std::string text, op, dtype;
    std::vector<int64_t> shape;
    bool causal = false;
};

[[noreturn]] void bad_case(const std::string& text) {
    std::fprintf(stderr, "cuda_bench: bad case '%s' (expected OP:DTYPE:SHAPE[:causal], see the top of cuda_bench.cpp)\n",
                 text.c_str());
    std::exit(2);
}

Case parse_case(const std::string& text) {
    Case c;
    c.text = text;
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1)
        parts.push_back(text.substr(start, colon - start));
    parts.push_back(text.substr(start));
    if (parts.size() < 3 || parts.size() > 4) bad_case(text);
    c.op = parts[0];
    c.dtype = parts[1];
    if (parts.size() == 4) {
        if (parts[3] != "causal") bad_case(text);
        c.causal = true;
    }
    for (size_t p = 0; p <= parts[2].size();) {
        const size_t x = std::min(parts[2].find('x', p), parts[2].size());
        const std::string dim = parts[2].substr(p, x - p);
        char* end = nullptr;
        const long long v = std::strtoll(dim.c_str(), &end, 10);
        if (dim.empty() || *end != '\0' || v <= 0) bad_case(text);
        c.shape.push_back(v);
        p = x + 1;
    }
    const size_t want = c.op == "gemm" || c.op == "linear" ? 3 : c.op == "sdpa" ? 4 : c.op == "layer_norm" || c.op == "softmax" ? 2 : 0;
    if (want == 0 || c.shape.size() != want) bad_case(text);
    if (c.dtype != "float32" && c.dtype != "tf32" && c.dtype != "float16" && c.dtype != "bfloat16") bad_case(text);
    return c;
}

cmp_dtype dtype_of(const std::string& d) {
    if (d == "float16") return CMP_DTYPE_FLOAT16;
    if (d == "bfloat16") return CMP_DTYPE_BFLOAT16;
    return CMP_DTYPE_FLOAT32;
}

T randn(const std::vector<int64_t>& shape, cmp_dtype dtype, cmp_device device) {
    cmp_tensor f = nullptr, d = nullptr;
    check(cmp_randn(shape.data(), static_cast<int64_t>(shape.size()), CMP_DTYPE_FLOAT32, device, &f), "randn");
    T full(f);
    check(cmp_to_dtype(full.t, dtype, &d), "to_dtype");
    return T(d);
}

// One call of the case's op, its outputs released at once.
std::function<void()> make_call(const Case& c, cmp_device device, std::vector<T>& inputs) {
    const cmp_dtype dt = dtype_of(c.dtype);
    const std::vector<int64_t>& s = c.shape;
    if (c.op == "gemm") {
        inputs.push_back(randn({s[0], s[2]}, dt, device));
        inputs.push_back(randn({s[2], s[1]}, dt, device));
        return [&inputs] {
            cmp_tensor out = nullptr;
            check(cmp_matmul(inputs[0].t, inputs[1].t, &out), "matmul");
            cmp_tensor_release(out);
        };
    }
    if (c.op == "linear") {
        inputs.push_back(randn({s[0], s[2]}, dt, device));
        T w = randn({s[1], s[2]}, dt, device);
        cmp_tensor wt = nullptr;
        check(cmp_transpose(w.t, 0, 1, &wt), "transpose");
        inputs.emplace_back(wt);
        inputs.push_back(randn({s[1]}, dt, device));
        return [&inputs] {
            cmp_tensor out = nullptr;
            const cmp_scalar one{CMP_SCALAR_INT, 0, 0.0, 1};
            check(cmp_addmm(inputs[2].t, inputs[0].t, inputs[1].t, one, one, &out), "addmm");
            cmp_tensor_release(out);
        };
    }
    if (c.op == "sdpa") {
        for (int i = 0; i < 3; ++i) inputs.push_back(randn(s, dt, device));
        const int32_t causal = c.causal ? 1 : 0;
        return [&inputs, causal] {
            cmp_tensor out = nullptr, lse = nullptr;
            uint64_t seed = 0, offset = 0;
            check(cmp_scaled_dot_product_attention(inputs[0].t, inputs[1].t, inputs[2].t, nullptr, 0.0, causal, nullptr,
                                                   &out, &lse, &seed, &offset),
                  "scaled_dot_product_attention");
            cmp_tensor_release(out);
            cmp_tensor_release(lse);
        };
    }
    if (c.op == "layer_norm") {
        inputs.push_back(randn(s, dt, device));
        inputs.push_back(randn({s[1]}, dt, device));
        inputs.push_back(randn({s[1]}, dt, device));
        const int64_t cols = s[1];
        return [&inputs, cols] {
            cmp_tensor out = nullptr, mean = nullptr, rstd = nullptr;
            check(cmp_layer_norm(inputs[0].t, &cols, 1, inputs[1].t, inputs[2].t, 1e-5, &out, &mean, &rstd), "layer_norm");
            cmp_tensor_release(out);
            cmp_tensor_release(mean);
            cmp_tensor_release(rstd);
        };
    }
    inputs.push_back(randn(s, dt, device));
    return [&inputs] {
        cmp_tensor out = nullptr;
        check(cmp_softmax(inputs[0].t, -1, nullptr, &out), "softmax");
        cmp_tensor_release(out);
    };
}

// Milliseconds of k calls: CUDA events on the current stream, or the wall clock on the CPU.
class Timer {
public:
    explicit Timer(bool cuda) : cuda_(cuda) {
        if (!cuda_) return;
        check(cmp_cuda_event_create(0, 1, &start_), "event_create");
        check(cmp_cuda_event_create(0, 1, &end_), "event_create");
        check(cmp_cuda_current_stream(0, &stream_), "current_stream");
    }
    ~Timer() {
        if (!cuda_) return;
        cmp_cuda_event_destroy(start_);
        cmp_cuda_event_destroy(end_);
    }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    double time(const std::function<void()>& call, int64_t k) {
        if (!cuda_) {
            const auto t0 = std::chrono::steady_clock::now();
            for (int64_t i = 0; i < k; ++i) call();
            return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        }
        check(cmp_cuda_event_record(start_, stream_), "event_record");
        for (int64_t i = 0; i < k; ++i) call();
        check(cmp_cuda_event_record(end_, stream_), "event_record");
        check(cmp_cuda_event_synchronize(end_), "event_synchronize");
        float ms = 0;
        check(cmp_cuda_event_elapsed_ms(start_, end_, &ms), "event_elapsed_ms");
        return ms;
    }

private:
    bool cuda_;
    cmp_cuda_event start_ = nullptr, end_ = nullptr;
    cmp_cuda_stream stream_ = nullptr;
};

double best_ms(const std::function<void()>& call, bool cuda) {
    Timer timer(cuda);
    timer.time(call, 2);  // warm-up: first launches, the allocator's first blocks, cuBLAS's handles
    const double one = std::max(timer.time(call, 1), 1e-3);
    const int64_t k = std::clamp<int64_t>(static_cast<int64_t>(20.0 / one), 1, 1000);
    double best = 1e300;
    for (int batch = 0; batch < 5; ++batch) best = std::min(best, timer.time(call, k) / static_cast<double>(k));
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    bool cuda = true;
    std::vector<Case> cases;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--device") == 0 && i + 1 < argc) {
            const std::string d = argv[++i];
            if (d != "cuda" && d != "cpu") bad_case("--device " + d);
            cuda = d == "cuda";
        } else {
            cases.push_back(parse_case(argv[i]));
        }
    }
    if (cases.empty()) {
        std::fprintf(stderr, "usage: cuda_bench [--device cuda|cpu] OP:DTYPE:SHAPE[:causal]...\n");
        return 2;
    }
    const cmp_device device = cuda ? cmp_device{CMP_DEVICE_CUDA, 0} : cmp_device{CMP_DEVICE_CPU, 0};
    if (cuda) {
        int32_t count = 0;
        check(cmp_cuda_device_count(&count), "cuda_device_count");
        if (count == 0) {
            const char* reason = nullptr;
            cmp_cuda_unavailable_reason(&reason);
            std::fprintf(stderr, "cuda_bench: no CUDA device: %s\n", reason ? reason : "");
            return 1;
        }
    }
    check(cmp_manual_seed(0), "manual_seed");
    for (const Case& c : cases) {
        if (cuda) check(cmp_cuda_set_allow_tf32(c.dtype == "tf32" ? 1 : 0), "cuda_set_allow_tf32");
        std::vector<T> inputs;  // the call indexes it when it runs
        const std::function<void()> call = make_call(c, device, inputs);
        std::printf("%s\t%.6f\n", c.text.c_str(), best_ms(call, cuda));
        std::fflush(stdout);
    }
    return 0;
}
