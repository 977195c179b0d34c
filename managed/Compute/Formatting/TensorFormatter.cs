using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Compute.Formatting
{
    /// <summary>
    /// PyTorch's tensor printing (torch/_tensor_str.py with the default print options:
    /// precision 4, threshold 1000, edge items 3, line width 80), reproduced so that the same
    /// values print the same text in Compute and in PyTorch.
    /// </summary>
    internal static class TensorFormatter
    {
        private const int Precision = 4;
        private const int Threshold = 1000;
        private const int EdgeItems = 3;
        private const int LineWidth = 80;
        private const string Prefix = "tensor(";

        internal static string Format(Tensor tensor)
        {
            long[] shape = tensor.Shape;
            DType dtype = tensor.DType;
            Device device = tensor.Device;
            long numel = tensor.NumberOfElements;
            int indent = Prefix.Length;
            var suffixes = new List<string>();
            if (device.Type != DeviceType.Cpu)
            {
                suffixes.Add($"device='{device}'");
            }

            string body;
            if (numel == 0)
            {
                if (shape.Length != 1)
                {
                    suffixes.Add("size=" + PythonTuple(shape));
                }
                if (dtype != DType.Float32)
                {
                    suffixes.Add("dtype=torch." + dtype.Name());
                }
                body = "[]";
            }
            else
            {
                if (dtype is not (DType.Float32 or DType.Int64 or DType.Bool))
                {
                    suffixes.Add("dtype=torch." + dtype.Name());
                }
                bool summarize = numel > Threshold;
                int[][] shown = ShownIndices(shape, summarize);
                Element[] values = Gather(tensor, shape, shown, summarize);
                var formatter = new ElementFormatter(values, dtype.IsFloatingPoint());
                body = shape.Length == 0
                    ? formatter.Format(values[0])
                    : Render(shape, shown, values, formatter, 0, 0, indent, summarize);
            }
            return AddSuffixes(Prefix + body, suffixes, indent);
        }

        /// <summary>An element as PyTorch sees it when printing: a Python float, int or bool.</summary>
        internal readonly record struct Element(double Float, long Int, bool IsBool);

        // The indices printed along each dim: all of them, or the edges when summarising.
        private static int[][] ShownIndices(long[] shape, bool summarize)
        {
            var shown = new int[shape.Length][];
            for (int d = 0; d < shape.Length; d++)
            {
                int size = checked((int)Math.Min(shape[d], int.MaxValue));
                shown[d] = summarize && shape[d] > 2 * EdgeItems
                    ? Enumerable.Range(0, EdgeItems).Concat(Enumerable.Range(size - EdgeItems, EdgeItems)).ToArray()
                    : Enumerable.Range(0, size).ToArray();
            }
            return shown;
        }

        // The printed elements in row-major order over the shown indices; this is also exactly
        // the data PyTorch's formatter measures (get_summarized_data).
        private static Element[] Gather(Tensor tensor, long[] shape, int[][] shown, bool summarize)
        {
            Tensor source = tensor;
            bool moved = false;
            if (!summarize && tensor.Device.Type != DeviceType.Cpu)
            {
                source = tensor.To(Device.Cpu);
                moved = true;
            }
            try
            {
                long count = 1;
                foreach (int[] s in shown)
                {
                    count *= s.Length;
                }
                var values = new Element[count];
                var position = new int[shape.Length];
                var indices = new long[shape.Length];
                for (long n = 0; n < count; n++)
                {
                    for (int d = 0; d < shape.Length; d++)
                    {
                        indices[d] = shown[d][position[d]];
                    }
                    var scalar = Native.NativeMethods.TensorItem(source.Handle, indices, indices.Length);
                    values[n] = scalar.Kind switch
                    {
                        (int)Native.ScalarKind.Float => new Element(scalar.F, 0, false),
                        (int)Native.ScalarKind.Bool => new Element(0, scalar.I, true),
                        _ => new Element(0, scalar.I, false),
                    };
                    for (int d = shape.Length - 1; d >= 0; d--)
                    {
                        if (++position[d] < shown[d].Length)
                        {
                            break;
                        }
                        position[d] = 0;
                    }
                }
                return values;
            }
            finally
            {
                if (moved)
                {
                    source.Dispose();
                }
            }
        }

        private static string Render(long[] shape, int[][] shown, Element[] values, ElementFormatter formatter,
                                     int dim, long offset, int indent, bool summarize)
        {
            bool elided = summarize && shape[dim] > 2 * EdgeItems;
            if (dim == shape.Length - 1)
            {
                var items = new List<string>();
                for (int i = 0; i < shown[dim].Length; i++)
                {
                    if (elided && i == EdgeItems)
                    {
                        items.Add(" ...");
                    }
                    items.Add(formatter.Format(values[offset + i]));
                }
                int elementLength = formatter.Width + 2;
                int perLine = Math.Max(1, (LineWidth - indent) / elementLength);
                var lines = new List<string>();
                for (int i = 0; i < items.Count; i += perLine)
                {
                    lines.Add(string.Join(", ", items.Skip(i).Take(perLine)));
                }
                return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
            }

            long block = 1;
            for (int d = dim + 1; d < shape.Length; d++)
            {
                block *= shown[d].Length;
            }
            var slices = new List<string>();
            for (int i = 0; i < shown[dim].Length; i++)
            {
                if (elided && i == EdgeItems)
                {
                    slices.Add("...");
                }
                slices.Add(Render(shape, shown, values, formatter, dim + 1, offset + i * block, indent + 1, summarize));
            }
            string separator = "," + new string('\n', shape.Length - dim - 1) + new string(' ', indent + 1);
            return "[" + string.Join(separator, slices) + "]";
        }

        private static string AddSuffixes(string text, List<string> suffixes, int indent)
        {
            var sb = new StringBuilder(text);
            int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
            foreach (string suffix in suffixes)
            {
                if (lastLineLength + suffix.Length + 2 > LineWidth)
                {
                    sb.Append(",\n").Append(' ', indent).Append(suffix);
                    lastLineLength = indent + suffix.Length;
                }
                else
                {
                    sb.Append(", ").Append(suffix);
                    lastLineLength += suffix.Length + 2;
                }
            }
            return sb.Append(')').ToString();
        }

        private static string PythonTuple(long[] shape) =>
            shape.Length == 1
                ? "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)"
                : "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";

        /// <summary>PyTorch's _Formatter: one width and one notation for every element printed.</summary>
        private sealed class ElementFormatter
        {
            private readonly bool _floating;
            private readonly bool _intMode = true;
            private readonly bool _sciMode;

            internal int Width { get; } = 1;

            internal ElementFormatter(Element[] values, bool floating)
            {
                _floating = floating;
                if (!floating)
                {
                    foreach (Element v in values)
                    {
                        Width = Math.Max(Width, Plain(v).Length);
                    }
                    return;
                }

                double[] finite = values.Select(v => v.Float).Where(f => double.IsFinite(f) && f != 0).ToArray();
                if (finite.Length == 0)
                {
                    return;
                }
                double min = finite.Min(Math.Abs);
                double max = finite.Max(Math.Abs);
                _intMode = finite.All(f => f == Math.Ceiling(f));
                if (_intMode)
                {
                    _sciMode = max / min > 1000.0 || max > 1e8;
                }
                else
                {
                    _sciMode = max / min > 1000.0 || max > 1e8 || min < 1e-4;
                }
                foreach (double f in finite)
                {
                    int length = _sciMode ? PythonFloatFormat.Scientific(f, Precision).Length
                        : _intMode ? PythonFloatFormat.Fixed(f, 0).Length + 1
                        : PythonFloatFormat.Fixed(f, Precision).Length;
                    Width = Math.Max(Width, length);
                }
            }

            internal string Format(Element value)
            {
                string text;
                if (_floating)
                {
                    double f = value.Float;
                    if (_sciMode)
                    {
                        text = PythonFloatFormat.Scientific(f, Precision);
                    }
                    else if (_intMode)
                    {
                        text = PythonFloatFormat.Fixed(f, 0);
                        if (double.IsFinite(f))
                        {
                            text += ".";
                        }
                    }
                    else
                    {
                        text = PythonFloatFormat.Fixed(f, Precision);
                    }
                }
                else
                {
                    text = Plain(value);
                }
                return text.PadLeft(Width);
            }

            private static string Plain(Element value) =>
                value.IsBool ? (value.Int != 0 ? "True" : "False") : value.Int.ToString(CultureInfo.InvariantCulture);
        }
    }
}
