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

        private static string Indent(string text) => text.Replace("\n", "\n  ");
    }
}
