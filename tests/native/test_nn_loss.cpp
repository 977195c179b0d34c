// Loss functions, forward and backward, against torch.nn.functional and autograd (fixture
// nn_loss.json, written by tests/reference/gen_nn_loss.py), through the public C ABI only.
#include "fixture.h"

#include <limits>
#include <string>

namespace cmp::reference {
namespace {

// Each value is evaluated with at most `count` rounding steps, each off by at most eps of the
// computing dtype (float32 for the 16-bit floats, which are computed in float32) times the
// magnitude bound the fixture carries (the same terms on absolute values in float64; see
// gen_nn_loss.py), so a correct result is within count * eps * bound of PyTorch's. 16-bit
// results are rounded once from float32: one more ulp.
Tolerance tolerance_for(const Json& c, const char* bound_key, cmp_dtype out) {
    Tolerance t;
    const cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(acc);
    // Every rounding of the count may underflow: half the smallest subnormal each (a gradient of
    // exp(-103) * g rounds to 0 or to the smallest float32 subnormal depending on the order).
    t.underflow = static_cast<double>(c.at("count").as_int()) * 0.5 *
                  (acc == CMP_DTYPE_FLOAT64 ? std::numeric_limits<double>::denorm_min() : std::numeric_limits<float>::denorm_min());
    t.abs_bound = &c.at(bound_key);
    t.ulps = out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16 ? 1 : 0;
    return t;
}

int32_t reduction_of(const Json& options) {
    const std::string r = options.has("reduction") ? options.at("reduction").as_string() : "mean";
    if (r == "none") return CMP_REDUCTION_NONE;
    if (r == "sum") return CMP_REDUCTION_SUM;
    if (r == "batchmean") return CMP_REDUCTION_BATCHMEAN;
    return CMP_REDUCTION_MEAN;
}

double option(const Json& o, const char* key, double fallback) { return o.has(key) ? o.at(key).as_double() : fallback; }

struct Operands {
    Tensor input, target, weight, pos_weight;
    explicit Operands(const Json& c) {
        const Json& in = c.at("inputs");
        input = make_tensor(in.at("input"));
        target = make_tensor(in.at("target"));
        if (in.has("weight")) weight = make_tensor(in.at("weight"));
        if (in.has("pos_weight")) pos_weight = make_tensor(in.at("pos_weight"));
    }
};

cmp_status forward(const Json& c, const Operands& t, cmp_tensor* out) {
    const std::string op = c.at("op").as_string();
    const Json& o = c.at("options");
    const int32_t red = reduction_of(o);
    const int64_t ignore = o.has("ignore_index") ? o.at("ignore_index").as_int() : -100;
    cmp_tensor x = t.input.get(), y = t.target.get(), w = t.weight.get();
    if (op == "cross_entropy") return cmp_cross_entropy(x, y, w, ignore, red, option(o, "label_smoothing", 0.0), out);
    if (op == "nll_loss") return cmp_nll_loss(x, y, w, ignore, red, out);
    if (op == "mse_loss") return cmp_mse_loss(x, y, red, out);
    if (op == "l1_loss") return cmp_l1_loss(x, y, red, out);
    if (op == "smooth_l1_loss") return cmp_smooth_l1_loss(x, y, red, option(o, "beta", 1.0), out);
    if (op == "huber_loss") return cmp_huber_loss(x, y, red, option(o, "delta", 1.0), out);
    if (op == "binary_cross_entropy") return cmp_binary_cross_entropy(x, y, w, red, out);
    if (op == "binary_cross_entropy_with_logits")
        return cmp_binary_cross_entropy_with_logits(x, y, w, t.pos_weight.get(), red, out);
    if (op == "kl_div") return cmp_kl_div(x, y, red, o.has("log_target") && o.at("log_target").as_bool(), out);
    throw std::runtime_error("unknown op " + op);
}

// grad_target is NULL when the case has no target gradient (nll_loss, class-index targets).
cmp_status backward(const Json& c, const Operands& t, cmp_tensor g, cmp_tensor* gi, cmp_tensor* gt) {
    const std::string op = c.at("op").as_string();
    const Json& o = c.at("options");
    const int32_t red = reduction_of(o);
    const int64_t ignore = o.has("ignore_index") ? o.at("ignore_index").as_int() : -100;
    cmp_tensor x = t.input.get(), y = t.target.get(), w = t.weight.get();
    if (op == "cross_entropy")
        return cmp_cross_entropy_backward(g, x, y, w, ignore, red, option(o, "label_smoothing", 0.0), gi, gt);
    if (op == "nll_loss") return cmp_nll_loss_backward(g, x, y, w, ignore, red, gi);
    if (op == "mse_loss") return cmp_mse_loss_backward(g, x, y, red, gi, gt);
    if (op == "l1_loss") return cmp_l1_loss_backward(g, x, y, red, gi, gt);
    if (op == "smooth_l1_loss") return cmp_smooth_l1_loss_backward(g, x, y, red, option(o, "beta", 1.0), gi, gt);
    if (op == "huber_loss") return cmp_huber_loss_backward(g, x, y, red, option(o, "delta", 1.0), gi, gt);
    if (op == "binary_cross_entropy") return cmp_binary_cross_entropy_backward(g, x, y, w, red, gi, gt);
    if (op == "binary_cross_entropy_with_logits")
        return cmp_binary_cross_entropy_with_logits_backward(g, x, y, w, t.pos_weight.get(), red, gi, gt);
    if (op == "kl_div") return cmp_kl_div_backward(g, x, y, red, o.has("log_target") && o.at("log_target").as_bool(), gi, gt);
    throw std::runtime_error("unknown op " + op);
}

cmp_dtype dtype_in(const Json& t) { return dtype_from_name(t.at("dtype").as_string()); }

class ReferenceNNLoss : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceNNLoss, ForwardMatchesTorch) {
    const Json& c = *GetParam();
    Operands t(c);
    cmp_tensor raw = nullptr;
    const cmp_status status = forward(c, t, &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, c.at("op").as_string().c_str())) << "PyTorch: " << c.at("error").as_string();
        EXPECT_EQ(raw, nullptr);
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& e = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), e, tolerance_for(c, "abs_bound", dtype_in(e))));
}

