using System.Text.Json;
using Compute;
using Compute.NN;

namespace Compute.Tests;

/// <summary>
/// Functional.Pad (every mode) and its internal backward kernel against the pad and
/// pad_backward cases of sort_search.json (torch's F.pad results and autograd gradients).
/// </summary>
public class PadTests
{
    internal static PaddingMode Mode(JsonElement args) => args.GetProperty("mode").GetString() switch
    {
        "constant" => PaddingMode.Constant,
        "reflect" => PaddingMode.Reflect,
        "replicate" => PaddingMode.Replicate,
        "circular" => PaddingMode.Circular,
        var m => throw new FormatException($"pad mode {m}"),
    };

    private static IEnumerable<TestCaseData> Cases() => SortSearchTests.CasesOf("Pad", op => op == "pad" || op == "pad_backward");

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c) => SortSearchTests.RunCase(c);

    [Test]
    public void NonConstantModesTakeNoValue()
    {
        using Tensor x = Tensor.Zeros(1, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => Functional.Pad(x, new long[] { 1, 1 }, PaddingMode.Reflect, 2.0));
        Assert.That(e!.Message, Does.Contain("value"));
    }

    [Test]
    public void ReflectPadAsLargeAsTheDimIsRejected()
    {
        using Tensor x = Tensor.Zeros(1, 2, 3);
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.Pad(x, new long[] { 3, 0 }, PaddingMode.Reflect));
        Assert.That(e!.Message, Does.Contain("reflect").And.Contain("[1, 2, 3]"));
    }
}
