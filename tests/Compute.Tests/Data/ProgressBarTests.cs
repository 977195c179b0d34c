using Compute.Data;

namespace Compute.Tests.Data;

public class ProgressBarTests
{
    [Test]
    public void RedirectedOutputGetsPlainLinesWithLossThroughputAndEta()
    {
        var clock = TimeSpan.Zero;
        var output = new StringWriter();
        using (var bar = new ProgressBar(10, "epoch 1/2", output, interactive: false, itemsPerStep: 32, () => clock) { PlainInterval = TimeSpan.FromSeconds(2) })
        {
            for (int i = 0; i < 10; i++)
            {
                clock += TimeSpan.FromSeconds(1);
                bar.Step(("loss", 2.5 - i * 0.1));
            }
        }
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The first step, then every 2 s, and the last one: steps 1, 3, 5, 7, 9, 10.
        Assert.That(lines.Length, Is.EqualTo(6), output.ToString());
        Assert.That(lines, Has.None.Contains("\r"));
        Assert.That(lines[1], Does.StartWith("epoch 1/2 [").And.Contain("3/10").And.Contain("30%").And.Contain("loss=2.3")
                                  .And.Contain("32.0 items/s").And.Contain("00:03").And.Contain("ETA 00:07"));
        Assert.That(lines[^1], Does.Contain("10/10").And.Contain("100%").And.Not.Contain("ETA"));
    }

    [Test]
    public void TerminalOutputRedrawsOneLine()
    {
        var clock = TimeSpan.Zero;
        var output = new StringWriter();
        using (var bar = new ProgressBar(3, "", output, interactive: true, 0, () => clock))
        {
            for (int i = 0; i < 3; i++)
            {
                clock += TimeSpan.FromSeconds(1);
                bar.Step();
            }
        }
        string text = output.ToString();
        Assert.That(text.Count(ch => ch == '\r'), Is.EqualTo(3));
        Assert.That(text.TrimEnd().Split('\n').Length, Is.EqualTo(1));
        Assert.That(text, Does.Contain("1.00 steps/s"));
    }

    [Test]
    public void UnknownTotalShowsCountsOnly()
    {
        var output = new StringWriter();
        using (var bar = new ProgressBar(0, "stream", output, interactive: false))
        {
            bar.Step(5);
        }
        Assert.That(output.ToString(), Does.Contain("stream 5 steps").And.Not.Contain("ETA"));
    }
}
