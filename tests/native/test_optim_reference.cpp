// The fused optimizer steps (cmp_sgd_step, cmp_adam_step, cmp_rmsprop_step, cmp_adagrad_step)
// against torch.optim 1.13 (fixture optim.json, written by tests/reference/gen_optim.py), through
// the public C ABI only. The test keeps each parameter's state as torch.optim does (buffers of
// zeros created at the first step, Adagrad's sum filled with initial_accumulator_value, step
// counts) and compares every parameter after every step. Tolerance: the fixture's per-element
// "bound" (derivation in gen_optim.py: rounding of both libraries around the exact trajectory).
#include "fixture.h"

#include <map>
#include <string>
#include <vector>

namespace cmp::reference {
namespace {

// An option from the group, else the constructor's defaults, else torch's default.
struct Options {
    const Json& defaults;
    const Json& group;
    double num(const char* key, double fallback) const {
        if (group.has(key)) return group.at(key).as_double();
        return defaults.has(key) ? defaults.at(key).as_double() : fallback;
    }
    bool flag(const char* key) const {
        if (group.has(key)) return group.at(key).as_bool();
        return defaults.has(key) && defaults.at(key).as_bool();
    }
    double beta(int i, double fallback) const {
        const Json* b = group.has("betas") ? &group.at("betas") : defaults.has("betas") ? &defaults.at("betas") : nullptr;
        return b ? b->at(static_cast<size_t>(i)).as_double() : fallback;
    }
};

Tensor filled(cmp_tensor like, double value) {
    const std::vector<int64_t> sizes = sizes_of(like);
    cmp_scalar s{};
    s.kind = CMP_SCALAR_FLOAT;
    s.f = value;
    cmp_tensor out = nullptr;
    check(cmp_full(sizes.data(), static_cast<int64_t>(sizes.size()), s, dtype_of(like), cmp_device{CMP_DEVICE_CPU, 0}, &out), "cmp_full");
    return Tensor(out);
}

// One parameter's optimizer state.
struct State {
    std::map<std::string, Tensor> buffers;
    int64_t step = 0;
    cmp_tensor get(const std::string& key) const {
        auto it = buffers.find(key);
        return it == buffers.end() ? nullptr : it->second.get();
    }
    // The buffer, created with `value` everywhere when missing; returns whether it was created.
    bool ensure(const std::string& key, cmp_tensor like, double value = 0.0) {
        if (buffers.count(key)) return false;
        buffers[key] = filled(like, value);
        return true;
    }
};

void step_param(const std::string& opt, const Options& o, cmp_tensor p, cmp_tensor g, State& s) {
    const double lr = o.num("lr", opt == "sgd" ? 0.0 : opt == "adam" || opt == "adamw" ? 1e-3 : 1e-2);
    const int maximize = o.flag("maximize") ? 1 : 0;
    if (opt == "sgd") {
        const double momentum = o.num("momentum", 0);
        bool init = false;
        if (momentum != 0) init = s.ensure("momentum_buffer", p);
        check(cmp_sgd_step(p, g, s.get("momentum_buffer"), lr, momentum, o.num("dampening", 0), o.num("weight_decay", 0),
                           o.flag("nesterov") ? 1 : 0, maximize, init ? 1 : 0),
              "cmp_sgd_step");
    } else if (opt == "adam" || opt == "adamw") {
        const bool amsgrad = o.flag("amsgrad");
        s.ensure("exp_avg", p);
        s.ensure("exp_avg_sq", p);
        if (amsgrad) s.ensure("max_exp_avg_sq", p);
        check(cmp_adam_step(p, g, s.get("exp_avg"), s.get("exp_avg_sq"), s.get("max_exp_avg_sq"), ++s.step, lr, o.beta(0, 0.9),
                            o.beta(1, 0.999), o.num("eps", 1e-8), o.num("weight_decay", opt == "adamw" ? 1e-2 : 0.0),
                            opt == "adamw" ? 1 : 0, maximize),
              "cmp_adam_step");
    } else if (opt == "rmsprop") {
        const double momentum = o.num("momentum", 0);
        s.ensure("square_avg", p);
        if (o.flag("centered")) s.ensure("grad_avg", p);
        if (momentum > 0) s.ensure("momentum_buffer", p);
        check(cmp_rmsprop_step(p, g, s.get("square_avg"), s.get("grad_avg"), s.get("momentum_buffer"), lr, o.num("alpha", 0.99),
                               o.num("eps", 1e-8), o.num("weight_decay", 0), momentum, maximize),
              "cmp_rmsprop_step");
    } else if (opt == "adagrad") {
        s.ensure("sum", p, o.num("initial_accumulator_value", 0));
        check(cmp_adagrad_step(p, g, s.get("sum"), ++s.step, lr, o.num("lr_decay", 0), o.num("weight_decay", 0),
                               o.num("eps", 1e-10), maximize),
              "cmp_adagrad_step");
    } else {
        FAIL() << "unknown optimizer " << opt;
    }
}

std::vector<const Json*> optimizer_cases() {
    std::vector<const Json*> out;
    for (const Json* c : fixture_cases("optim.json")) {
        if (c->at("kind").as_string() == "optimizer") out.push_back(c);
    }
    return out;
}

class ReferenceOptim : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceOptim, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string opt = c.at("optimizer").as_string();
    std::vector<Tensor> params;
    for (const Json& p : c.at("params").items()) params.push_back(make_tensor(p));
    std::vector<const Json*> group_of(params.size(), nullptr);
    for (const Json& g : c.at("groups").items()) {
        for (const Json& i : g.at("params").items()) group_of[static_cast<size_t>(i.as_int())] = &g.at("options");
    }
    std::vector<State> states(params.size());
    const Json& steps = c.at("steps");
    for (size_t k = 0; k < steps.size(); ++k) {
        for (size_t i = 0; i < params.size(); ++i) {
            Tensor grad = make_tensor(c.at("grads").at(k).at(i));
            step_param(opt, Options{c.at("defaults"), *group_of[i]}, params[i].get(), grad.get(), states[i]);
            if (HasFatalFailure()) return;
        }
        for (size_t i = 0; i < params.size(); ++i) {
            Tolerance t;
            t.bound_scale = 1.0;
            t.abs_bound = &steps.at(k).at("bound").at(i);
            EXPECT_TRUE(tensor_matches(params[i].get(), steps.at(k).at("expected").at(i), t))
                << "parameter " << i << " after step " << k + 1;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceOptim, ::testing::ValuesIn(optimizer_cases()), case_name);

}  // namespace
}  // namespace cmp::reference
