using Compute;
using Compute.Native;

namespace Compute.Tests;

public class LibraryTests
{
    [Test]
    public void LoadedLibraryMatchesTheGeneratedAbiVersion()
    {
        Assert.That(NativeMethods.cmp_abi_version(), Is.EqualTo(NativeMethods.AbiVersion));
        Assert.That(NativeMethods.Version(), Is.EqualTo("0.1.0"));
        Assert.That(NativeMethods.CpuIsa(), Is.AnyOf("avx512", "avx2", "baseline", "neon"));
    }

    [Test]
    public void AbiMismatchIsAClearError()
    {
        uint fake = NativeMethods.AbiVersion + 41;
        var ex = Assert.Throws<NativeLibraryVersionException>(
            () => NativeLibraryLoader.CheckAbiVersion(fake, "/opt/old/libcompute.so"));
        Assert.That(ex!.Message, Does.Contain($"ABI version {fake}")
                                     .And.Contain($"ABI version {NativeMethods.AbiVersion}")
                                     .And.Contain("/opt/old/libcompute.so"));
        Assert.DoesNotThrow(() => NativeLibraryLoader.CheckAbiVersion(NativeMethods.AbiVersion, "/any"));
    }

    [Test]
    public void CudaAbsentIsAClearErrorNotACrash()
    {
        if (Device.CudaDeviceCount > 0)
        {
            Assert.Ignore("A CUDA device is present; this test covers machines without one.");
        }
        var ex = Assert.Throws<DeviceUnavailableException>(() => { using Tensor t = Tensor.Zeros([2], device: Device.Cuda()); });
        Assert.That(ex!.Message, Does.Contain("cuda").IgnoreCase);
    }

    [Test]
    public void DeviceParsesAndPrintsLikePyTorch()
    {
        Assert.That(Device.Parse("cuda:1"), Is.EqualTo(Device.Cuda(1)));
        Assert.That(Device.Parse("cpu").ToString(), Is.EqualTo("cpu"));
        Assert.That(Device.Cuda(2).ToString(), Is.EqualTo("cuda:2"));
        Assert.Throws<FormatException>(() => Device.Parse("tpu"));
    }
}

/// <summary>The resolver's environment override. Changes a process-wide variable, so it runs alone.</summary>
[NonParallelizable]
public class NativeLibraryOverrideTests
{
    private string? _saved;

    [SetUp]
    public void Save() => _saved = Environment.GetEnvironmentVariable(NativeLibraryLoader.EnvironmentVariable);

    [TearDown]
    public void Restore() => Environment.SetEnvironmentVariable(NativeLibraryLoader.EnvironmentVariable, _saved);

    [Test]
    public void OverrideToAMissingFileIsAClearError()
    {
        Environment.SetEnvironmentVariable(NativeLibraryLoader.EnvironmentVariable, "/nonexistent/libcompute.so");
        var ex = Assert.Throws<DllNotFoundException>(
            () => NativeLibraryLoader.Resolve("compute", typeof(Tensor).Assembly, null));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/libcompute.so").And.Contain(NativeLibraryLoader.EnvironmentVariable));
    }

    [Test]
    public void OverrideLoadsAndChecksTheGivenFile()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory,
                                   OperatingSystem.IsWindows() ? "compute.dll" : "libcompute.so");
        Environment.SetEnvironmentVariable(NativeLibraryLoader.EnvironmentVariable, path);
        Assert.That(NativeLibraryLoader.Resolve("compute", typeof(Tensor).Assembly, null), Is.Not.EqualTo(IntPtr.Zero));
        Assert.That(NativeLibraryLoader.Resolve("not-compute", typeof(Tensor).Assembly, null), Is.EqualTo(IntPtr.Zero));
    }
}

/// <summary>torch.set_num_threads / get_num_threads. Changes the process-wide pool, so it runs alone.</summary>
[NonParallelizable]
public class ThreadCountTests
{
    [Test]
    public void SetNumThreadsIsReadBackAndResultsDoNotDependOnIt()
    {
        int saved = Tensor.GetNumThreads();
        Assert.That(saved, Is.GreaterThanOrEqualTo(1));
        try
        {
            using Tensor x = Tensor.Randn(1 << 20);
            Tensor.SetNumThreads(1);
            Assert.That(Tensor.GetNumThreads(), Is.EqualTo(1));
            using Tensor one = x.Sum();
            Tensor.SetNumThreads(3);
            Assert.That(Tensor.GetNumThreads(), Is.EqualTo(3));
            using Tensor three = x.Sum();
            // The float32 sum is blocked the same way at any thread count (README "Numerics").
            Assert.That(three.Item<float>(), Is.EqualTo(one.Item<float>()));
        }
        finally
        {
            Tensor.SetNumThreads(saved);
        }
    }

    [Test]
    public void SetNumThreadsBelowOneIsAnArgumentError()
    {
        int saved = Tensor.GetNumThreads();
        var ex = Assert.Throws<ArgumentException>(() => Tensor.SetNumThreads(0));
        Assert.That(ex!.Message, Does.Contain("cmp_set_num_threads").Or.Contain("num_threads"));
        Assert.That(Tensor.GetNumThreads(), Is.EqualTo(saved));
    }
}
