using System.Runtime.InteropServices;
using Compute;
using Compute.Data;

namespace Compute.Tests;

// Streams, events, pinned memory and non-blocking copies through the managed layer, three ways:
// without a device (the clear errors; CI), on a real GPU (ignored elsewhere), and against the
// fake backend of tests/cuda (category FakeCuda: `./build.sh test` runs it in its own process with
// COMPUTE_CUDA_LIBRARY pointing at the fake, which keeps "device" memory on the host and runs no
// kernels, so those tests stick to copies, streams, events and pinning).
public class CudaStreamTests
{
    private static readonly float[] Six = [1f, 2f, 3f, 4f, 5f, 6f];

    [Test]
    public void WithoutADeviceStreamsEventsAndPinningAreClearErrors()
    {
        if (Cuda.IsAvailable)
        {
            Assert.Ignore("A CUDA device is present; this test covers machines without one.");
        }
        Assert.That(Assert.Throws<DeviceUnavailableException>(() => new CudaStream())!.Message,
                    Does.Contain("cmp_cuda_stream_create").And.Contain("cuda:0"));
        Assert.That(Assert.Throws<DeviceUnavailableException>(() => Cuda.CurrentStream())!.Message,
                    Does.Contain("cmp_cuda_current_stream"));
        Assert.That(Assert.Throws<DeviceUnavailableException>(() => new CudaEvent(enableTiming: true))!.Message,
                    Does.Contain("cmp_cuda_event_create"));
        Assert.That(Assert.Throws<DeviceUnavailableException>(() => Cuda.MemGetInfo())!.Message,
                    Does.Contain("cmp_cuda_mem_get_info"));
        using Tensor t = Tensor.From(Six, 2, 3);
        Assert.That(t.IsPinned, Is.False);
        Assert.That(Assert.Throws<DeviceUnavailableException>(() => t.PinMemory())!.Message, Does.Contain("pin_memory"));
        // non_blocking to the CPU itself is the tensor itself, as without it.
        using Tensor same = t.To(Device.Cpu, nonBlocking: true);
        Assert.That(same.ToArray<float>(), Is.EqualTo(Six));
        using Tensor dst = Tensor.Zeros([2, 3]);
        dst.CopyFrom(t, nonBlocking: true);
        Assert.That(dst.ToArray<float>(), Is.EqualTo(Six));
    }

    [Test]
    public void WithoutADevicePinMemoryInTheDataLoaderIsIgnored()
    {
        if (Cuda.IsAvailable)
        {
            Assert.Ignore("A CUDA device is present; this test covers machines without one.");
        }
        var data = new TensorDataset(Tensor.Arange(12).Reshape(6, 2), Tensor.Arange(6));
        var loader = new DataLoader(data, batchSize: 4, pinMemory: true);
        Assert.That(loader.PinMemory, Is.False);
        Tensor[][] batches = loader.ToArray();
        Assert.That(batches, Has.Length.EqualTo(2));
        Assert.That(batches[0][0].IsPinned, Is.False);
        Assert.That(batches[1][1].ToArray<long>(), Is.EqualTo(new long[] { 4, 5 }));
    }

    [Test]
    public void OnAGpuASideStreamComputesWhatTheDefaultStreamComputes()
    {
        if (!Cuda.IsAvailable || FakeCudaTests.FakeLoaded)
        {
            Assert.Ignore($"No CUDA device: {Cuda.UnavailableReason}");
        }
        using Tensor a = Tensor.Randn([256, 256]);
        using Tensor expected = a.MatMul(a);
        using Tensor host = a.PinMemory();
        var side = new CudaStream();
        Tensor product;
        using (side.Use())
        {
            Assert.That(Cuda.CurrentStream(), Is.EqualTo(side));
            using Tensor dev = host.To(Device.Cuda(), nonBlocking: true);
            using var start = new CudaEvent(enableTiming: true);
            using var end = new CudaEvent(enableTiming: true);
            start.Record();
            product = dev.MatMul(dev);
            end.Record();
            end.Synchronize();
            Assert.That(start.ElapsedTime(end), Is.GreaterThan(0f));
        }
        Assert.That(Cuda.CurrentStream(), Is.EqualTo(Cuda.DefaultStream()));
        Cuda.DefaultStream().WaitStream(side);
        using Tensor back = product.To(Device.Cpu, nonBlocking: true);
        Assert.That(back.IsPinned, Is.True);
        Cuda.DefaultStream().Synchronize();
        float[] want = expected.ToArray<float>(), got = back.ToArray<float>();
        for (int i = 0; i < want.Length; i++)
        {
            Assert.That(got[i], Is.EqualTo(want[i]).Within(1e-3 * Math.Max(1.0, Math.Abs(want[i]))), $"element {i}");
        }
        product.Dispose();
    }
}

