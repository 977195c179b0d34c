using System.Collections.Generic;
using System.Text;

namespace Compute
{
    public static partial class Autograd
    {
        /// <summary>
        /// The graph behind <paramref name="output"/> in Graphviz DOT (render with
        /// <c>dot -Tsvg graph.dot</c>): one box per node, named as <see cref="Tensor.GradFn"/>
        /// names it, leaves shown with their shapes, edges pointing from inputs to the ops that
        /// used them, as torchviz draws it.
        /// </summary>
        public static string ExportDot(Tensor output)
        {
            System.ArgumentNullException.ThrowIfNull(output);
            var text = new StringBuilder("digraph autograd {\n  node [shape=box, fontname=\"monospace\"];\n");
            var ids = new Dictionary<AutogradNode, int>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<AutogradNode>();
            int Id(AutogradNode node)
            {
                if (!ids.TryGetValue(node, out int id))
                {
                    ids[node] = id = ids.Count;
                    string label = node is AccumulateGrad
                        ? $"AccumulateGrad\\n{Tensor.FormatShape(node.Outputs[0].Shape)}"
                        : node.Name;
                    string style = node is AccumulateGrad ? ", style=filled, fillcolor=lightblue" : "";
                    text.Append($"  n{id} [label=\"{label}\"{style}];\n");
                    stack.Push(node);
                }
                return id;
            }
            text.Append($"  out [label=\"output\\n{Tensor.FormatShape(output.ShapeCached)}\", style=filled, fillcolor=darkolivegreen1];\n");
            if (Engine.EdgeOf(output) is Edge root)
            {
                text.Append($"  n{Id(root.Node!)} -> out;\n");
            }
            while (stack.TryPop(out AutogradNode? node))
            {
                int to = ids[node];
                foreach (Edge e in node.Next)
                {
                    if (e.Node != null)
                    {
                        text.Append($"  n{Id(e.Node)} -> n{to};\n");
                    }
                }
            }
            return text.Append("}\n").ToString();
        }
    }
}
