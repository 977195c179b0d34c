using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Gather/Scatter/ScatterAdd/ScatterReduce/IndexSelect/IndexAdd/MaskedSelect/Nonzero against
/// the PyTorch fixture indexing.json (shared with the native tests), plus the C#-only parts:
/// the reduce strings and the in-place forms.
/// </summary>
public class IndexingOpsTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("indexing.json", "Indexing");

    private static readonly Dictionary<long, string> ScatterNames = new() { [0] = null!, [1] = "add", [2] = "multiply" };
    private static readonly string[] ReduceNames = ["none", "sum", "prod", "mean", "amax", "amin"];

    // Advanced-index entries: "t" takes the next input after self, null a whole dim.
    private static Tensor?[] Layout(Tensor[] x, JsonElement a)
    {
        int next = 1;
        return a.GetProperty("layout").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : x[next++]).ToArray();
    }

    private static Tensor Call(string op, Tensor[] x, JsonElement a)
    {
        long dim = a.TryGetProperty("dim", out JsonElement d) ? d.GetInt64() : 0;
        long code = a.TryGetProperty("reduce_code", out JsonElement r) ? r.GetInt64() : 0;
        return op switch
        {
            "gather" => x[0].Gather(dim, x[1]),
            "scatter" => x[0].Scatter(dim, x[1], x[2], ScatterNames[code]),
            "scatter_value" => x[0].Scatter(dim, x[1], ReferenceFixture.Scalar(a.GetProperty("value")), ScatterNames[code]),
            "scatter_add" => x[0].ScatterAdd(dim, x[1], x[2]),
            "scatter_reduce" => x[0].ScatterReduce(dim, x[1], x[2], ReduceNames[code], a.GetProperty("include_self").GetBoolean()),
            "index_select" => x[0].IndexSelect(dim, x[1]),
            "index_add" => x[0].IndexAdd(dim, x[1], x[2], ReferenceFixture.Scalar(a.GetProperty("alpha"))),
            "index" => x[0][Layout(x, a).Select(t => t is null ? TensorIndex.Slice() : (TensorIndex)t).ToArray()],
            "index_put" => x[0].IndexPut(Layout(x, a), x[^1], a.GetProperty("accumulate").GetBoolean()),
            _ => throw new FormatException($"fixture op {op}"),
        };
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor[] x = c.GetProperty("inputs").EnumerateArray().Select(j => bag.Add(ReferenceFixture.Build(j))).ToArray();
        string op = c.GetProperty("op").GetString()!;
        JsonElement args = c.GetProperty("args");
        Func<Tensor> run = op switch
        {
            "masked_select" => () => x[0].MaskedSelect(x[1]),
            "nonzero" => () => x[0].Nonzero(),
            _ => () => Call(op, x, args),
        };
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(run()), c);
            return;
        }
        ReferenceFixture.AssertMatches(bag.Add(run()), c.GetProperty("expected"), Tolerance.Exact);
    }

    [Test]
    public void IndexerMixesTensorsWithSlicesIntegersAndNewAxis()
    {
        using Tensor x = Tensor.Arange(24).Reshape(2, 3, 4);
        using Tensor rows = Tensor.From(new long[] { 2, 0 });
        using Tensor cols = Tensor.From(new long[] { 3, -1 });
        // x[1, rows, 1:3] in PyTorch: the select drops dim 0, the tensor picks rows.
        using Tensor a = x[1, rows, 1..3];
        Assert.That(a.Shape, Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(a.ToArray<long>(), Is.EqualTo(new long[] { 21, 22, 13, 14 }));
        // Non-adjacent tensors: their broadcast dim comes first, as in PyTorch.
        using Tensor b = x[rows[..1].Sub(Tensor.From(new long[] { 1 })), .., cols];
        Assert.That(b.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(b.ToArray<long>(), Is.EqualTo(new long[] { 15, 19, 23, 15, 19, 23 }));
        using Tensor mask = x.Gt(Tensor.From(20L));
        using Tensor c = x[mask];
        Assert.That(c.ToArray<long>(), Is.EqualTo(new long[] { 21, 22, 23 }));
    }

    [Test]
    public void IndexerSetterPutsConvertedValues()
    {
        using Tensor x = Tensor.Zeros(2, 3);
        using Tensor cols = Tensor.From(new long[] { 2, 0 });
        x[.., cols] = Tensor.From(new[] { 5L, 7L });
        using Tensor mask = x.Gt(Tensor.From(6.0));
        x[mask] = Tensor.From(-1.0);
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { -1f, 0f, 5f, -1f, 0f, 5f }));
    }

    [Test]
    public void IndexPutAccumulatesRepeatedIndices()
    {
        using Tensor x = Tensor.Zeros(3);
        using Tensor i = Tensor.From(new long[] { 1, 1, 2, 1 });
        using Tensor v = Tensor.Ones(4);
        using Tensor once = x.IndexPut([i], v);
        Assert.That(x.IndexPutInPlace([i], v, accumulate: true), Is.SameAs(x));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 0f, 3f, 1f }));
        Assert.That(once.ToArray<float>(), Is.EqualTo(new[] { 0f, 1f, 1f }));
        using Tensor bad = Tensor.From(new long[] { 3 });
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => x.IndexPutInPlace([bad], v[..1]));
        Assert.That(e!.Message, Does.Contain("index 3 is out of bounds for dimension 0 with size 3"));
    }

    [Test]
    public void UnknownReduceNamesAreRejected()
    {
        using Tensor x = Tensor.Zeros(3);
        using Tensor i = Tensor.From(new long[] { 0 });
        using Tensor s = Tensor.Ones(1);
        var e = Assert.Throws<ArgumentException>(() => x.Scatter(0, i, s, "sum"));
        Assert.That(e!.Message, Does.Contain("'add' or 'multiply'"));
        Assert.Throws<ArgumentException>(() => x.ScatterReduce(0, i, s, "add"));
    }

    [Test]
    public void InPlaceFormsReturnTheTensorAndWriteIntoIt()
    {
        using Tensor x = Tensor.Zeros(3);
        using Tensor i = Tensor.From(new long[] { 2, 2, 0 });
        using Tensor s = Tensor.From(new[] { 1f, 2f, 4f });
        Assert.That(x.ScatterAddInPlace(0, i, s), Is.SameAs(x));
        Assert.That(x.IndexAddInPlace(0, i, s, alpha: 2), Is.SameAs(x));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 12f, 0f, 9f }));
    }
}
