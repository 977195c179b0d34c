using System.Text.Json;
using Compute;
using Compute.Optim;
using Compute.Tests.Reference;

namespace Compute.Tests.Optim;

/// <summary>Builds optimizers and schedulers from the optim.json fixture (tests/reference/gen_optim.py).</summary>
internal static class OptimFixture
{
    internal static IEnumerable<TestCaseData> Cases(string kind, string prefix) =>
        ReferenceFixture.Cases("optim.json", prefix).Where(tc => ((JsonElement)tc.Arguments[0]!).GetProperty("kind").GetString() == kind);

    /// <summary>A JSON option as a ParamGroup value: number, bool or pair.</summary>
    internal static object OptionValue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => v.EnumerateArray().Select(e => e.GetDouble()).ToArray(),
        _ => v.GetDouble(),
    };

    internal static Dictionary<string, object> Options(JsonElement o) =>
        o.EnumerateObject().ToDictionary(p => p.Name, p => OptionValue(p.Value));

    /// <summary>The case's optimizer over <paramref name="parameters"/>, with its groups and constructor defaults.</summary>
    internal static Optimizer BuildOptimizer(JsonElement c, IReadOnlyList<Tensor> parameters)
    {
        var groups = c.GetProperty("groups").EnumerateArray()
            .Select(g => new ParamGroup(g.GetProperty("params").EnumerateArray().Select(i => parameters[i.GetInt32()]),
                Options(g.GetProperty("options"))))
            .ToList();
        JsonElement d = c.GetProperty("defaults");
        double D(string key, double fallback) => d.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        bool B(string key) => d.TryGetProperty(key, out var v) && v.GetBoolean();
        (double, double)? Betas() => d.TryGetProperty("betas", out var v) ? (v[0].GetDouble(), v[1].GetDouble()) : null;
        return c.GetProperty("optimizer").GetString() switch
        {
            "sgd" => new SGD(groups, lr: D("lr", double.NaN), momentum: D("momentum", 0), dampening: D("dampening", 0),
                weightDecay: D("weight_decay", 0), nesterov: B("nesterov"), maximize: B("maximize")),
            "adam" => new Adam(groups, lr: D("lr", 1e-3), betas: Betas(), eps: D("eps", 1e-8), weightDecay: D("weight_decay", 0),
                amsgrad: B("amsgrad"), maximize: B("maximize")),
            "adamw" => new AdamW(groups, lr: D("lr", 1e-3), betas: Betas(), eps: D("eps", 1e-8), weightDecay: D("weight_decay", 1e-2),
                amsgrad: B("amsgrad"), maximize: B("maximize")),
            "rmsprop" => new RMSprop(groups, lr: D("lr", 1e-2), alpha: D("alpha", 0.99), eps: D("eps", 1e-8),
                weightDecay: D("weight_decay", 0), momentum: D("momentum", 0), centered: B("centered"), maximize: B("maximize")),
            "adagrad" => new Adagrad(groups, lr: D("lr", 1e-2), lrDecay: D("lr_decay", 0), weightDecay: D("weight_decay", 0),
                initialAccumulatorValue: D("initial_accumulator_value", 0), eps: D("eps", 1e-10), maximize: B("maximize")),
            var name => throw new ArgumentException($"fixture names unknown optimizer {name}"),
        };
    }

    /// <summary>The scheduler tests' optimizer: one zeros(2) parameter per group, SGD with momentum 0.9 or Adam.</summary>
    internal static Optimizer BuildSchedulerOptimizer(JsonElement c)
    {
        double[] lrs = c.GetProperty("group_lrs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var groups = lrs.Select(lr => new ParamGroup([Tensor.Zeros(2).RequiresGradInPlace()], new Dictionary<string, object> { ["lr"] = lr })).ToList();
        return c.GetProperty("optimizer").GetString() == "sgd" ? new SGD(groups, lr: lrs[0], momentum: 0.9) : new Adam(groups, lr: lrs[0]);
    }

    /// <summary>The LambdaLR functions the fixture names (the same formulas as gen_optim.py's LAMBDAS).</summary>
    private static Func<long, double> Lambda(string name) => name switch
    {
        "warmup_then_decay" => e => e < 3 ? (e + 1) / 4.0 : Math.Pow(0.9, e - 3),
        "inverse_sqrt" => e => 1.0 / Math.Pow(1.0 + e, 0.5),
        _ => throw new ArgumentException($"fixture names unknown lambda {name}"),
    };

    internal static LRScheduler BuildScheduler(string name, JsonElement o, Optimizer opt)
    {
        double D(string key, double fallback) => o.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        long L(string key, long fallback) => o.TryGetProperty(key, out var v) ? v.GetInt64() : fallback;
        long? NL(string key) => o.TryGetProperty(key, out var v) ? v.GetInt64() : null;
        bool B(string key, bool fallback) => o.TryGetProperty(key, out var v) ? v.GetBoolean() : fallback;
        string S(string key, string fallback) => o.TryGetProperty(key, out var v) ? v.GetString()! : fallback;
        long[] Ls(string key) => o.GetProperty(key).EnumerateArray().Select(e => e.GetInt64()).ToArray();
        return name switch
        {
            "StepLR" => new StepLR(opt, L("step_size", 0), D("gamma", 0.1)),
            "MultiStepLR" => new MultiStepLR(opt, Ls("milestones"), D("gamma", 0.1)),
            "ExponentialLR" => new ExponentialLR(opt, D("gamma", double.NaN)),
            "CosineAnnealingLR" => new CosineAnnealingLR(opt, L("T_max", 0), D("eta_min", 0)),
            "CosineAnnealingWarmRestarts" => new CosineAnnealingWarmRestarts(opt, L("T_0", 0), L("T_mult", 1), D("eta_min", 0)),
            "OneCycleLR" => new OneCycleLR(opt, D("max_lr", double.NaN), NL("total_steps"), NL("epochs"), NL("steps_per_epoch"),
                D("pct_start", 0.3), S("anneal_strategy", "cos"), B("cycle_momentum", true), D("base_momentum", 0.85),
                D("max_momentum", 0.95), D("div_factor", 25.0), D("final_div_factor", 1e4), B("three_phase", false)),
            "LinearLR" => new LinearLR(opt, D("start_factor", 1.0 / 3), D("end_factor", 1.0), L("total_iters", 5)),
            "LambdaLR" => new LambdaLR(opt, Lambda(S("lr_lambda", ""))),
            "SequentialLR" => new SequentialLR(opt,
                o.GetProperty("schedulers").EnumerateArray()
                    .Select(s => BuildScheduler(s.GetProperty("scheduler").GetString()!, s.GetProperty("options"), opt)).ToList(),
                Ls("milestones")),
            _ => throw new ArgumentException($"fixture names unknown scheduler {name}"),
        };
    }

    internal static ReduceLROnPlateau BuildPlateau(JsonElement o, Optimizer opt)
    {
        double D(string key, double fallback) => o.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        long L(string key, long fallback) => o.TryGetProperty(key, out var v) ? v.GetInt64() : fallback;
        string S(string key, string fallback) => o.TryGetProperty(key, out var v) ? v.GetString()! : fallback;
        bool perGroup = o.TryGetProperty("min_lr", out var m) && m.ValueKind == JsonValueKind.Array;
        return new ReduceLROnPlateau(opt, S("mode", "min"), D("factor", 0.1), L("patience", 10), D("threshold", 1e-4),
            S("threshold_mode", "rel"), L("cooldown", 0), perGroup ? 0 : D("min_lr", 0), D("eps", 1e-8),
            perGroup ? m.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null);
    }
}
