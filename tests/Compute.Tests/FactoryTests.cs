using Compute;

namespace Compute.Tests;

public class FactoryTests
{
    [Test]
    public void ZerosOnesFullEmptyHaveShapeDTypeAndValues()
    {
        using Tensor z = Tensor.Zeros(2, 3);
        Assert.That(z.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(z.DType, Is.EqualTo(DType.Float32));
        Assert.That(z.Device, Is.EqualTo(Device.Cpu));
        Assert.That(z.NumberOfElements, Is.EqualTo(6));
        Assert.That(z.Dim, Is.EqualTo(2));
        Assert.That(z.Strides, Is.EqualTo(new long[] { 3, 1 }));
        Assert.That(z.ToArray<float>(), Is.All.EqualTo(0f));

        using Tensor o = Tensor.Ones([4], DType.Int32);
        Assert.That(o.ToArray<int>(), Is.EqualTo(new[] { 1, 1, 1, 1 }));

        using Tensor f = Tensor.Full([2, 2], 7);
        Assert.That(f.DType, Is.EqualTo(DType.Int64), "an integer fill value gives int64, as in PyTorch");
        Assert.That(f.ToArray<long>(), Is.All.EqualTo(7L));
        using Tensor g = Tensor.Full([3], 2.5);
        Assert.That(g.DType, Is.EqualTo(DType.Float32));
        using Tensor h = Tensor.Full([2], true);
        Assert.That(h.DType, Is.EqualTo(DType.Bool));
        using Tensor e = Tensor.Empty([5, 0], DType.Float64);
        Assert.That(e.Shape, Is.EqualTo(new long[] { 5, 0 }));
        Assert.That(e.NumberOfElements, Is.EqualTo(0));
    }

    [Test]
    public void ArangeInfersDTypeLikePyTorch()
    {
        using Tensor a = Tensor.Arange(5);
        Assert.That(a.DType, Is.EqualTo(DType.Int64));
        Assert.That(a.ToArray<long>(), Is.EqualTo(Enumerable.Range(0, 5).Select(i => (long)i)));
        using Tensor b = Tensor.Arange(1.0, 2.0, 0.25);
        Assert.That(b.DType, Is.EqualTo(DType.Float32));
        Assert.That(b.ToArray<float>(), Is.EqualTo(new[] { 1f, 1.25f, 1.5f, 1.75f }));
        using Tensor c = Tensor.Arange(10, 0, -3);
        Assert.That(c.ToArray<long>(), Is.EqualTo(new long[] { 10, 7, 4, 1 }));
    }

    [Test]
    public void FromCopiesArraysSpansAndMultiDimensionalArrays()
    {
        var data = new double[] { 1, 2, 3, 4, 5, 6 };
        using Tensor t = Tensor.From(data, 2, 3);
        data[0] = 100;
        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }), "From copies");

        using Tensor fromSpan = Tensor.From(new ReadOnlySpan<int>(new[] { 5, 6, 7 }));
        Assert.That(fromSpan.Shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(fromSpan.DType, Is.EqualTo(DType.Int32));

        var grid = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        using Tensor g = Tensor.From(grid);
        Assert.That(g.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(g.Item<float>(1, 2), Is.EqualTo(6f));

        var cube = new byte[2, 2, 2];
        cube[1, 0, 1] = 9;
        using Tensor c = Tensor.From(cube);
        Assert.That(c.DType, Is.EqualTo(DType.UInt8));
        Assert.That(c.Item<byte>(1, 0, 1), Is.EqualTo(9));

        using Tensor b = Tensor.From(new[] { true, false });
        Assert.That(b.DType, Is.EqualTo(DType.Bool));
        Assert.That(b.ToArray<bool>(), Is.EqualTo(new[] { true, false }));

        using Tensor h = Tensor.From(new[] { (Half)1.5, (Half)(-2) });
        Assert.That(h.DType, Is.EqualTo(DType.Float16));
        Assert.That(h.ToArray<Half>(), Is.EqualTo(new[] { (Half)1.5, (Half)(-2) }));
    }

    [Test]
    public void FromScalarIsZeroDim()
    {
        using Tensor s = Tensor.From(3.5);
        Assert.That(s.Dim, Is.EqualTo(0));
        Assert.That(s.Shape, Is.Empty);
        Assert.That(s.DType, Is.EqualTo(DType.Float32));
        Assert.That(s.Item<double>(), Is.EqualTo(3.5));
        using Tensor i = Tensor.From(4);
        Assert.That(i.DType, Is.EqualTo(DType.Int64));
    }

    [Test]
    public void ItemConvertsAndChecksTheElementCount()
    {
        using Tensor t = Tensor.From(new[] { 2.75f });
        Assert.That(t.Item<float>(), Is.EqualTo(2.75f));
        Assert.That(t.Item<double>(), Is.EqualTo(2.75));
        using Tensor two = Tensor.Zeros(2);
        var ex = Assert.Throws<ArgumentException>(() => two.Item<float>());
        Assert.That(ex!.Message, Does.Contain("Item").And.Contain("[2]"));
        using Tensor m = Tensor.From(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.That(m.Item<long>(-1, -1), Is.EqualTo(6));
        Assert.That(m.Item<long>(0, 1), Is.EqualTo(2));
    }

    [Test]
    public void ToArrayRequiresTheMatchingElementType()
    {
        using Tensor t = Tensor.Zeros(3);
        var ex = Assert.Throws<DTypeMismatchException>(() => t.ToArray<double>());
        Assert.That(ex!.Message, Does.Contain("float32").And.Contain("Double"));
    }

    [Test]
    public void RandomFactoriesAreSeededAndInRange()
    {
        Tensor.ManualSeed(7);
        using Tensor a = Tensor.Rand(1000);
        using Tensor n = Tensor.Randn(1000);
        using Tensor r = Tensor.Randint(-3, 4, [1000]);
        Tensor.ManualSeed(7);
        using Tensor a2 = Tensor.Rand(1000);
        using Tensor n2 = Tensor.Randn(1000);
        using Tensor r2 = Tensor.Randint(-3, 4, [1000]);
        Assert.That(a.ToArray<float>(), Is.EqualTo(a2.ToArray<float>()));
        Assert.That(n.ToArray<float>(), Is.EqualTo(n2.ToArray<float>()));
        Assert.That(r.ToArray<long>(), Is.EqualTo(r2.ToArray<long>()));
        Assert.That(a.ToArray<float>(), Is.All.GreaterThanOrEqualTo(0f).And.All.LessThan(1f));
        Assert.That(r.ToArray<long>(), Is.All.InRange(-3L, 3L));
        Assert.That(r.ToArray<long>().Distinct().Count(), Is.EqualTo(7));
        float mean = n.Mean().Item<float>();
        Assert.That(mean, Is.InRange(-0.2f, 0.2f), "1000 standard normal samples have a mean within 6 sigma of 0");
    }

    [Test]
    public void ConversionsBetweenDTypes()
    {
        using Tensor t = Tensor.From(new[] { 1.75f, -2.5f, 0f });
        using Tensor i = t.To(DType.Int32);
        Assert.That(i.ToArray<int>(), Is.EqualTo(new[] { 1, -2, 0 }), "float -> int truncates toward zero");
        using Tensor b = t.To(DType.Bool);
        Assert.That(b.ToArray<bool>(), Is.EqualTo(new[] { true, true, false }));
        using Tensor same = t.To(DType.Float32);
        Assert.That(same.ToArray<float>(), Is.EqualTo(t.ToArray<float>()));
        same.Dispose();
        Assert.That(t.ToArray<float>()[0], Is.EqualTo(1.75f), "disposing a same-dtype conversion leaves the source alive");
    }
}
