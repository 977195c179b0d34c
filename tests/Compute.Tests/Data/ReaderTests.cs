using System.Buffers.Binary;
using System.IO.Compression;
using Compute.Data;

namespace Compute.Tests.Data;

public class ReaderTests : TempFolderTest
{
    // IDX bytes built by hand from the format description (big-endian sizes), independent of Idx.Write.
    private static byte[] IdxBytes(byte type, int[] shape, byte[] payload)
    {
        var bytes = new byte[4 + 4 * shape.Length + payload.Length];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), shape[d]);
        payload.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(data);
        return ms.ToArray();
    }

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void IdxReadsPlainAndGzipAndBigEndianElements()
    {
        byte[] pixels = Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray();
        using Tensor plain = Idx.Read(WriteFile("a-idx3-ubyte", IdxBytes(0x08, new[] { 2, 3, 4 }, pixels)));
        using Tensor gz = Idx.Read(WriteFile("a-idx3-ubyte.gz", Gzip(IdxBytes(0x08, new[] { 2, 3, 4 }, pixels))));
        Assert.That(plain.Shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(plain.ToArray<byte>(), Is.EqualTo(pixels));
        Assert.That(gz.ToArray<byte>(), Is.EqualTo(pixels));
        byte[] ints = { 0, 0, 1, 2, 0xFF, 0xFF, 0xFF, 0xFE };   // 258, -2 big-endian
        using Tensor i32 = Idx.Read(WriteFile("i.idx", IdxBytes(0x0C, new[] { 2 }, ints)));
        Assert.That(i32.ToArray<int>(), Is.EqualTo(new[] { 258, -2 }));
        using var f = Tensor.From(new[] { 1.5f, -2.25f });
        Idx.Write(Path.Combine(Dir, "f.idx.gz"), f);
        using Tensor back = Idx.Read(Path.Combine(Dir, "f.idx.gz"));
        Assert.That(back.ToArray<float>(), Is.EqualTo(new[] { 1.5f, -2.25f }));
    }

    [Test]
    public void MalformedIdxFilesFailClearly()
    {
        byte[] good = IdxBytes(0x08, new[] { 2, 3 }, new byte[6]);
        string Message(string name, byte[] bytes) => Assert.Throws<InvalidDataException>(() => Idx.Read(WriteFile(name, bytes)))!.Message;
        Assert.That(Message("truncated", good[..^2]), Does.Contain("truncated").And.Contain("needs 18 bytes").And.Contain("has 16"));
        Assert.That(Message("trailing", good.Concat(new byte[3]).ToArray()), Does.Contain("trailing data"));
        byte[] magic = (byte[])good.Clone();
        magic[0] = 0x12;
        Assert.That(Message("magic", magic), Does.Contain("not an IDX file"));
        byte[] type = (byte[])good.Clone();
        type[2] = 0x07;
        Assert.That(Message("type", type), Does.Contain("unknown element type code 0x07"));
        Assert.That(Message("header", good[..7]), Does.Contain("truncated header"));
        Assert.That(Message("tiny", good[..2]), Does.Contain("too short"));
        byte[] gz = Gzip(good);
        Assert.That(Message("cut.gz", gz[..(gz.Length / 2)]), Does.Contain("gzip"));
        Assert.Throws<FileNotFoundException>(() => Idx.Read(Path.Combine(Dir, "missing")));
    }

    private void WriteMnist(string folder, string prefix, int n, byte maxLabel = 9)
    {
        byte[] images = Enumerable.Range(0, n * 28 * 28).Select(i => (byte)(i % 251)).ToArray();
        byte[] labels = Enumerable.Range(0, n).Select(i => (byte)(i % (maxLabel + 1))).ToArray();
        WriteFile(Path.Combine(folder, "raw", $"{prefix}-images-idx3-ubyte.gz"), Gzip(IdxBytes(0x08, new[] { n, 28, 28 }, images)));
        WriteFile(Path.Combine(folder, "raw", $"{prefix}-labels-idx1-ubyte"), IdxBytes(0x08, new[] { n }, labels));
    }

    [Test]
    public void MnistReadsTheTorchvisionLayout()
    {
        WriteMnist("MNIST", "t10k", 5);
        var test = new Mnist(Dir, train: false, transform: new ToTensor());
        Assert.That(test.Count, Is.EqualTo(5));
        Tensor[] s = test[3];
        Assert.That(s[0].Shape, Is.EqualTo(new long[] { 1, 28, 28 }));
        Assert.That(s[0].DType, Is.EqualTo(DType.Float32));
        Assert.That(s[1].Item<long>(), Is.EqualTo(3));
        Tensor[] batch = new DataLoader(test, batchSize: 5).First();
        Assert.That(batch[0].Shape, Is.EqualTo(new long[] { 5, 1, 28, 28 }));
        var e = Assert.Throws<FileNotFoundException>(() => new Mnist(Dir, train: true));
        Assert.That(e!.Message, Does.Contain("train-images-idx3-ubyte").And.Contain("download"));
        WriteMnist("FashionMNIST", "train", 3);
        Assert.That(new FashionMnist(Dir).Count, Is.EqualTo(3));
    }

    [Test]
    public void MnistRejectsInconsistentFiles()
    {
        WriteMnist("MNIST", "train", 13, maxLabel: 12);
        var e = Assert.Throws<InvalidDataException>(() => new Mnist(Dir));
        Assert.That(e!.Message, Does.Contain("not a digit"));
        string raw = Path.Combine("MNIST", "raw");
        WriteFile(Path.Combine(raw, "t10k-images-idx3-ubyte"), IdxBytes(0x08, new[] { 3, 28, 28 }, new byte[3 * 784]));
        WriteFile(Path.Combine(raw, "t10k-labels-idx1-ubyte"), IdxBytes(0x08, new[] { 2 }, new byte[2]));
        e = Assert.Throws<InvalidDataException>(() => new Mnist(Dir, train: false));
        Assert.That(e!.Message, Does.Contain("3 images but").And.Contain("2 labels"));
    }

    [Test]
    public void DownloadSkipsPresentFilesAndNamesThePathWhenOffline()
    {
        string present = WriteFile(Path.Combine("dl", "x.bin"), new byte[] { 1 });
        Assert.That(Download.File(Path.Combine(Dir, "dl"), "x.bin", new[] { "http://127.0.0.1:9/" }), Is.EqualTo(present));
        var e = Assert.Throws<IOException>(() => Download.File(Path.Combine(Dir, "dl"), "y.bin", new[] { "http://127.0.0.1:9/" }));
        Assert.That(e!.Message, Does.Contain("y.bin").And.Contain("put the file at"));
        Assert.That(File.Exists(Path.Combine(Dir, "dl", "y.bin")), Is.False);
    }

    [Test]
    public void DownloadFetchesFromTheFirstMirrorThatServesTheFile()
    {
        // A server on the loopback interface: the first mirror answers 404, the second serves the file.
        using var listener = new System.Net.HttpListener();
        int port = 0;
        for (int attempt = 0; attempt < 20 && !listener.IsListening; attempt++)
        {
            port = Random.Shared.Next(20000, 60000);
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try { listener.Start(); } catch (System.Net.HttpListenerException) { }
        }
        Assume.That(listener.IsListening, "no free loopback port");
        byte[] body = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var served = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                var ctx = await listener.GetContextAsync();
                bool found = ctx.Request.Url!.AbsolutePath == "/good/f.bin";
                ctx.Response.StatusCode = found ? 200 : 404;
                if (found) await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });
        string folder = Path.Combine(Dir, "dl");
        string path = Download.File(folder, "f.bin", new[] { $"http://127.0.0.1:{port}/bad/", $"http://127.0.0.1:{port}/good" });
        Assert.That(served.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(body));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }), "no temporary file left behind");
    }

    [Test]
    public void Cifar10ReadsBinaryBatches()
    {
        string folder = Path.Combine(Dir, "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        var record = new byte[Cifar10.RecordBytes * 2];
        record[0] = 7;
        for (int i = 0; i < 3072; i++) record[1 + i] = (byte)(i / 1024 * 100 + i % 7);   // channel c holds 100*c + ...
        record[Cifar10.RecordBytes] = 2;
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), record);
        var ds = new Cifar10(Dir, train: false);
        Assert.That(ds.Count, Is.EqualTo(2));
        Tensor[] s = ds[0];
        Assert.That(s[0].Shape, Is.EqualTo(new long[] { 32, 32, 3 }));
        Assert.That(s[1].Item<long>(), Is.EqualTo(7));
        // Stored channel by channel; handed out [H, W, C].
        for (int c = 0; c < 3; c++)
        {
            foreach (var (h, w) in new[] { (0, 0), (0, 1), (5, 17), (31, 31) })
            {
                Assert.That(s[0].Item<byte>(h, w, c), Is.EqualTo((byte)(c * 100 + (c * 1024 + h * 32 + w) % 7)), $"pixel ({h}, {w}) channel {c}");
            }
        }
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), record[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => new Cifar10(Dir, train: false));
        Assert.That(e!.Message, Does.Contain("not a whole number").And.Contain("truncated"));
        record[0] = 11;
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), record);
        Assert.That(Assert.Throws<InvalidDataException>(() => new Cifar10(Dir, train: false))!.Message, Does.Contain("label 11"));
        Assert.Throws<FileNotFoundException>(() => new Cifar10(Dir, train: true));
    }

    [Test]
    public void CsvReadsFeaturesAndTargetsAndNamesBadCells()
    {
        string path = WriteFile("t.csv", System.Text.Encoding.UTF8.GetBytes("a,b,label\n1,2.5,0\n\n-3,4e1,2\n"));
        var ds = new CsvDataset(path, "label");
        Assert.That(ds.Count, Is.EqualTo(2));
        Assert.That(ds[1][0].ToArray<float>(), Is.EqualTo(new[] { -3f, 40f }));
        Assert.That(ds[1][1].Item<long>(), Is.EqualTo(2));
        var reg = new CsvDataset(path, "a", targetDType: DType.Float32);
        Assert.That(reg[0][0].ToArray<float>(), Is.EqualTo(new[] { 2.5f, 0f }));
        string bad = WriteFile("bad.csv", System.Text.Encoding.UTF8.GetBytes("a,b\n1,2\n3,x\n"));
        Assert.That(Assert.Throws<InvalidDataException>(() => new CsvDataset(bad))!.Message, Does.Contain("line 3").And.Contain("'b'").And.Contain("'x'"));
        string ragged = WriteFile("ragged.csv", System.Text.Encoding.UTF8.GetBytes("a,b\n1,2,3\n"));
        Assert.That(Assert.Throws<InvalidDataException>(() => new CsvDataset(ragged))!.Message, Does.Contain("line 2 has 3 fields"));
        Assert.Throws<ArgumentException>(() => new CsvDataset(path, "nope"));
        string frac = WriteFile("frac.csv", System.Text.Encoding.UTF8.GetBytes("a,y\n1,0.5\n"));
        Assert.That(Assert.Throws<InvalidDataException>(() => new CsvDataset(frac))!.Message, Does.Contain("not an integer class label"));
    }
}
