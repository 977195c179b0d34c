using Compute;

namespace Compute.Tests;

/// <summary>
/// Views and subscripts over t = arange(24).reshape(2, 3, 4), whose element at (i, j, k) is
/// 12i + 4j + k: expected values are computed from that formula.
/// </summary>
public class ViewAndIndexingTests
{
    private Tensor _t = null!;

    [SetUp]
    public void CreateTensor() => _t = Tensor.Arange(24).Reshape(2, 3, 4);

    [TearDown]
    public void DisposeTensor() => _t.Dispose();

    private static long[] Values(IEnumerable<int> i, IEnumerable<int> j, IEnumerable<int> k) =>
        (from a in i from b in j from c in k select (long)(12 * a + 4 * b + c)).ToArray();

    private static IEnumerable<int> R(int start, int end, int step = 1)
    {
        for (int v = start; v < end; v += step)
        {
            yield return v;
        }
    }

    [Test]
    public void IntegerIndexSelectsAndDropsTheDim()
    {
        using Tensor a = _t[1];
        Assert.That(a.Shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(a.ToArray<long>(), Is.EqualTo(Values([1], R(0, 3), R(0, 4))));
        using Tensor b = _t[1, 2, 3];
        Assert.That(b.Dim, Is.EqualTo(0));
        Assert.That(b.Item<long>(), Is.EqualTo(23));
    }

    [Test]
    public void NegativeAndFromEndIndices()
    {
        using Tensor last = _t[^1];
        using Tensor minusOne = _t[-1];
        Assert.That(last.ToArray<long>(), Is.EqualTo(Values([1], R(0, 3), R(0, 4))));
        Assert.That(minusOne.ToArray<long>(), Is.EqualTo(last.ToArray<long>()));
        using Tensor e = _t[0, ^2, -1];
        Assert.That(e.Item<long>(), Is.EqualTo(12 * 0 + 4 * 1 + 3));
    }

    [Test]
    public void RangesSliceAndKeepTheDim()
    {
        using Tensor s = _t[.., 1..3];
        Assert.That(s.Shape, Is.EqualTo(new long[] { 2, 2, 4 }));
        Assert.That(s.ToArray<long>(), Is.EqualTo(Values(R(0, 2), R(1, 3), R(0, 4))));
        using Tensor s2 = _t[1, .., ^2..];
        Assert.That(s2.Shape, Is.EqualTo(new long[] { 3, 2 }));
        Assert.That(s2.ToArray<long>(), Is.EqualTo(Values([1], R(0, 3), R(2, 4))));
        using Tensor clamped = _t[.., 1..100];
        Assert.That(clamped.Shape, Is.EqualTo(new long[] { 2, 2, 4 }), "bounds clamp as in Python");
    }

    [Test]
    public void SliceWithStep()
    {
        using Tensor s = _t[.., .., TensorIndex.Slice(null, null, 2)];
        Assert.That(s.Shape, Is.EqualTo(new long[] { 2, 3, 2 }));
        Assert.That(s.ToArray<long>(), Is.EqualTo(Values(R(0, 2), R(0, 3), R(0, 4, 2))));
        using Tensor s2 = _t[TensorIndex.Ellipsis, TensorIndex.Slice(1, -1, 2)];
        Assert.That(s2.ToArray<long>(), Is.EqualTo(Values(R(0, 2), R(0, 3), R(1, 3, 2))));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorIndex.Slice(0, 4, 0));
    }

