using System.Text.Json;
using Compute;

namespace Compute.Tests;

/// <summary>Tensor.ToString() against the text PyTorch prints (Fixtures/format_cases.json).</summary>
public class FormatTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        FixtureTensors.Cases("format_cases.json").Select(c => new TestCaseData(c).SetName("ToString: " + c.GetProperty("name").GetString()));

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(JsonElement testCase)
    {
        using Tensor t = FixtureTensors.Build(testCase);
        Assert.That(t.ToString(), Is.EqualTo(testCase.GetProperty("expected").GetString()));
    }

    [Test]
    public void NonContiguousViewPrintsItsOwnElements()
    {
        using Tensor t = Tensor.Arange(6).Reshape(2, 3);
        using Tensor transposed = t.Transpose(0, 1);
        using Tensor reference = transposed.Contiguous();
        Assert.That(transposed.ToString(), Is.EqualTo(reference.ToString()));
        Assert.That(transposed.IsContiguous, Is.False);
    }

    [Test]
    public void DisposedTensorPrintsWithoutThrowing()
    {
        Tensor t = Tensor.Ones(2);
        t.Dispose();
        Assert.That(t.ToString(), Is.EqualTo("tensor(<disposed>)"));
    }
}