// Run by `./build.sh test` in a second `dotnet test` with COMPUTE_CUDA_LIBRARY set to the fake
// backend (build/.../tests/cuda/libcompute_cuda_fake.so); ignored when another backend is loaded.
[Category("FakeCuda")]
public class FakeCudaTests
{
    private static readonly float[] Six = [1f, 2f, 3f, 4f, 5f, 6f];

    internal static bool FakeLoaded =>
        (Environment.GetEnvironmentVariable("COMPUTE_CUDA_LIBRARY") ?? "").Contains("compute_cuda_fake") && Cuda.IsAvailable;

    [SetUp]
    public void RequireFake()
    {
        if (!FakeLoaded)
        {
            Assert.Ignore("The fake CUDA backend is not loaded (set COMPUTE_CUDA_LIBRARY to libcompute_cuda_fake.so).");
        }
    }

    [Test]
    public void UseStreamMakesAStreamCurrentAndRestoresThePreviousOne()
    {
        CudaStream original = Cuda.CurrentStream();
        Assert.That(original, Is.EqualTo(Cuda.DefaultStream()));
        var s = new CudaStream();
        var t = new CudaStream();
        Assert.That(s, Is.Not.EqualTo(t));
        Assert.That(s.Device, Is.EqualTo(Device.Cuda(0)));
        using (Cuda.UseStream(s))
        {
            Assert.That(Cuda.CurrentStream(), Is.EqualTo(s));
            using (t.Use())
            {
                Assert.That(Cuda.CurrentStream(), Is.EqualTo(t));
                CudaStream seenElsewhere = null!;
                var other = new Thread(() => seenElsewhere = Cuda.CurrentStream());
                other.Start();
                other.Join();
                Assert.That(seenElsewhere, Is.EqualTo(Cuda.DefaultStream()));
            }
            Assert.That(Cuda.CurrentStream(), Is.EqualTo(s));
        }
        Assert.That(Cuda.CurrentStream(), Is.EqualTo(original));
        Assert.That(s.Query(), Is.True);
        Assert.DoesNotThrow(s.Synchronize);
    }

    [Test]
    public void MemGetInfoCountsTheCachesBlocksAsUsed()
    {
        // The fake is a 16 GiB device whose free bytes are what its allocations leave.
        (long free, long total) = Cuda.MemGetInfo();
        Assert.That(total, Is.EqualTo(16L << 30));
        Assert.That(free, Is.EqualTo(total - Cuda.MemoryReserved()));
        using (Tensor t = Tensor.Empty([1024], device: Device.Cuda()))
        {
            Assert.That(Cuda.MemGetInfo().Free, Is.EqualTo(total - Cuda.MemoryReserved()));
            Assert.That(Cuda.MemGetInfo().Free, Is.LessThan(free));
        }
        Assert.That(Assert.Throws<DeviceUnavailableException>(() => Cuda.MemGetInfo(3))!.Message,
                    Does.Contain("cmp_cuda_mem_get_info"));
    }

    [Test]
    public void StreamsHavePrioritiesWithinTheDevicesRange()
    {
        // The fake's range is 0 .. -3 (tests/cuda/fake_streams.h).
        Assert.That(CudaStream.PriorityRange(), Is.EqualTo((0, -3)));
        Assert.That(Cuda.DefaultStream().Priority, Is.Zero);
        Assert.That(new CudaStream().Priority, Is.Zero);
        var urgent = new CudaStream(priority: -2);
        Assert.That(urgent.Priority, Is.EqualTo(-2));
        Assert.That(new CudaStream(priority: -50).Priority, Is.EqualTo(-3));
        Assert.That(new CudaStream(priority: 4).Priority, Is.Zero);
        using (urgent.Use())
        {
            using Tensor t = Tensor.From(Six, 2, 3).To(Device.Cuda());
            Assert.That(t.To(Device.Cpu).ToArray<float>(), Is.EqualTo(Six));
        }
    }

