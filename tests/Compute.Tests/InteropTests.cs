using System.Runtime.CompilerServices;
using Compute;

namespace Compute.Tests;

public class InteropTests
{
    [Test]
    public void WrappedArraySharesMemoryBothWays()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        using Tensor t = Tensor.Wrap(data, 2, 3);
        data[4] = 50;
        Assert.That(t.Item<float>(1, 1), Is.EqualTo(50f), "a write to the array is seen by the tensor");
        using (Tensor row = t[0])
        {
            row.Fill(-1);
        }
        Assert.That(data[..3], Is.All.EqualTo(-1f), "a write through a view is seen by the array");
        t.MulInPlace(2);
        Assert.That(data[5], Is.EqualTo(12f));
    }

    [Test]
    public void WrappedMultiDimensionalArray()
    {
        var grid = new int[2, 3];
        using Tensor t = Tensor.Wrap(grid);
        t.Fill(7);
        Assert.That(grid[1, 2], Is.EqualTo(7));
        Assert.That(t.Shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Array, Tensor View) WrapAndView()
    {
        var data = new double[16];
        Tensor t = Tensor.Wrap(data);
        Tensor view = t[4..8];
        t.Dispose();
        return (new WeakReference(data), view);
    }

    // Reads through the weak reference in a frame of its own, so no temporary in the test's
    // frame keeps the array reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ReadWrapped(WeakReference array, int index) => ((double[])array.Target!)[index];

    [Test]
    public void PinIsReleasedWhenTheLastViewGoes()
    {
        (WeakReference array, Tensor view) = WrapAndView();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(array.IsAlive, Is.True, "a live view keeps the wrapped array pinned");
        view.Fill(3);
        Assert.That(ReadWrapped(array, 5), Is.EqualTo(3.0));
        view.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(array.IsAlive, Is.False, "the native deleter unpinned the array");
    }

    [Test]
    public void AsSpanSeesTheNativeMemory()
    {
        using Tensor t = Tensor.Zeros([4], DType.Int32);
        Span<int> span = t.AsSpan<int>();
        span[2] = 9;
        Assert.That(t.Item<int>(2), Is.EqualTo(9));
        Assert.Throws<DTypeMismatchException>(() => t.AsSpan<float>());
    }

    [Test]
    public void WrapChecksTheShape()
    {
        Assert.Throws<ShapeMismatchException>(() => Tensor.Wrap(new float[4], 3));
    }
}