    [Test]
    public void EllipsisAndNewAxis()
    {
        using Tensor e = _t[TensorIndex.Ellipsis, 1];
        Assert.That(e.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(e.ToArray<long>(), Is.EqualTo(Values(R(0, 2), R(0, 3), [1])));
        using Tensor n = _t[TensorIndex.NewAxis, 0, TensorIndex.Ellipsis, TensorIndex.NewAxis];
        Assert.That(n.Shape, Is.EqualTo(new long[] { 1, 3, 4, 1 }));
        Assert.That(n.ToArray<long>(), Is.EqualTo(Values([0], R(0, 3), R(0, 4))));
        using Tensor all = _t[TensorIndex.Ellipsis];
        Assert.That(all.Shape, Is.EqualTo(_t.Shape));
        Assert.Throws<ArgumentException>(() => _t.Index(TensorIndex.Ellipsis, TensorIndex.Ellipsis));
    }

    [Test]
    public void IndexersReturnViewsThatShareStorage()
    {
        using Tensor row = _t[0, 1];
        using Tensor ten = Tensor.From(10L);
        row.Fill(-1);
        Assert.That(_t.Item<long>(0, 1, 2), Is.EqualTo(-1));
        _t[1, .., 0] = ten;
        Assert.That(_t.Item<long>(1, 2, 0), Is.EqualTo(10));
        Assert.That(_t.Item<long>(1, 2, 1), Is.EqualTo(12 + 8 + 1));
    }

    [Test]
    public void ViewMethods()
    {
        using Tensor p = _t.Permute(2, 0, 1);
        Assert.That(p.Shape, Is.EqualTo(new long[] { 4, 2, 3 }));
        Assert.That(p.Item<long>(3, 1, 2), Is.EqualTo(12 + 8 + 3));
        Assert.That(p.IsContiguous, Is.False);
        using Tensor tr = _t.Transpose(0, 2);
        Assert.That(tr.Strides, Is.EqualTo(new long[] { 1, 4, 12 }));
        using Tensor n = _t.Narrow(2, 1, 2);
        Assert.That(n.ToArray<long>(), Is.EqualTo(Values(R(0, 2), R(0, 3), R(1, 3))));
        using Tensor sel = _t.Select(1, -1);
        Assert.That(sel.ToArray<long>(), Is.EqualTo(Values(R(0, 2), [2], R(0, 4))));
        using Tensor v = _t.View(6, -1);
        Assert.That(v.Shape, Is.EqualTo(new long[] { 6, 4 }));
        using Tensor f = _t.Flatten(1);
        Assert.That(f.Shape, Is.EqualTo(new long[] { 2, 12 }));
        using Tensor u = _t.Unsqueeze(1);
        Assert.That(u.Shape, Is.EqualTo(new long[] { 2, 1, 3, 4 }));
        using Tensor sq = u.Squeeze();
        Assert.That(sq.Shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        using Tensor sq1 = u.Squeeze(1);
        Assert.That(sq1.Shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        using Tensor col = Tensor.Arange(3).View(3, 1);
        using Tensor ex = col.Expand(3, 5);
        Assert.That(ex.Strides, Is.EqualTo(new long[] { 1, 0 }));
        Assert.That(ex.ToArray<long>(), Is.EqualTo(Enumerable.Range(0, 15).Select(i => (long)(i / 5))));
        using Tensor diag = _t.AsStrided([3], [5], 0);
        Assert.That(diag.ToArray<long>(), Is.EqualTo(new long[] { 0, 5, 10 }));
        using Tensor c = p.Contiguous();
        Assert.That(c.IsContiguous, Is.True);
        Assert.That(c.ToArray<long>(), Is.EqualTo(p.ToArray<long>()));
        using Tensor r = p.Reshape(-1);
        Assert.That(r.ToArray<long>(), Is.EqualTo(p.ToArray<long>()));
    }

    [Test]
    public void CloneAndCopyFromDoNotShareStorage()
    {
        using Tensor c = _t.Clone();
        c.Fill(0);
        Assert.That(_t.Item<long>(1, 1, 1), Is.EqualTo(17));
        using Tensor z = Tensor.Zeros([2, 3, 4], DType.Float64);
        using Tensor row = Tensor.From(new[] { 1.5, 2.5, 3.5, 4.5 });
        z.CopyFrom(row);
        Assert.That(z.Item<double>(1, 2, 3), Is.EqualTo(4.5));
    }

    [Test]
    public void ViewsKeepStorageAliveAfterTheBaseIsDisposed()
    {
        Tensor baseTensor = Tensor.Arange(10);
        Tensor view = baseTensor[2..5];
        baseTensor.Dispose();
        Assert.That(view.ToArray<long>(), Is.EqualTo(new long[] { 2, 3, 4 }));
        view.Dispose();
    }
}
