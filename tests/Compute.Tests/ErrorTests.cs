using System.Text.RegularExpressions;
using Compute;

namespace Compute.Tests;

/// <summary>Bad input gives a specific exception whose message names the op and the shapes or dtypes.</summary>
public class ErrorTests
{
    private static string Shape(params long[] s) => @"\[" + string.Join(@",\s*", s) + @"\]";

    [Test]
    public void BroadcastMismatchIsAShapeMismatch()
    {
        using Tensor a = Tensor.Zeros(2, 3);
        using Tensor b = Tensor.Zeros(4);
        var ex = Assert.Throws<ShapeMismatchException>(() => { using Tensor c = a + b; });
        Assert.That(ex!.Message, Does.Contain("add"));
        Assert.That(ex.Message, Does.Match(Shape(2, 3)).And.Match(Shape(4)));
        Assert.That(ex, Is.InstanceOf<ArgumentException>());
        Assert.That(ex.Data["Compute.NativeFunction"], Is.EqualTo("cmp_add"));
    }

    [Test]
    public void MatmulMismatchNamesTheShapes()
    {
        using Tensor a = Tensor.Zeros(3, 4);
        using Tensor b = Tensor.Zeros(5, 6);
        var ex = Assert.Throws<ShapeMismatchException>(() => { using Tensor c = a.MatMul(b); });
        Assert.That(ex!.Message, Does.Contain("matmul").And.Match(Shape(3, 4)).And.Match(Shape(5, 6)));
    }

    [Test]
    public void OutOfRangeDimAndIndex()
    {
        using Tensor a = Tensor.Zeros(2, 3);
        var dimError = Assert.Throws<ArgumentOutOfRangeException>(() => { using Tensor s = a.Select(2, 0); });
        // The message names the op, the dim, the tensor's shape and the valid range.
        Assert.That(dimError!.Message, Does.Contain("select").And.Contain("2").And.Match(@"\[-2,\s*1\]").And.Match(Shape(2, 3)));
        var indexError = Assert.Throws<ArgumentOutOfRangeException>(() => { using Tensor s = a[5]; });
        Assert.That(indexError!.Message, Does.Contain("select").And.Contain("5").And.Match(Shape(2, 3)));
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => { using Tensor s = a[0, 0, 0]; });
        Assert.That(tooMany!.Message, Does.Contain("too many indices").And.Match(Shape(2, 3)));
        var sumDim = Assert.Throws<ArgumentOutOfRangeException>(() => { using Tensor s = a.Sum(dim: 3); });
        Assert.That(sumDim!.Message, Does.Contain("sum").And.Contain("3").And.Match(Shape(2, 3)));
    }

    [Test]
    public void InvalidDTypeValue()
    {
        var ex = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => { using Tensor t = Tensor.Zeros([2], (DType)42); });
        Assert.That(ex!.Message, Does.Contain("zeros").And.Contain("42"));
    }

    [Test]
    public void OverflowingSizes()
    {
        var ex = Assert.Throws(Is.InstanceOf<ArgumentException>(),
            () => { using Tensor t = Tensor.Zeros([long.MaxValue / 2, 4]); });
        Assert.That(ex!.Message, Does.Contain("zeros"));
        var negative = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => { using Tensor t = Tensor.Zeros(2, -1); });
        Assert.That(negative!.Message, Does.Contain("-1"));
    }

    [Test]
    public void ViewOfNonContiguousDataIsALayoutError()
    {
        using Tensor a = Tensor.Zeros(2, 3);
        using Tensor t = a.Transpose(0, 1);
        var ex = Assert.Throws<TensorLayoutException>(() => { using Tensor v = t.View(6); });
        Assert.That(ex!.Message, Does.Contain("view").And.Match(Shape(3, 2)));
        Assert.Throws<TensorLayoutException>(() => t.AsSpan<float>());
    }

    [Test]
    public void UnsupportedDTypeIsADTypeMismatch()
    {
        using Tensor ints = Tensor.Arange(4);
        var ex = Assert.Throws<DTypeMismatchException>(() => { using Tensor m = ints.Mean(); });
        // The dtype may be named as Compute does (int64) or as PyTorch's message does (Long).
        Assert.That(ex!.Message, Does.Contain("mean").And.Match("int64|Long"));
        using Tensor bools = Tensor.Full([2], true);
        Assert.Throws<DTypeMismatchException>(() => { using Tensor n = -bools; });
        Assert.Throws<DTypeMismatchException>(() => { using Tensor r = Tensor.Rand([2], DType.Int32); });
    }

    [Test]
    public void ShapeAndDataLengthMustAgree()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() => Tensor.From(new float[5], 2, 3));
        Assert.That(ex!.Message, Does.Contain("From").And.Contain("5").And.Match(Shape(2, 3)));
    }

    [Test]
    public void NullArgumentsThrowArgumentNull()
    {
        using Tensor a = Tensor.Zeros(2);
        Assert.Throws<ArgumentNullException>(() => { using Tensor c = a + (Tensor)null!; });
        Assert.Throws<ArgumentNullException>(() => a.CopyFrom(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.From((float[])null!));
    }

    [Test]
    public void DisposedTensorThrowsObjectDisposed()
    {
        Tensor a = Tensor.Zeros(2);
        using Tensor b = Tensor.Zeros(2);
        a.Dispose();
        a.Dispose();
        Assert.That(a.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => { using Tensor c = a + b; });
        Assert.Throws<ObjectDisposedException>(() => { using Tensor c = b * a; });
        Assert.Throws<ObjectDisposedException>(() => a.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => _ = a.Shape);
        Assert.Throws<ObjectDisposedException>(() => { using Tensor v = a[0]; });
    }
}