    [Test]
    public void AStreamTheProgramMadeQueuesComputesWork()
    {
        // The fake's stand-in for a program's own cudaStreamCreate.
        nint library = NativeLibrary.Load(Environment.GetEnvironmentVariable("COMPUTE_CUDA_LIBRARY")!);
        nint raw;
        unsafe
        {
            var make = (delegate* unmanaged<int, nint>)NativeLibrary.GetExport(library, "fake_backend_external_stream");
            raw = make(-1);
        }
        Assert.That(raw, Is.Not.EqualTo(nint.Zero));
        CudaStream s = CudaStream.FromExternal(raw);
        Assert.That(s, Is.EqualTo(CudaStream.FromExternal(raw)));
        Assert.That(s.NativeHandle, Is.EqualTo(raw));
        Assert.That(s.Priority, Is.EqualTo(-1));
        Assert.That(s.Device, Is.EqualTo(Device.Cuda(0)));
        Assert.That(Cuda.DefaultStream().NativeHandle, Is.EqualTo(nint.Zero));
        using (s.Use())
        {
            using Tensor t = Tensor.From(Six, 2, 3).To(Device.Cuda());
            s.Synchronize();
            Assert.That(t.To(Device.Cpu).ToArray<float>(), Is.EqualTo(Six));
        }
        Assert.That(Assert.Throws<ArgumentException>(() => CudaStream.FromExternal(nint.Zero))!.Message,
                    Does.Contain("cmp_cuda_stream_from_external").And.Contain("NULL"));
    }

    [Test]
    public void EventsRecordWaitAndTime()
    {
        var s = new CudaStream();
        using var start = new CudaEvent(enableTiming: true);
        start.Record(s);
        CudaEvent end = s.RecordEvent(new CudaEvent(enableTiming: true));
        end.Synchronize();
        Assert.That(end.Query(), Is.True);
        Assert.That(start.ElapsedTime(end), Is.GreaterThanOrEqualTo(0f));
        end.Wait(Cuda.DefaultStream());
        Cuda.DefaultStream().WaitStream(s);
        using var plain = new CudaEvent();
        plain.Record();
        var ex = Assert.Throws<ArgumentException>(() => plain.ElapsedTime(end));
        Assert.That(ex!.Message, Does.Contain("enable_timing").And.Contain("start: no, end: yes"));
        end.Dispose();
        Assert.Throws<ObjectDisposedException>(() => end.Query());
        Assert.DoesNotThrow(end.Dispose);
    }

    [Test]
    public void PinMemoryAndNonBlockingCopiesRoundTrip()
    {
        using Tensor t = Tensor.From(Six, 2, 3);
        using Tensor transposed = t.T;
        using Tensor pinned = transposed.PinMemory();
        Assert.That(pinned.IsPinned, Is.True);
        Assert.That(pinned.IsContiguous, Is.True);
        Assert.That(pinned.ToArray<float>(), Is.EqualTo(transposed.ToArray<float>()));
        using Tensor again = pinned.PinMemory();
        Assert.That(again.IsPinned, Is.True);
        var s = new CudaStream();
        using (s.Use())
        {
            using Tensor dev = pinned.To(Device.Cuda(), nonBlocking: true);
            using Tensor back = dev.To(Device.Cpu, nonBlocking: true);
            Assert.That(back.IsPinned, Is.True);
            s.Synchronize();
            Assert.That(back.ToArray<float>(), Is.EqualTo(new[] { 1f, 4f, 2f, 5f, 3f, 6f }));
            using Tensor target = Tensor.Empty([3, 2], device: Device.Cuda());
            target.CopyFrom(pinned, nonBlocking: true);
            Assert.That(target.To(Device.Cpu).ToArray<float>(), Is.EqualTo(new[] { 1f, 4f, 2f, 5f, 3f, 6f }));
        }
        using Tensor onDevice = t.To(Device.Cuda());
        Assert.That(onDevice.IsPinned, Is.False);
        Assert.DoesNotThrow(() => onDevice.RecordStream(s));
        Assert.That(Assert.Throws<ArgumentException>(() => t.RecordStream(s))!.Message, Does.Contain("record_stream"));
        Assert.That(Assert.Throws<ArgumentException>(() => onDevice.PinMemory())!.Message, Does.Contain("pin_memory").And.Contain("cuda:0"));
    }

    [Test]
    public void TheDataLoaderPinsEachBatchWithAndWithoutWorkers()
    {
        var data = new TensorDataset(Tensor.Arange(12, dtype: DType.Float32).Reshape(6, 2), Tensor.Arange(6));
        foreach (int workers in new[] { 0, 2 })
        {
            var loader = new DataLoader(data, batchSize: 4, numWorkers: workers, pinMemory: true);
            Assert.That(loader.PinMemory, Is.True);
            Tensor[][] batches = loader.ToArray();
            Assert.That(batches, Has.Length.EqualTo(2));
            Assert.That(batches.SelectMany(b => b).All(x => x.IsPinned), Is.True, $"numWorkers {workers}");
            Assert.That(batches[1][0].ToArray<float>(), Is.EqualTo(new[] { 8f, 9f, 10f, 11f }));
            using Tensor labels = batches[0][1].To(Device.Cuda(), nonBlocking: true);
            Cuda.CurrentStream().Synchronize();
            Assert.That(labels.To(Device.Cpu).ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        }
    }
}
