// The tensor tour of examples/c, written with compute.hpp: tensors own their handles, errors
// are exceptions, and operators read like PyTorch. Prints one line per result
// ("name: v1 v2 ..."); tests/consumers checks the numbers against PyTorch.
#include <compute/compute.hpp>

#include <cstdio>
#include <iostream>
#include <string>

namespace {

// Prints "name: v1 v2 ..." for a tensor of any dtype and layout.
void print(const std::string& name, const compute::Tensor& t) {
    std::printf("%s:", name.c_str());
    for (double v : t.to(compute::DType::Float64).to_vector<double>()) std::printf(" %.9g", v);
    std::printf("\n");
}

}  // namespace

int main() {
    using compute::Tensor;
    try {
        compute::check_abi();
        std::cout << "Compute " << compute::version() << " from C++\n";

        const Tensor a = Tensor::arange(0, 6).reshape({2, 3});
        const Tensor b = Tensor::arange(0, 12).reshape({3, 4});
        const Tensor c = a.matmul(b);
        print("matmul", c);

        const Tensor d = c.add(Tensor::arange(0, 4), 0.5);  // c + 0.5 * [0, 1, 2, 3], broadcast
        print("add_alpha", d);
        print("sum", d.sum());
        print("mean_dim1", d.mean({1}));
        print("exp_neg_div", (-(a / 4)).exp());
        print("gt_count", (c > 40).sum());
        print("transpose_select", c.transpose(0, 1).select(0, 2));  // views, no copy

        // Bad input is an exception carrying the library's message, never a crash.
        try {
            (void)a.matmul(a);
        } catch (const compute::Error& e) {
            std::cout << "error (status " << static_cast<int>(e.status()) << "): " << e.what() << "\n";
        }
    } catch (const compute::Error& e) {
        std::cerr << "Compute error (status " << static_cast<int>(e.status()) << "): " << e.what() << "\n";
        return 1;
    }
    return 0;
}
