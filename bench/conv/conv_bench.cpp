// Convolution benchmark through the public C ABI: times cmp_conv (forward) and
// cmp_conv_backward (input + weight gradients) on ResNet-like float32 layers and prints one
// line per layer and pass with the median time, for comparison with PyTorch's F.conv2d.
//
//   conv_bench [--threads N] [--batch N] [--filter NAME]
//
// Each case is run once to warm up (column buffers, thread pool), then repeatedly until
// 0.5 s have passed (at least 5 runs); the median is reported.
#include <compute/compute.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "conv_bench: %s: %s\n", what, cmp_last_error());
    std::exit(1);
}

void check(cmp_status s, const char* what) {
    if (s != CMP_STATUS_OK) die(what);
}

// A conv2d layer: in_channels x size x size input, out_channels kernels of k x k.
struct Layer {
    const char* name;
    int64_t in_channels, out_channels, size, kernel, stride, padding, groups;
};

// Stem, 3x3 and 1x1 (bottleneck) layers of ResNet-50 at its four resolutions, a strided
// downsampling 3x3, and a MobileNet-style depthwise 3x3.
const Layer kLayers[] = {
    {"stem7x7s2", 3, 64, 224, 7, 2, 3, 1},
    {"res2_3x3", 64, 64, 56, 3, 1, 1, 1},
    {"res2_1x1", 256, 64, 56, 1, 1, 0, 1},
    {"res3_3x3s2", 128, 128, 56, 3, 2, 1, 1},
    {"res3_3x3", 128, 128, 28, 3, 1, 1, 1},
    {"res4_3x3", 256, 256, 14, 3, 1, 1, 1},
    {"res4_1x1", 1024, 256, 14, 1, 1, 0, 1},
    {"res5_3x3", 512, 512, 7, 3, 1, 1, 1},
    {"dw3x3", 128, 128, 56, 3, 1, 1, 128},
};

template <typename Fn>
double median_seconds(Fn&& fn) {
    fn();
    std::vector<double> times;
    double total = 0;
    while (times.size() < 5 || total < 0.5) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        times.push_back(t);
        total += t;
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int32_t threads = 0;
    int64_t batch = 8;
    const char* filter = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) batch = std::atoll(argv[++i]);
        else if (!std::strcmp(argv[i], "--filter") && i + 1 < argc) filter = argv[++i];
        else {
            std::fprintf(stderr, "usage: conv_bench [--threads N] [--batch N] [--filter NAME]\n");
            return 2;
        }
    }
    if (threads > 0) check(cmp_set_num_threads(threads), "set_num_threads");
    check(cmp_get_num_threads(&threads), "get_num_threads");
    const char* isa = "";
    check(cmp_cpu_isa(&isa), "cpu_isa");
    const cmp_device cpu{CMP_DEVICE_CPU, 0};
    check(cmp_manual_seed(0), "manual_seed");

    for (const Layer& l : kLayers) {
        if (filter && !std::strstr(l.name, filter)) continue;
        const int64_t xs[4] = {batch, l.in_channels, l.size, l.size};
        const int64_t ws[4] = {l.out_channels, l.in_channels / l.groups, l.kernel, l.kernel};
        const int64_t stride[2] = {l.stride, l.stride}, pad[2] = {l.padding, l.padding}, dil[2] = {1, 1};
        cmp_tensor x = nullptr, w = nullptr, y = nullptr;
        check(cmp_randn(xs, 4, CMP_DTYPE_FLOAT32, cpu, &x), "randn");
        check(cmp_randn(ws, 4, CMP_DTYPE_FLOAT32, cpu, &w), "randn");
        check(cmp_conv(x, w, nullptr, 2, stride, pad, CMP_CONV_PADDING_EXPLICIT, dil, l.groups, &y), "conv");
        const double fwd = median_seconds([&] {
            cmp_tensor out = nullptr;
            check(cmp_conv(x, w, nullptr, 2, stride, pad, CMP_CONV_PADDING_EXPLICIT, dil, l.groups, &out), "conv");
            cmp_tensor_release(out);
        });
        const double bwd = median_seconds([&] {
            cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
            check(cmp_conv_backward(y, x, w, 2, stride, pad, CMP_CONV_PADDING_EXPLICIT, dil, l.groups,
                                    CMP_CONV_GRAD_INPUT | CMP_CONV_GRAD_WEIGHT, &gi, &gw, &gb),
                  "conv_backward");
            cmp_tensor_release(gi);
            cmp_tensor_release(gw);
        });
        const double out_size = static_cast<double>((l.size + 2 * l.padding - l.kernel) / l.stride + 1);
        const double flops = 2.0 * static_cast<double>(batch * l.out_channels) * out_size * out_size *
                             static_cast<double>(l.in_channels / l.groups * l.kernel * l.kernel);
        std::printf("conv2d %s N=%" PRId64 " C=%" PRId64 " K=%" PRId64 " HW=%" PRId64 " k=%" PRId64 " s=%" PRId64
                    " g=%" PRId64 " threads=%d isa=%s forward_median_s=%.6e forward_gflops=%.2f"
                    " backward_median_s=%.6e backward_gflops=%.2f\n",
                    l.name, batch, l.in_channels, l.out_channels, l.size, l.kernel, l.stride, l.groups, threads, isa,
                    fwd, flops / fwd * 1e-9, bwd, 2 * flops / bwd * 1e-9);
        std::fflush(stdout);
        cmp_tensor_release(y);
        cmp_tensor_release(x);
        cmp_tensor_release(w);
    }
    return 0;
}
