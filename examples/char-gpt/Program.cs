using System.Diagnostics;
using System.Text.RegularExpressions;
using Compute;
using Compute.Data;
using Compute.NN;
using Compute.Optim;

namespace CharGpt;

/// <summary>
/// Trains <see cref="Gpt"/> on a text (default: the King James Genesis, which Debian's bible-kjv
/// package ships; public domain) and prints the loss and a sample. Options:
///   --text FILE    train on FILE instead
///   --steps N      optimizer steps (default 400)
/// </summary>
internal static partial class Program
{
    private static int Main(string[] args)
    {
        string? textPath = Option(args, "--text");
        int steps = int.Parse(Option(args, "--steps") ?? "400");
        string text = textPath is null ? Genesis() : File.ReadAllText(textPath);

        Tensor.ManualSeed(1337);
        const int blockSize = 64, batchSize = 32;
        var data = new CharTextDataset(text, blockSize);
        // Hold out the last 10% of the text to show the model generalises.
        int split = data.Count * 9 / 10;
        var train = new Subset<Tensor[]>(data, Enumerable.Range(0, split - blockSize).ToArray());
        var heldOut = new Subset<Tensor[]>(data, Enumerable.Range(split, data.Count - split).ToArray());
        var loader = new DataLoader(train, batchSize, shuffle: true, dropLast: true, generator: new Generator(1337));

        var model = new Gpt(data.VocabSize, blockSize, dModel: 96, heads: 4, layers: 3, dropout: 0.1);
        long count = model.Parameters().Sum(p => p.NumberOfElements);
        Console.WriteLine($"{text.Length:N0} characters, vocabulary {data.VocabSize}, model {count:N0} parameters");
        var optimizer = new AdamW(model.Parameters(), lr: 3e-3, weightDecay: 0.01);

        Console.WriteLine($"held-out loss before training {Evaluate(model, heldOut):F3} (uniform guessing: {Math.Log(data.VocabSize):F3})");
        var clock = Stopwatch.StartNew();
        int step = 0;
        double running = 0;
        using (var bar = new ProgressBar(steps, "train"))
        {
            while (step < steps)
            {
                foreach (Tensor[] batch in loader)
                {
                    using var scope = TensorScope.Begin();
                    Tensor logits = model.Forward(batch[0]);
                    Tensor loss = Functional.CrossEntropy(logits.Reshape(-1, data.VocabSize), batch[1].Reshape(-1));
                    loss.Backward();
                    optimizer.Step();
                    // Clear the gradients while the step's scope, which owns them, is open.
                    model.ZeroGrad();
                    double value = loss.Item<float>();
                    running = step == 0 ? value : 0.95 * running + 0.05 * value;
                    bar.Step(1, ("loss", running));
                    if (++step == steps)
                    {
                        break;
                    }
                }
            }
        }
        Console.WriteLine($"{steps} steps in {clock.Elapsed.TotalSeconds:F0} s; training loss {running:F3}, held-out loss {Evaluate(model, heldOut):F3}");

        model.Eval();
        Tensor prompt = data.Encode("And God said").Unsqueeze(0);
        Console.WriteLine("sample:\n" + data.Decode(model.Generate(prompt, 400, temperature: 0.8).Squeeze(0)));
        return 0;
    }

    /// <summary>Mean cross-entropy over up to 32 held-out batches, in evaluation mode.</summary>
    private static double Evaluate(Gpt model, Dataset<Tensor[]> heldOut)
    {
        model.Eval();
        using var noGrad = Autograd.NoGrad();
        double sum = 0;
        int n = 0;
        foreach (Tensor[] batch in new DataLoader(heldOut, 64, shuffle: true, generator: new Generator(7)))
        {
            using var scope = TensorScope.Begin();
            Tensor logits = model.Forward(batch[0]);
            sum += Functional.CrossEntropy(logits.Reshape(-1, logits.Shape[2]), batch[1].Reshape(-1)).Item<float>();
            if (++n == 32)
            {
                break;
            }
        }
        model.Train();
        return sum / n;
    }

    /// <summary>
    /// The King James Genesis as plain text: data/genesis.txt, made on first run by Debian's
    /// `bible` program (package bible-kjv) with the verse references dropped.
    /// </summary>
    private static string Genesis()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "genesis.txt");
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }
        var psi = new ProcessStartInfo("bible", ["-f", "Genesis1:1-50:26"]) { RedirectStandardOutput = true };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                "char-gpt: the `bible` program is missing. Run `./build.sh run-example char-gpt` (installs Debian's bible-kjv), or `sudo apt-get install bible-kjv`, or pass --text FILE.");
        }
        string raw = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || raw.Length < 100_000)
        {
            throw new InvalidOperationException($"char-gpt: `bible -f Genesis1:1-50:26` failed (exit code {process.ExitCode}, {raw.Length} characters).");
        }
        string text = VerseReference().Replace(raw, "");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return text;
    }

    [GeneratedRegex(@"(?m)^\S+\d+:\d+ ")]
    private static partial Regex VerseReference();

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
