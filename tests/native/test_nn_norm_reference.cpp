// softmax, log_softmax, layer_norm, rms_norm, batch_norm, group_norm and embedding, forward and
// backward, against PyTorch (fixture nn_norm.json, written by tests/reference/gen_nn_norm.py),
// through the public C ABI only. The backward kernels get the statistics our own forward saved
// and are compared with PyTorch's autograd gradients.
//
// Tolerance (derived in gen_nn_norm.py): each rounded result carries abs_bound and count, and may
// differ from PyTorch by count * eps * abs_bound, eps being the unit roundoff of the computation
// dtype (float32 for 16-bit inputs); 16-bit outputs are rounded once from float32 by both
// libraries, so two close float32 values may land one ulp apart. Results without a bound (copies,
// running statistics in evaluation) are exact.
#include "fixture.h"

#include <map>
#include <optional>
#include <string>

namespace cmp::reference {
namespace {

class Results {
public:
    // Takes ownership of a handle produced by the library.
    void put(const std::string& key, cmp_tensor t) { items_[key] = Tensor(t); }
    cmp_tensor get(const std::string& key) const {
        auto it = items_.find(key);
        return it == items_.end() ? nullptr : it->second.get();
    }
    const std::map<std::string, Tensor>& items() const { return items_; }

private:
    std::map<std::string, Tensor> items_;
};

Tolerance tolerance_for(const Json& c, const std::string& key, cmp_dtype out) {
    if (!dtype_is_floating(out) || !c.has("abs_bound") || !c.at("abs_bound").has(key)) return Tolerance::exact();
    Tolerance t;
    const cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").at(key).as_int()) * dtype_epsilon(acc);
    t.abs_bound = &c.at("abs_bound").at(key);
    t.ulps = out == CMP_DTYPE_BFLOAT16 || out == CMP_DTYPE_FLOAT16 ? 1 : 0;
    return t;
}

std::vector<int64_t> ints(const Json& j) {
    std::vector<int64_t> v;
    for (const Json& e : j.items()) v.push_back(e.as_int());
    return v;
}

struct Call {
    const Json& c;
    const Json& args;
    std::map<std::string, Tensor> in;
    Tensor grad_output;
    Results out;

    explicit Call(const Json& cs) : c(cs), args(cs.at("args")) {
        for (const auto& name : {"input", "weight", "bias", "running_mean", "running_var", "indices"}) {
            if (c.at("inputs").has(name)) in[name] = make_tensor(c.at("inputs").at(name));
        }
        if (c.has("grad_output")) grad_output = make_tensor(c.at("grad_output"));
    }
    cmp_tensor arg(const char* name) const {
        auto it = in.find(name);
        return it == in.end() ? nullptr : it->second.get();
    }
    bool backward() const { return grad_output != nullptr; }

    // Runs the case's forward (and backward, when the fixture has a grad_output); returns the
    // first failing status.
    cmp_status run() {
        const std::string op = c.at("op").as_string();
        if (op == "softmax" || op == "log_softmax") return softmax(op == "log_softmax");
        if (op == "layer_norm") return layer_norm();
        if (op == "rms_norm") return rms_norm();
        if (op == "batch_norm") return batch_norm();
        if (op == "group_norm") return group_norm();
        if (op == "embedding" || op == "embedding_backward") return embedding(op == "embedding_backward");
        throw std::runtime_error("unknown op " + op);
    }

    cmp_status softmax(bool log) {
        const int64_t dim = args.at("dim").as_int();
        std::optional<cmp_dtype> dtype;
        if (!args.at("dtype").is_null()) dtype = dtype_from_name(args.at("dtype").as_string());
        cmp_tensor y = nullptr;
        const cmp_dtype* dp = dtype ? &*dtype : nullptr;
        cmp_status s = log ? cmp_log_softmax(arg("input"), dim, dp, &y) : cmp_softmax(arg("input"), dim, dp, &y);
        if (s != CMP_STATUS_OK) return s;
        out.put("out", y);
        if (!backward()) return s;
        cmp_tensor gi = nullptr;
        s = log ? cmp_log_softmax_backward(grad_output.get(), y, dim, &gi) : cmp_softmax_backward(grad_output.get(), y, dim, &gi);
        if (s != CMP_STATUS_OK) return s;
        out.put("grad_input", gi);
        if (dtype) {
            // With dtype=, PyTorch's input gradient also passes back through the conversion of
            // the input (autograd's cast node): cast the kernel's gradient the same way.
            cmp_tensor cast = nullptr;
            s = cmp_to_dtype(gi, dtype_of(arg("input")), &cast);
            if (s == CMP_STATUS_OK) out.put("grad_input", cast);
        }
        return s;
    }

    cmp_status layer_norm() {
        const std::vector<int64_t> ns = ints(args.at("normalized_shape"));
        cmp_tensor y = nullptr, mean = nullptr, rstd = nullptr;
        cmp_status s = cmp_layer_norm(arg("input"), ns.data(), static_cast<int64_t>(ns.size()), arg("weight"), arg("bias"),
                                      args.at("eps").as_double(), &y, &mean, &rstd);
        if (s != CMP_STATUS_OK) return s;
        out.put("out", y);
        out.put("mean", mean);
        out.put("rstd", rstd);
        if (!backward()) return s;
        cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
        s = cmp_layer_norm_backward(grad_output.get(), arg("input"), ns.data(), static_cast<int64_t>(ns.size()), mean, rstd,
                                    arg("weight"), &gi, &gw, &gb);
        if (s != CMP_STATUS_OK) return s;
        out.put("grad_input", gi);
        out.put("grad_weight", gw);
        out.put("grad_bias", gb);
        return s;
    }