TEST_P(ReferenceNNLoss, BackwardMatchesAutograd) {
    const Json& c = *GetParam();
    Operands t(c);
    if (c.has("error")) {
        // The backward kernels check their operands like the forward ones.
        Tensor g(nullptr);
        cmp_tensor gi = nullptr, gt = nullptr;
        cmp_tensor scalar = nullptr;
        check(cmp_scalar_tensor(cmp_scalar{CMP_SCALAR_FLOAT, 0, 1.0, 0}, cmp_device{CMP_DEVICE_CPU, 0}, &scalar), "cmp_scalar_tensor");
        g.reset(scalar);
        const cmp_status status = backward(c, t, g.get(), &gi, &gt);
        Tensor a(gi), b(gt);
        EXPECT_TRUE(fails_with_message(status, c.at("op").as_string().c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    Tensor g = make_tensor(c.at("grad_output"));
    cmp_tensor gi = nullptr, gt = nullptr;
    const bool want_target = c.has("grad_target");
    const cmp_status status = backward(c, t, g.get(), &gi, want_target ? &gt : nullptr);
    Tensor grad_input(gi), grad_target(gt);
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& ei = c.at("grad_input");
    EXPECT_TRUE(tensor_matches(grad_input.get(), ei, tolerance_for(c, "grad_input_bound", dtype_in(ei)))) << "grad_input";
    if (want_target) {
        ASSERT_NE(gt, nullptr);
        const Json& et = c.at("grad_target");
        EXPECT_TRUE(tensor_matches(grad_target.get(), et, tolerance_for(c, "grad_target_bound", dtype_in(et)))) << "grad_target";
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceNNLoss, ::testing::ValuesIn(fixture_cases("nn_loss.json")), case_name);

}  // namespace
}  // namespace cmp::reference
