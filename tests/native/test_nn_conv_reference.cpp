// Convolutions against PyTorch (fixtures/nn_conv.json, written by gen_nn_conv.py): conv1d/2d/3d
// and conv_transpose1d/2d/3d outputs and their autograd gradients through cmp_conv_backward /
// cmp_conv_transpose_backward, unfold and fold, and the arguments PyTorch rejects. Only the
// public C ABI is used.
#include "fixture.h"

#include <string>
#include <vector>

namespace cmp::reference {
namespace {

std::vector<int64_t> ints(const Json& j) {
    std::vector<int64_t> v;
    for (const Json& x : j.items()) v.push_back(x.as_int());
    return v;
}

// The arguments of a case as the C ABI takes them.
struct ConvCall {
    int64_t nd = 0, groups = 1;
    std::vector<int64_t> stride, padding, dilation, output_padding;
    int32_t mode = CMP_CONV_PADDING_EXPLICIT;

    explicit ConvCall(const Json& c) {
        const Json& a = c.at("args");
        nd = c.at("nspatial").as_int();
        stride = ints(a.at("stride"));
        dilation = ints(a.at("dilation"));
        groups = a.at("groups").as_int();
        const Json& p = a.at("padding");
        if (p.is_string()) mode = p.as_string() == "same" ? CMP_CONV_PADDING_SAME : CMP_CONV_PADDING_VALID;
        else padding = ints(p);
        if (a.has("output_padding")) output_padding = ints(a.at("output_padding"));
    }
    const int64_t* pad() const { return padding.empty() ? nullptr : padding.data(); }

    cmp_status forward(bool transposed, cmp_tensor x, cmp_tensor w, cmp_tensor b, cmp_tensor* out) const {
        if (transposed) {
            return cmp_conv_transpose(x, w, b, nd, stride.data(), pad(), output_padding.data(), groups, dilation.data(),
                                      out);
        }
        return cmp_conv(x, w, b, nd, stride.data(), pad(), mode, dilation.data(), groups, out);
    }