    cmp_status rms_norm() {
        const std::vector<int64_t> ns = ints(args.at("normalized_shape"));
        std::optional<double> eps;
        if (!args.at("eps").is_null()) eps = args.at("eps").as_double();
        cmp_tensor y = nullptr, rstd = nullptr;
        cmp_status s = cmp_rms_norm(arg("input"), ns.data(), static_cast<int64_t>(ns.size()), arg("weight"),
                                    eps ? &*eps : nullptr, &y, &rstd);
        if (s != CMP_STATUS_OK) return s;
        out.put("out", y);
        out.put("rstd", rstd);
        if (!backward()) return s;
        cmp_tensor gi = nullptr, gw = nullptr;
        s = cmp_rms_norm_backward(grad_output.get(), arg("input"), ns.data(), static_cast<int64_t>(ns.size()), rstd,
                                  arg("weight"), &gi, &gw);
        if (s != CMP_STATUS_OK) return s;
        out.put("grad_input", gi);
        out.put("grad_weight", gw);
        return s;
    }

    cmp_status batch_norm() {
        const int32_t training = args.at("training").as_bool() ? 1 : 0;
        cmp_tensor y = nullptr, mean = nullptr, invstd = nullptr;
        cmp_status s = cmp_batch_norm(arg("input"), arg("weight"), arg("bias"), arg("running_mean"), arg("running_var"),
                                      training, args.at("momentum").as_double(), args.at("eps").as_double(), &y, &mean,
                                      &invstd);
        if (s != CMP_STATUS_OK) return s;
        out.put("out", y);
        out.put("mean", mean);
        out.put("rstd", invstd);
        if (!backward()) return s;
        cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
        s = cmp_batch_norm_backward(grad_output.get(), arg("input"), arg("weight"), mean, invstd, training, &gi, &gw, &gb);
        if (s != CMP_STATUS_OK) return s;
        out.put("grad_input", gi);
        out.put("grad_weight", gw);
        out.put("grad_bias", gb);
        return s;
    }

    cmp_status group_norm() {
        const int64_t groups = args.at("num_groups").as_int();
        cmp_tensor y = nullptr, mean = nullptr, rstd = nullptr;
        cmp_status s = cmp_group_norm(arg("input"), groups, arg("weight"), arg("bias"), args.at("eps").as_double(), &y,
                                      &mean, &rstd);
        if (s != CMP_STATUS_OK) return s;
        out.put("out", y);
        out.put("mean", mean);
        out.put("rstd", rstd);
        if (!backward()) return s;
        cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
        s = cmp_group_norm_backward(grad_output.get(), arg("input"), groups, mean, rstd, arg("weight"), &gi, &gw, &gb);
        if (s != CMP_STATUS_OK) return s;
        out.put("grad_input", gi);
        out.put("grad_weight", gw);
        out.put("grad_bias", gb);
        return s;
    }

    // embedding: the weight is "weight"; embedding_backward: the weight is "input" and PyTorch's
    // gradient of it is "grad_input".
    cmp_status embedding(bool grad) {
        cmp_tensor weight = grad ? arg("input") : arg("weight");
        const bool has_pad = !args.at("padding_idx").is_null();
        const int64_t pad = has_pad ? args.at("padding_idx").as_int() : 0;
        std::optional<double> max_norm;
        if (!args.at("max_norm").is_null()) max_norm = args.at("max_norm").as_double();
        cmp_tensor y = nullptr;
        cmp_status s = cmp_embedding(weight, arg("indices"), pad, has_pad ? 1 : 0, max_norm ? &*max_norm : nullptr,
                                     args.at("norm_type").as_double(), &y);
        if (s != CMP_STATUS_OK) return s;
        out.put("out", y);
        if (max_norm) {
            cmp_tensor_retain(weight);
            out.put("weight_after", weight);
        }
        if (!grad) return s;
        const int64_t num = sizes_of(weight).at(0);
        cmp_tensor gw = nullptr;
        s = cmp_embedding_backward(grad_output.get(), arg("indices"), num, pad, has_pad ? 1 : 0,
                                   args.at("scale_grad_by_freq").as_bool() ? 1 : 0, &gw);
        if (s == CMP_STATUS_OK) out.put("grad_input", gw);
        return s;
    }
};

// Results compared under the names the fixture uses (running statistics are the tensors the
// op updated in place).
cmp_tensor result_for(const Call& call, const std::string& key) {
    if (key == "running_mean" || key == "running_var") return call.arg(key.c_str());
    return call.out.get(key);
}

class ReferenceNNNorm : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceNNNorm, MatchesTorch) {
    const Json& c = *GetParam();
    Call call(c);
    const cmp_status status = call.run();
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, c.at("op").as_string().c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    for (const std::string key : {"out", "mean", "rstd", "running_mean", "running_var", "grad_input", "grad_weight",
                                   "grad_bias", "weight_after"}) {
        if (!c.at("expected").has(key)) continue;
        const Json& expected = c.at("expected").at(key);
        cmp_tensor actual = result_for(call, key);
        ASSERT_NE(actual, nullptr) << "no result named " << key;
        EXPECT_TRUE(tensor_matches(actual, expected, tolerance_for(c, key, dtype_from_name(expected.at("dtype").as_string()))))
            << "result " << key;
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceNNNorm, ::testing::ValuesIn(fixture_cases("nn_norm.json")), case_name);

}  // namespace
}  // namespace cmp::reference
