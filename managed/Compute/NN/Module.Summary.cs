using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Compute.NN
{
    public abstract partial class Module
    {
        /// <summary>
        /// A torchinfo-style table of the layers a forward pass on zeros of shape
        /// <paramref name="inputShape"/> runs through: each layer's type, depth and index, output
        /// shape and own parameter count, then the total, trainable and non-trainable parameter
        /// counts. The input takes the dtype and device of the first parameter. The pass runs in
        /// evaluation mode without autograd; the modules' modes are restored afterwards.
        /// </summary>
        /// <exception cref="InvalidOperationException">The module does not take one tensor; use <see cref="Summary(Action)"/>.</exception>
        public string Summary(params long[] inputShape)
        {
            ArgumentNullException.ThrowIfNull(inputShape);
            if (this is not Module<Tensor, Tensor> module)
            {
                throw new InvalidOperationException(
                    $"Summary: {TypeName} does not map one Tensor to a Tensor; call Summary(() => module.Forward(...)) with its inputs.");
            }
            Parameter? first = Parameters().FirstOrDefault();
            return Summary(() =>
            {
                using var scope = TensorScope.Begin();
                module.Forward(Tensor.Zeros(inputShape, first?.DType ?? DType.Float32, first?.Device));
            });
        }

        /// <summary>
        /// The summary table (see <see cref="Summary(long[])"/>) of whatever forward pass
        /// <paramref name="forward"/> runs on this module, for modules with several inputs.
        /// </summary>
        public string Summary(Action forward)
        {
            ArgumentNullException.ThrowIfNull(forward);
            var named = NamedModules().ToList();
            var rows = new List<SummaryRow>();
            var handles = new List<HookHandle>();
            var modes = named.Select(m => m.Module.Training).ToList();
            var perDepth = new Dictionary<int, int>();
            try
            {
                foreach (var (name, m) in named)
                {
                    int depth = name.Length == 0 ? 0 : name.Count(c => c == '.') + 1;
                    handles.Add(m.RegisterForwardPreHook((mod, inputs) =>
                    {
                        perDepth[depth] = perDepth.GetValueOrDefault(depth) + 1;
                        rows.Add(new SummaryRow(mod, depth, perDepth[depth]));
                        return null;
                    }));
                    handles.Add(m.RegisterForwardHook((mod, inputs, output) =>
                    {
                        // The innermost open row of this module gets the output (a module may run more than once).
                        SummaryRow? row = rows.LastOrDefault(r => ReferenceEquals(r.Module, mod) && r.Output is null);
                        if (row is not null)
                        {
                            row.Output = ShapeText(output);
                        }
                        return null;
                    }));
                }
                Eval();
                using (Autograd.NoGrad())
                {
                    forward();
                }
            }
            finally
            {
                foreach (HookHandle h in handles)
                {
                    h.Remove();
                }
                for (int i = 0; i < named.Count; i++)
                {
                    named[i].Module.Training = modes[i];
                }
            }
            return FormatSummary(rows);
        }

        private string FormatSummary(List<SummaryRow> rows)
        {
            const int layerWidth = 45, shapeWidth = 25;
            string rule = new('=', layerWidth + shapeWidth + 15);
            var sb = new StringBuilder();
            sb.AppendLine(rule);
            sb.Append("Layer (type:depth-idx)".PadRight(layerWidth)).Append("Output Shape".PadRight(shapeWidth)).AppendLine("Param #");
            sb.AppendLine(rule);
            foreach (SummaryRow row in rows)
            {
                string label = row.Depth == 0 ? row.Module.TypeName
                    : string.Concat(Enumerable.Repeat("│    ", row.Depth - 1)) + (row.Depth == 1 ? "├─" : "└─") + $"{row.Module.TypeName}: {row.Depth}-{row.Index}";
                long own = row.Module.Parameters(recurse: false).Sum(p => p.NumberOfElements);
                sb.Append(label.PadRight(layerWidth)).Append((row.Output ?? "--").PadRight(shapeWidth))
                  .AppendLine(own == 0 ? "--" : own.ToString("N0", CultureInfo.InvariantCulture));
            }
            var all = Parameters().ToList();
            long total = all.Sum(p => p.NumberOfElements), trainable = all.Where(p => p.RequiresGrad).Sum(p => p.NumberOfElements);
            sb.AppendLine(rule);
            sb.AppendLine(CultureInfo.InvariantCulture, $"Total params: {total:N0}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"Trainable params: {trainable:N0}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"Non-trainable params: {total - trainable:N0}");
            sb.Append(rule);
            return sb.ToString();
        }

        private static string ShapeText(object? output) => output switch
        {
            Tensor t => Tensor.FormatShape(t.ShapeCached),
            System.Runtime.CompilerServices.ITuple tuple => "[" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => ShapeText(tuple[i]))) + "]",
            IEnumerable<Tensor> list => "[" + string.Join(", ", list.Select(ShapeText)) + "]",
            _ => "--",
        };

        private sealed class SummaryRow(Module module, int depth, int index)
        {
            public Module Module { get; } = module;
            public int Depth { get; } = depth;
            public int Index { get; } = index;
            public string? Output { get; set; }
        }
    }
}