    cmp_status backward(bool transposed, cmp_tensor gy, cmp_tensor x, cmp_tensor w, int32_t mask, cmp_tensor* gi,
                        cmp_tensor* gw, cmp_tensor* gb) const {
        if (transposed) {
            return cmp_conv_transpose_backward(gy, x, w, nd, stride.data(), pad(), output_padding.data(), groups,
                                               dilation.data(), mask, gi, gw, gb);
        }
        return cmp_conv_backward(gy, x, w, nd, stride.data(), pad(), mode, dilation.data(), groups, mask, gi, gw, gb);
    }
};

// Every result element is a sum of at most `count` products (convolution windows, or batch x
// plane positions for the weight and bias gradients). Whatever the order or blocking, each is
// within count * u * (the same sum over |terms|) of the exact value, u = eps/2 of the
// accumulation type; the fixture is the float64 value rounded once, so the two are within
// count * eps * abs_bound. float16/bfloat16 are computed in float32 and rounded once at the
// end, where two close float32 values can round to neighbouring 16-bit values: 1 ulp more.
Tolerance tolerance_for(const Json& c, const char* key, cmp_dtype out) {
    Tolerance t;
    const cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(acc);
    t.abs_bound = &c.at("abs_bound").at(key);
    t.ulps = (out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16) ? 1 : 0;
    return t;
}

::testing::AssertionResult matches(cmp_tensor actual, const Json& c, const char* key) {
    const Json& expected = c.at(key);
    if (!dtype_is_floating(dtype_from_name(expected.at("dtype").as_string()))) {
        return tensor_matches(actual, expected, Tolerance::exact());  // integer convolutions are exact
    }
    return tensor_matches(actual, expected, tolerance_for(c, key, dtype_from_name(expected.at("dtype").as_string())));
}

class ReferenceConv : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceConv, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string op = c.at("op").as_string();
    const Json& in = c.at("inputs");
    Tensor x = make_tensor(in.at(size_t{0}));
    if (op == "unfold" || op == "fold") {
        const Json& a = c.at("args");
        const auto k = ints(a.at("kernel_size")), d = ints(a.at("dilation")), p = ints(a.at("padding")),
                   s = ints(a.at("stride"));
        cmp_tensor raw = nullptr;
        const cmp_status status = op == "unfold"
                                      ? cmp_unfold(x.get(), k.data(), d.data(), p.data(), s.data(), &raw)
                                      : cmp_fold(x.get(), ints(a.at("output_size")).data(), k.data(), d.data(), p.data(),
                                                 s.data(), &raw);
        Tensor out(raw);
        if (c.has("error")) {
            EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
            return;
        }
        ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
        // unfold copies values (exact); fold sums overlapping entries (abs_bound and count).
        if (op == "unfold") {
            EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), Tolerance::exact()));
        } else {
            EXPECT_TRUE(matches(out.get(), c, "expected"));
        }
        return;
    }
    const bool transposed = op == "conv_transpose";
    const ConvCall call(c);
    Tensor w = make_tensor(in.at(size_t{1}));
    Tensor b = in.at(size_t{2}).is_null() ? Tensor() : make_tensor(in.at(size_t{2}));
    cmp_tensor raw = nullptr;
    const cmp_status status = call.forward(transposed, x.get(), w.get(), b.get(), &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    EXPECT_TRUE(matches(out.get(), c, "expected"));

    if (!c.has("grad_output")) {
        // An integer convolution: PyTorch has no gradients for it, and the backward rejects it.
        cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
        EXPECT_TRUE(fails_with_message(call.backward(transposed, out.get(), x.get(), w.get(), CMP_CONV_GRAD_WEIGHT, &gi,
                                                     &gw, &gb),
                                       "conv_backward"));
        return;
    }
    Tensor gy = make_tensor(c.at("grad_output"));
    const bool has_bias = !c.at("grad_bias").is_null();
    const int32_t mask = CMP_CONV_GRAD_INPUT | CMP_CONV_GRAD_WEIGHT | (has_bias ? CMP_CONV_GRAD_BIAS : 0);
    cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
    ASSERT_EQ(call.backward(transposed, gy.get(), x.get(), w.get(), mask, &gi, &gw, &gb), CMP_STATUS_OK)
        << cmp_last_error();
    Tensor ti(gi), tw(gw), tb(gb);
    EXPECT_TRUE(matches(ti.get(), c, "grad_input"));
    EXPECT_TRUE(matches(tw.get(), c, "grad_weight"));
    if (has_bias) {
        EXPECT_TRUE(matches(tb.get(), c, "grad_bias"));
    } else {
        EXPECT_EQ(tb.get(), nullptr);
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceConv, ::testing::ValuesIn(fixture_cases("nn_conv.json")), case_name);

const Json* find_case(const std::string& name) {
    for (const Json& c : load_fixture("nn_conv.json").at("cases").items()) {
        if (c.at("name").as_string() == name) return &c;
    }
    return nullptr;
}

// The output mask: only the requested gradients are computed; the others come back NULL.
TEST(NNConv, BackwardMaskReturnsOnlyRequested) {
    const Json* c = find_case("conv2d_groups");
    ASSERT_NE(c, nullptr);
    const ConvCall call(*c);
    Tensor x = make_tensor(c->at("inputs").at(size_t{0}));
    Tensor w = make_tensor(c->at("inputs").at(size_t{1}));
    Tensor gy = make_tensor(c->at("grad_output"));
    for (int32_t mask : {int32_t{CMP_CONV_GRAD_INPUT}, int32_t{CMP_CONV_GRAD_WEIGHT}, int32_t{CMP_CONV_GRAD_BIAS}, 0}) {
        cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
        ASSERT_EQ(call.backward(false, gy.get(), x.get(), w.get(), mask, &gi, &gw, &gb), CMP_STATUS_OK)
            << cmp_last_error();
        Tensor ti(gi), tw(gw), tb(gb);
        EXPECT_EQ(ti != nullptr, (mask & CMP_CONV_GRAD_INPUT) != 0);
        EXPECT_EQ(tw != nullptr, (mask & CMP_CONV_GRAD_WEIGHT) != 0);
        EXPECT_EQ(tb != nullptr, (mask & CMP_CONV_GRAD_BIAS) != 0);
        if (ti) {
            EXPECT_TRUE(matches(ti.get(), *c, "grad_input"));
        }
        if (tw) {
            EXPECT_TRUE(matches(tw.get(), *c, "grad_weight"));
        }
        if (tb) {
            EXPECT_TRUE(matches(tb.get(), *c, "grad_bias"));
        }
    }
}

// Error messages name the op, the argument and the shapes involved.
TEST(NNConv, ErrorMessagesNameOpArgumentAndShapes) {
    struct Expect {
        const char* name;
        std::vector<std::string> parts;
    };
    const Expect expects[] = {
        {"conv2d_error_weight_rank", {"conv2d", "weight", "[2, 3, 3]"}},
        {"conv2d_error_input_rank", {"conv2d", "input", "[5, 5]"}},
        {"conv2d_error_channels", {"conv2d", "groups=1", "[2, 3, 3, 3]", "[1, 4, 5, 5]", "3 channels"}},
        {"conv2d_error_groups_divide", {"conv2d", "groups=2", "[5, 2, 3, 3]"}},
        {"conv2d_error_kernel_too_large", {"conv2d", "kernel", "[1, 3, 2, 2]", "[2, 3, 3, 3]"}},
        {"conv2d_error_negative_padding", {"conv2d", "negative padding", "[-1, 0]"}},
        {"conv2d_error_bool_input", {"conv2d", "bool", "[1, 3, 5, 5]"}},
        {"conv2d_error_dtype_mismatch", {"conv2d", "float64", "float32"}},
        {"conv2d_error_bias_shape", {"conv2d", "bias", "[3]"}},
        {"conv2d_error_same_strided", {"conv2d", "same", "stride"}},
        {"conv_transpose2d_error_output_padding", {"conv_transpose2d", "output_padding", "[2, 0]"}},
    };
    for (const Expect& e : expects) {
        const Json* c = find_case(e.name);
        ASSERT_NE(c, nullptr) << e.name;
        const ConvCall call(*c);
        Tensor x = make_tensor(c->at("inputs").at(size_t{0}));
        Tensor w = make_tensor(c->at("inputs").at(size_t{1}));
        Tensor b = c->at("inputs").at(size_t{2}).is_null() ? Tensor() : make_tensor(c->at("inputs").at(size_t{2}));
        cmp_tensor raw = nullptr;
        const bool transposed = c->at("op").as_string() == "conv_transpose";
        EXPECT_NE(call.forward(transposed, x.get(), w.get(), b.get(), &raw), CMP_STATUS_OK) << e.name;
        EXPECT_EQ(raw, nullptr);
        const std::string msg = cmp_last_error();
        for (const std::string& part : e.parts) {
            EXPECT_NE(msg.find(part), std::string::npos) << e.name << ": " << msg;
        }
    }
}

// Arguments only a C caller can get wrong.
TEST(NNConv, RejectsBadAbiArguments) {
    const Json* c = find_case("conv2d_basic");
    ASSERT_NE(c, nullptr);
    const ConvCall call(*c);
    Tensor x = make_tensor(c->at("inputs").at(size_t{0}));
    Tensor w = make_tensor(c->at("inputs").at(size_t{1}));
    cmp_tensor raw = nullptr;
    EXPECT_EQ(cmp_conv(x.get(), w.get(), nullptr, 4, call.stride.data(), call.pad(), call.mode, call.dilation.data(), 1,
                       &raw),
              CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("nspatial"), std::string::npos);
    EXPECT_EQ(cmp_conv(x.get(), w.get(), nullptr, 2, call.stride.data(), call.pad(), 7, call.dilation.data(), 1, &raw),
              CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_conv(x.get(), w.get(), nullptr, 2, nullptr, call.pad(), call.mode, call.dilation.data(), 1, &raw),
              CMP_STATUS_INVALID_ARGUMENT);
    cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
    Tensor gy = make_tensor(c->at("grad_output"));
    EXPECT_EQ(cmp_conv_backward(gy.get(), x.get(), w.get(), 2, call.stride.data(), call.pad(), call.mode,
                                call.dilation.data(), 1, 8, &gi, &gw, &gb),
              CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_conv_backward(x.get(), x.get(), w.get(), 2, call.stride.data(), call.pad(), call.mode,
                                call.dilation.data(), 1, CMP_CONV_GRAD_INPUT, &gi, &gw, &gb),
              CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(std::string(cmp_last_error()).find("grad_output"), std::string::npos);
    EXPECT_EQ(cmp_conv_backward(gy.get(), x.get(), w.get(), 2, call.stride.data(), call.pad(), call.mode,
                                call.dilation.data(), 1, CMP_CONV_GRAD_INPUT, nullptr, &gw, &gb),
              CMP_STATUS_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace cmp::reference
