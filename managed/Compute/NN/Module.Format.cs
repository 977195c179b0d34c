using System;
using System.Collections.Generic;
using System.Text;

namespace Compute.NN
{
    public abstract partial class Module
    {
        /// <summary>
        /// The module's settings shown between the parentheses of <see cref="ToString"/>, such as
        /// "in_features=4, out_features=2, bias=True" (PyTorch's extra_repr); empty by default.
        /// </summary>
        public virtual string ExtraRepr() => "";

        /// <summary>The module tree as PyTorch prints it: the type, its <see cref="ExtraRepr"/>, and each child on its own line as "(name): ...".</summary>
        public override string ToString()
        {
            var children = new List<string>();
            foreach (var (name, child) in OwnModules())
            {
                children.Add($"({name}): " + Indent(child.ToString()));
            }
            string extra = ExtraRepr();
            if (children.Count == 0)
            {
                return $"{TypeName}({extra})";
            }
            var sb = new StringBuilder(TypeName).Append('(');
            if (extra.Length > 0)
            {
                sb.Append("\n  ").Append(Indent(extra));
            }
            foreach (string line in children)
            {
                sb.Append("\n  ").Append(line);
            }
            return sb.Append("\n)").ToString();
        }

        /// <summary>PyTorch's Python spelling of a bool in reprs.</summary>
        private protected static string Py(bool value) => value ? "True" : "False";

        /// <summary>A tuple the way Python prints it: "(3,)" for one element, "(3, 3)" for two.</summary>
        private protected static string Py(IReadOnlyList<long> values) =>
            values.Count == 1 ? $"({values[0]},)" : "(" + string.Join(", ", values) + ")";

        /// <summary>A double the way Python prints a float: "1.0", "0.01", "1e-05".</summary>
        private protected static string PyNumber(double value)
        {
            if (double.IsNaN(value))
            {
                return "nan";
            }
            if (double.IsInfinity(value))
            {
                return value > 0 ? "inf" : "-inf";
            }
            string r = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (r.Contains('E'))
            {
                // .NET writes 1E-05; Python writes 1e-05.
                string[] parts = r.Split('E');
                int exp = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                return parts[0] + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            }
            return r.Contains('.') ? r : r + ".0";
        }

        private static string Indent(string text) => text.Replace("\n", "\n  ");
    }
}
