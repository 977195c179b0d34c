using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace Compute.Data
{
    /// <summary>
    /// A progress bar over the steps of a loop (in the spirit of tqdm): steps done of the total,
    /// throughput, elapsed time, ETA and the latest values of named metrics such as the loss.
    /// On a terminal one line is redrawn in place; when output is redirected (a log file, CI)
    /// it prints plain lines instead, at most one per <see cref="PlainInterval"/> plus the last.
    /// <code>
    /// using var bar = new ProgressBar(loader.Count, $"epoch {epoch}/{epochs}", itemsPerStep: batchSize);
    /// foreach (var batch in loader) { ...; bar.Step(("loss", loss.Item&lt;float&gt;())); }
    /// </code>
    /// </summary>
    public sealed class ProgressBar : IDisposable
    {
        private readonly TextWriter _output;
        private readonly Func<TimeSpan> _clock;
        private readonly List<(string Name, double Value)> _metrics = new();
        private TimeSpan _lastDraw = TimeSpan.MinValue;
        private int _lastLength;
        private bool _closed;

        /// <summary>A bar over <paramref name="total"/> steps (0 or less: unknown total, no bar or ETA).</summary>
        /// <param name="total">Number of steps.</param>
        /// <param name="description">Shown before the bar, e.g. "epoch 1/5".</param>
        /// <param name="output">Where to write; the console by default.</param>
        /// <param name="interactive">Redraw in place; by default when <paramref name="output"/> is the console and it is not redirected.</param>
        /// <param name="itemsPerStep">Items (samples) per step, to show items/s; 0 shows steps/s.</param>
        public ProgressBar(long total, string description = "", TextWriter? output = null, bool? interactive = null, int itemsPerStep = 0)
            : this(total, description, output, interactive, itemsPerStep, null)
        {
        }

        internal ProgressBar(long total, string description, TextWriter? output, bool? interactive, int itemsPerStep, Func<TimeSpan>? clock)
        {
            ArgumentNullException.ThrowIfNull(description);
            Total = total;
            Description = description;
            _output = output ?? Console.Out;
            Interactive = interactive ?? (output is null && !Console.IsOutputRedirected);
            ItemsPerStep = Math.Max(0, itemsPerStep);
            Stopwatch watch = Stopwatch.StartNew();
            _clock = clock ?? (() => watch.Elapsed);
        }

        /// <summary>Total steps (0 or less when unknown).</summary>
        public long Total { get; }

        /// <summary>Steps done so far.</summary>
        public long Current { get; private set; }

        /// <summary>The text before the bar.</summary>
        public string Description { get; set; }

        /// <summary>Whether the line is redrawn in place (a terminal) rather than printed as plain lines.</summary>
        public bool Interactive { get; }

        /// <summary>Items per step for the throughput figure.</summary>
        public int ItemsPerStep { get; }

        /// <summary>Least time between two redraws on a terminal.</summary>
        public TimeSpan RedrawInterval { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>Least time between two plain lines when output is redirected.</summary>
        public TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Advances by <paramref name="steps"/> and records the latest metric values.</summary>
        public void Step(long steps, params (string Name, double Value)[] metrics)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            Current += steps;
            SetMetrics(metrics);
            TimeSpan now = _clock();
            bool last = Total > 0 && Current >= Total;
            TimeSpan interval = Interactive ? RedrawInterval : PlainInterval;
            if (last || _lastDraw == TimeSpan.MinValue || now - _lastDraw >= interval)
            {
                Draw(now);
            }
        }

        /// <summary>Advances by one step (see <see cref="Step(long, ValueTuple{string, double}[])"/>).</summary>
        public void Step(params (string Name, double Value)[] metrics) => Step(1, metrics);

        /// <summary>Records metric values shown from the next redraw on, without a step.</summary>
        public void SetMetrics(params (string Name, double Value)[] metrics)
        {
            ArgumentNullException.ThrowIfNull(metrics);
            foreach (var (name, value) in metrics)
            {
                int i = _metrics.FindIndex(m => m.Name == name);
                if (i >= 0) _metrics[i] = (name, value);
                else _metrics.Add((name, value));
            }
        }

        /// <summary>The current line: description, bar, count, percentage, metrics, throughput, elapsed and ETA.</summary>
        public string Render() => Render(_clock());

        private string Render(TimeSpan now)
        {
            var sb = new StringBuilder();
            if (Description.Length > 0) sb.Append(Description).Append(' ');
            double seconds = Math.Max(now.TotalSeconds, 1e-9);
            if (Total > 0)
            {
                const int width = 25;
                double fraction = Math.Clamp((double)Current / Total, 0, 1);
                int filled = (int)(fraction * width);
                sb.Append('[').Append('=', filled).Append(filled < width ? ">" : "").Append(' ', Math.Max(0, width - filled - 1)).Append("] ");
                sb.Append(Current.ToString(CultureInfo.InvariantCulture)).Append('/').Append(Total.ToString(CultureInfo.InvariantCulture));
                sb.Append(' ').Append((fraction * 100).ToString("0", CultureInfo.InvariantCulture).PadLeft(3)).Append('%');
            }
            else
            {
                sb.Append(Current.ToString(CultureInfo.InvariantCulture)).Append(" steps");
            }
            foreach (var (name, value) in _metrics)
            {
                sb.Append("  ").Append(name).Append('=').Append(FormatMetric(value));
            }
            double rate = Current / seconds;
            sb.Append("  ").Append(ItemsPerStep > 0
                ? (rate * ItemsPerStep).ToString("0.0", CultureInfo.InvariantCulture) + " items/s"
                : rate.ToString("0.00", CultureInfo.InvariantCulture) + " steps/s");
            sb.Append("  ").Append(FormatTime(now));
            if (Total > 0 && Current < Total && Current > 0)
            {
                sb.Append(" ETA ").Append(FormatTime(TimeSpan.FromSeconds((Total - Current) / rate)));
            }
            return sb.ToString();
        }

        private void Draw(TimeSpan now)
        {
            string line = Render(now);
            if (Interactive)
            {
                // Pad over the previous, possibly longer, line instead of clearing the terminal line.
                _output.Write("\r" + line + new string(' ', Math.Max(0, _lastLength - line.Length)));
                _lastLength = line.Length;
            }
            else
            {
                _output.WriteLine(line);
            }
            _output.Flush();
            _lastDraw = now;
        }

        /// <summary>Draws the final state (if it was not just drawn) and ends the line.</summary>
        public void Dispose()
        {
            if (_closed) return;
            TimeSpan now = _clock();
            if (_lastDraw != now && !(Total > 0 && Current >= Total && _lastDraw != TimeSpan.MinValue))
            {
                Draw(now);
            }
            if (Interactive) _output.WriteLine();
            _output.Flush();
            _closed = true;
        }

        private static string FormatMetric(double value) =>
            value != 0 && (Math.Abs(value) < 1e-3 || Math.Abs(value) >= 1e5)
                ? value.ToString("0.###e+0", CultureInfo.InvariantCulture)
                : value.ToString("0.####", CultureInfo.InvariantCulture);

        private static string FormatTime(TimeSpan t) =>
            t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes:00}:{t.Seconds:00}";
    }
}
