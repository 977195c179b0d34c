using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Tensor.Cat/Stack, Split/Chunk/Unbind, Flip/Roll/Repeat/Tile, Tril/Triu, Diagonal/Diag
/// against the PyTorch fixture shape_ops.json (shared with the native tests), plus the C#-only
/// behaviour: argument checks and views that write through.
/// </summary>
public class ShapeOpsTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("shape_ops.json", "ShapeOps");

    private static Tensor[] Call(string op, Tensor[] x, JsonElement a)
    {
        long I(string name) => a.GetProperty(name).GetInt64();
        long[] L(string name) => ReferenceFixture.Longs(a.GetProperty(name));
        return op switch
        {
            "cat" => [Tensor.Cat(x, I("dim"))],
            "stack" => [Tensor.Stack(x, I("dim"))],
            "split" => x[0].Split(I("split_size"), I("dim")),
            "split_with_sizes" => x[0].Split(L("sizes"), I("dim")),
            "chunk" => x[0].Chunk(I("chunks"), I("dim")),
            "unbind" => x[0].Unbind(I("dim")),
            "flip" => [x[0].Flip(L("dims"))],
            "roll" => [x[0].Roll(L("shifts"), L("dims"))],
            "repeat" => [x[0].Repeat(L("repeats"))],
            "tile" => [x[0].Tile(L("reps"))],
            "tril" => [x[0].Tril(I("diagonal"))],
            "triu" => [x[0].Triu(I("diagonal"))],
            "diagonal" => [x[0].Diagonal(I("offset"), I("dim1"), I("dim2"))],
            "diag" => [x[0].Diag(I("diagonal"))],
            _ => throw new FormatException($"fixture op {op}"),
        };
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor[] inputs = c.GetProperty("inputs").EnumerateArray().Select(j => bag.Add(ReferenceFixture.Build(j))).ToArray();
        string op = c.GetProperty("op").GetString()!;
        JsonElement args = c.GetProperty("args");
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => { foreach (Tensor t in Call(op, inputs, args)) bag.Add(t); }, c);
            return;
        }
        Tensor[] results = Call(op, inputs, args);
        foreach (Tensor t in results) bag.Add(t);
        JsonElement[] expected = c.GetProperty("expected").EnumerateArray().ToArray();
        Assert.That(results.Length, Is.EqualTo(expected.Length), "number of results");
        for (int i = 0; i < expected.Length; i++)
        {
            ReferenceFixture.AssertMatches(results[i], expected[i], Tolerance.Exact);
        }
    }

    [Test]
    public void CatAcceptsACollectionExpressionAndPromotes()
    {
        using Tensor a = Tensor.From(new[] { 1, 2 });
        using Tensor b = Tensor.From(new[] { 0.5 });
        using Tensor r = Tensor.Cat([a, b], 0);
        Assert.That(r.DType, Is.EqualTo(DType.Float64));
        Assert.That(r.ToArray<double>(), Is.EqualTo(new[] { 1.0, 2.0, 0.5 }));
    }

    [Test]
    public void CatRejectsNullAndDisposedTensors()
    {
        using Tensor a = Tensor.From(new[] { 1f });
        Assert.Throws<ArgumentNullException>(() => Tensor.Cat(null!));
        var e = Assert.Throws<ArgumentNullException>(() => Tensor.Cat([a, null!]));
        Assert.That(e!.Message, Does.Contain("tensors[1]"));
        Tensor gone = Tensor.From(new[] { 2f });
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Tensor.Stack([a, gone]));
        Assert.That(Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Tensor.Cat(Array.Empty<Tensor>()))!.Message,
                    Does.Contain("non-empty"));
    }

    [Test]
    public void SplitChunkUnbindAndDiagonalAreViewsThatWriteThrough()
    {
        using Tensor x = Tensor.Zeros(4, 4);
        Tensor[] pieces = x.Split(2, 1);
        Tensor[] chunks = x.Chunk(2, 0);
        Tensor[] rows = x.Unbind(0);
        using Tensor diag = x.Diagonal();
        try
        {
            pieces[1].Fill(1f);
            rows[0].Fill(2f);
            using (Tensor row2 = chunks[1].Select(0, 0)) row2.Fill(3f);
            diag.Fill(9f);
            Assert.That(x.ToArray<float>(), Is.EqualTo(new float[]
            {
                9, 2, 2, 2,
                0, 9, 1, 1,
                3, 3, 9, 3,
                0, 0, 1, 9,
            }));
        }
        finally
        {
            foreach (Tensor t in pieces.Concat(chunks).Concat(rows)) t.Dispose();
        }
    }
}
