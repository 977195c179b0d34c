using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Compute.IO;
using Compute.Tests.Reference;

namespace Compute.Tests.Data;

public class SafeTensorsTests
{
    private static string FixturePath(string file) => Path.Combine(AppContext.BaseDirectory, "ReferenceFixtures", "safetensors", file);

    private static IEnumerable<TestCaseData> Files() => ReferenceFixture.Cases("safetensors.json", "safetensors");

    [TestCaseSource(nameof(Files))]
    public void ReadsFilesOfTheReferenceLayout(JsonElement c)
    {
        OrderedDictionary<string, Tensor> loaded = SafeTensors.Load(FixturePath(c.GetProperty("file").GetString()!), out var metadata);
        Assert.That(loaded.Keys, Is.EqualTo(c.GetProperty("order").EnumerateArray().Select(e => e.GetString())));
        foreach (JsonProperty t in c.GetProperty("tensors").EnumerateObject())
        {
            ReferenceFixture.AssertMatches(loaded[t.Name], t.Value, Tolerance.Exact);
        }
        Assert.That(metadata, Is.EquivalentTo(c.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)));
        Assert.That(SafeTensors.ReadMetadata(FixturePath(c.GetProperty("file").GetString()!)), Is.EquivalentTo(metadata));
    }

    [TestCaseSource(nameof(Files))]
    public void WritesByteIdenticalFiles(JsonElement c)
    {
        // The tensors built from their values (not from the file), in another order than the file's.
        var tensors = new Dictionary<string, Tensor>();
        foreach (JsonProperty t in c.GetProperty("tensors").EnumerateObject().Reverse())
        {
            tensors[t.Name] = ReferenceFixture.Build(t.Value);
        }
        var metadata = c.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        byte[] written = SafeTensors.Serialize(tensors, metadata.Count > 0 ? metadata : null);
        byte[] expected = File.ReadAllBytes(FixturePath(c.GetProperty("file").GetString()!));
        Assert.That(written, Is.EqualTo(expected));
        string path = Path.Combine(Path.GetTempPath(), $"compute-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(tensors, path, metadata);
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(expected));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SavesNonContiguousTensorsInRowMajorOrder()
    {
        using var x = Tensor.Arange(6, dtype: DType.Float32).Reshape(2, 3);
        using var t = x.Transpose(0, 1);
        var back = SafeTensors.Deserialize(SafeTensors.Serialize(new Dictionary<string, Tensor> { ["t"] = t }), out _);
        Assert.That(back["t"].Shape, Is.EqualTo(new long[] { 3, 2 }));
        Assert.That(back["t"].ToArray<float>(), Is.EqualTo(new float[] { 0, 3, 1, 4, 2, 5 }));
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(new Dictionary<string, Tensor> { ["__metadata__"] = x }));
        Assert.That(e!.Message, Does.Contain("reserved"));
    }

    // A file with the given header text and data bytes (header size written honestly unless given).
    private static byte[] File_(string header, int dataBytes, ulong? headerSize = null)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerSize ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    private static string Rejected(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => SafeTensors.Deserialize(bytes, out _, "test.safetensors"))!.Message;

    [Test]
    public void UntrustedHeadersAreValidated()
    {
        const string one = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Assert.DoesNotThrow(() => SafeTensors.Deserialize(File_(one, 8), out _));
        Assert.That(Rejected(new byte[5]), Does.Contain("too short"));
        Assert.That(Rejected(File_(one, 8, headerSize: 1UL << 40)), Does.Contain("exceeds"));
        Assert.That(Rejected(File_(one, 8, headerSize: 500)), Does.Contain("runs past the end"));
        Assert.That(Rejected(File_("{\"a\":", 0)), Does.Contain("not valid JSON"));
        Assert.That(Rejected(File_("[1,2]", 0)), Does.Contain("does not start with '{'"));
        Assert.That(Rejected(File_(one, 4)), Does.Contain("outside the 4-byte data section"));
        Assert.That(Rejected(File_(one, 12)), Does.Contain("trailing bytes"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)), Does.Contain("needs 12 bytes"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8)),
                    Does.Contain("more bytes than the file has"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2)), Does.Contain("does not support"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0)), Does.Contain("non-negative"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
                    Does.Contain("overlaps"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)), Does.Contain("hole"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4)), Does.Contain("outside"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}", 8)),
                    Does.Contain("twice"));
        Assert.That(Rejected(File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)), Does.Contain("data_offsets"));
        Assert.That(Rejected(File_("{\"__metadata__\":{\"k\":1}}", 0)), Does.Contain("not a string"));
        Assert.That(Rejected(File_(one, 8)[..^3]), Does.Contain("outside"));
    }

    [Test]
    public void SaveIsAtomicAndLeavesNoTemporaryFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"compute-st-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "m.safetensors");
            using var a = Tensor.Ones(3);
            SafeTensors.Save(new Dictionary<string, Tensor> { ["a"] = a }, path);
            using var b = Tensor.Zeros(5);
            SafeTensors.Save(new Dictionary<string, Tensor> { ["b"] = b }, path);
            Assert.That(Directory.GetFiles(dir), Is.EqualTo(new[] { path }));
            Assert.That(SafeTensors.Load(path).Keys, Is.EqualTo(new[] { "b" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
