using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The tolerances of tests/native/test_unary_math.cpp, where each is derived: exact for
/// single-operation ops, 2 ulps (1 for 16-bit results) for libm-class functions, plus
/// 8 eps of "abs_bound" for results that cancel.
/// </summary>
internal static class UnaryMathTolerance
{
    private static readonly HashSet<string> Exact = new()
    {
        "abs", "sign", "square", "sqrt", "floor", "ceil", "trunc", "round", "frac", "reciprocal", "relu", "relu6",
        "hardtanh", "leaky_relu", "isnan", "isinf", "isfinite", "logical_not", "bitwise_not", "nan_to_num", "clamp",
        "clamp_tensor", "clamp_min_tensor", "clamp_max_tensor", "hardsigmoid", "hardswish",
    };

    internal static Tolerance For(JsonElement c, string op, DType outType)
    {
        bool half = outType is DType.Float16 or DType.BFloat16;
        if (Exact.Contains(op) || !outType.IsFloatingPoint()) return Tolerance.Exact;
        long ulps = op == "rsqrt" ? (half ? 1 : 0) : (half ? 1 : 2);
        if (c.TryGetProperty("abs_bound", out JsonElement bound))
        {
            double eps = ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32);
            return new Tolerance(ulps, 8 * eps, bound);
        }
        return new Tolerance(Ulps: ulps);
    }
}
