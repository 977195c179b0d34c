using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Sort/Argsort/Msort/Topk, RepeatInterleave, Searchsorted/Bucketize, Unique/UniqueConsecutive
/// and (in <see cref="PadTests"/>) Functional.Pad against the PyTorch fixture sort_search.json
/// (shared with the native tests), plus C#-only argument handling.
/// </summary>
public class SortSearchTests
{
    internal static IEnumerable<TestCaseData> CasesOf(string prefix, Func<string, bool> opFilter) =>
        ReferenceFixture.Cases("sort_search.json", prefix).Where(t => opFilter(((JsonElement)t.Arguments[0]!).GetProperty("op").GetString()!));

    private static IEnumerable<TestCaseData> Cases() => CasesOf("SortSearch", op => op != "pad" && op != "pad_backward");

    private static long? OptLong(JsonElement a, string name) =>
        a.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? e.GetInt64() : null;

    private static Tensor[] UniqueList((Tensor Values, Tensor? Inverse, Tensor? Counts) r) =>
        new[] { r.Values, r.Inverse, r.Counts }.Where(t => t is not null).Select(t => t!).ToArray();

    internal static Tensor[] Call(string op, Tensor[] x, JsonElement a)
    {
        long I(string name) => a.GetProperty(name).GetInt64();
        bool B(string name) => a.GetProperty(name).GetBoolean();
        switch (op)
        {
            case "sort":
            {
                var (v, i) = x[0].Sort(I("dim"), B("descending"), B("stable"));
                return [v, i];
            }
            case "argsort": return [x[0].Argsort(I("dim"), B("descending"))];
            case "msort": return [x[0].Msort()];
            case "topk":
            {
                var (v, i) = x[0].Topk(I("k"), I("dim"), B("largest"), B("sorted"));
                return [v, i];
            }
            case "pad":
                return [Functional.Pad(x[0], ReferenceFixture.Longs(a.GetProperty("pad")), PadTests.Mode(a), a.GetProperty("value").GetDouble())];
            case "pad_backward":
                return [Functional.PadBackward(x[1], x[0].Shape, ReferenceFixture.Longs(a.GetProperty("pad")), PadTests.Mode(a))];
            case "repeat_interleave":
                return [x.Length > 1
                    ? x[0].RepeatInterleave(x[1], OptLong(a, "dim"), OptLong(a, "output_size"))
                    : x[0].RepeatInterleave(I("repeats"), OptLong(a, "dim"), OptLong(a, "output_size"))];
            case "repeat_interleave_indices": return [Tensor.RepeatInterleaveIndices(x[0], OptLong(a, "output_size"))];
            case "searchsorted":
                return [a.TryGetProperty("scalar", out JsonElement s)
                    ? Tensor.Searchsorted(x[0], ReferenceFixture.Scalar(s), B("out_int32"), B("right"))
                    : Tensor.Searchsorted(x[0], x[1], B("out_int32"), B("right"), sorter: x.Length > 2 ? x[2] : null)];
            case "bucketize": return [Tensor.Bucketize(x[0], x[1], B("out_int32"), B("right"))];
            case "unique":
                return UniqueList(x[0].Unique(true, B("return_inverse"), B("return_counts"), OptLong(a, "dim")));
            case "unique_consecutive":
                return UniqueList(x[0].UniqueConsecutive(B("return_inverse"), B("return_counts"), OptLong(a, "dim")));
            default: throw new FormatException($"fixture op {op}");
        }
    }

    internal static void RunCase(JsonElement c)
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
        if (c.TryGetProperty("indices_exact", out _))
        {
            AssertTopkLoose(c, inputs[0], results, bag);
            return;
        }
        // pad_backward sums up to `count` gradients per element, maybe in another order than
        // PyTorch: within count * eps of the summed magnitudes. Everything else is exact.
        Tolerance tol = c.TryGetProperty("abs_bound", out JsonElement bound)
            ? new Tolerance(0, c.GetProperty("count").GetInt64() * ReferenceFixture.Epsilon(results[0].DType), bound)
            : Tolerance.Exact;
        for (int i = 0; i < expected.Length; i++)
            ReferenceFixture.AssertMatches(results[i], expected[i], tol);
    }

    // topk where PyTorch leaves the order or the choice among ties open: the indices must pick
    // the values out of the input; values compare exactly, after sorting when unsorted.
    private static void AssertTopkLoose(JsonElement c, Tensor input, Tensor[] results, TensorBag bag)
    {
        JsonElement a = c.GetProperty("args");
        long dim = a.GetProperty("dim").GetInt64();
        Tensor picked = bag.Add(input.Gather(dim, results[1]));
        Assert.That(bag.Add(picked.To(DType.Float64)).ToArray<double>(), Is.EqualTo(bag.Add(results[0].To(DType.Float64)).ToArray<double>()));
        if (c.TryGetProperty("expected_sorted_values", out JsonElement sortedValues))
        {
            var (v, i) = results[0].Sort(dim, a.GetProperty("largest").GetBoolean());
            bag.Add(v);
            bag.Add(i);
            ReferenceFixture.AssertMatches(v, sortedValues, Tolerance.Exact);
        }
        else
        {
            ReferenceFixture.AssertMatches(results[0], c.GetProperty("expected")[0], Tolerance.Exact);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c) => RunCase(c);

    [Test]
    public void SearchsortedSideMustAgreeWithRight()
    {
        using Tensor seq = Tensor.From(new[] { 1.0, 2.0, 3.0 });
        using Tensor v = Tensor.From(new[] { 2.0 });
        using Tensor left = Tensor.Searchsorted(seq, v, side: "left");
        using Tensor right = Tensor.Searchsorted(seq, v, side: "right");
        Assert.That(left.ToArray<long>(), Is.EqualTo(new[] { 1L }));
        Assert.That(right.ToArray<long>(), Is.EqualTo(new[] { 2L }));
        Assert.Throws<ArgumentException>(() => Tensor.Searchsorted(seq, v, right: true, side: "left"));
        Assert.Throws<ArgumentException>(() => Tensor.Searchsorted(seq, v, side: "middle"));
    }

    [Test]
    public void TopkErrorNamesOpAndSizes()
    {
        using Tensor x = Tensor.From(new[] { 1.0, 2.0, 3.0 });
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => x.Topk(4));
        Assert.That(e!.Message, Does.Contain("topk").And.Contain("4").And.Contain("[3]"));
    }

    [Test]
    public void UniqueLeavesUnrequestedResultsNull()
    {
        using Tensor x = Tensor.From(new long[] { 3, 1, 3 });
        var (values, inverse, counts) = x.Unique();
        using (values)
        {
            Assert.That(values.ToArray<long>(), Is.EqualTo(new long[] { 1, 3 }));
            Assert.That(inverse, Is.Null);
            Assert.That(counts, Is.Null);
        }
    }
}
