using System;
using System.Collections.Generic;

namespace Compute
{
    /// <summary>
    /// Runs backward over the recorded graph: counts how many gradients each node waits for,
    /// then runs nodes whose gradients are complete, latest-created first (PyTorch's order),
    /// summing gradients that meet at the same input.
    /// </summary>
    internal static class Engine
    {
        /// <summary>
        /// Backpropagates from <paramref name="roots"/>. With <paramref name="capture"/> null the
        /// gradients accumulate into leaves (Backward); otherwise the gradients of those tensors
        /// are returned and no leaf is touched (Autograd.Grad).
        /// </summary>
        internal static Tensor?[]? Run(IReadOnlyList<Tensor> roots, IReadOnlyList<Tensor?> rootGrads, bool retainGraph,
            bool createGraph, IReadOnlyList<Tensor>? capture, string op)
        {
            // Each gradient is computed in the dtype of its forward op, even when Backward is
            // called inside an Autocast scope.
            using AutocastRegion noAutocast = AutocastRegion.Suspend();
            var rootEdges = new Edge[roots.Count];
            var seeds = new Tensor[roots.Count];
            for (int i = 0; i < roots.Count; i++)
            {
                rootEdges[i] = EdgeOf(roots[i]) ?? throw new InvalidOperationException(
                    $"{op}: element {i} of the tensors does not require grad and has no GradFn " +
                    "(set RequiresGrad on the leaves you want gradients for, outside Autograd.NoGrad()).");
                seeds[i] = SeedGrad(roots[i], rootGrads.Count > i ? rootGrads[i] : null, i, op);
            }

            Edge[]? targets = null;
            if (capture != null)
            {
                targets = new Edge[capture.Count];
                for (int i = 0; i < capture.Count; i++)
                {
                    targets[i] = EdgeOf(capture[i]) ?? throw new InvalidOperationException(
                        $"{op}: input {i} does not require grad, so it has no gradient.");
                }
            }

            var order = Reachable(rootEdges);
            HashSet<AutogradNode>? needed = targets is null ? null : Needed(order, targets);
            var dependencies = new Dictionary<AutogradNode, int>(ReferenceEqualityComparer.Instance);
            foreach (AutogradNode node in order)
            {
                dependencies.TryAdd(node, 0);
                foreach (Edge e in node.Next)
                {
                    if (e.Node != null)
                    {
                        dependencies[e.Node] = dependencies.GetValueOrDefault(e.Node) + 1;
                    }
                }
            }

            var buffers = new Dictionary<AutogradNode, Tensor?[]>(ReferenceEqualityComparer.Instance);
            var captured = capture is null ? null : new Tensor?[capture.Count];
            // Gradients already stored in a leaf in this run: a second leaf given the same tensor
            // object copies it, so in-place updates of one .Grad never change another.
            var stored = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (Tensor seed in seeds)
            {
                stored.Add(seed); // the caller's gradient tensors are the caller's: never taken over
            }
            Tensor Store(Tensor g)
            {
                bool exclusive = !stored.Contains(g) && g.StorageUseCount == 1;
                Tensor kept = exclusive ? g : g.Clone();
                stored.Add(kept);
                return kept;
            }

            using var scope = TensorScope.Begin();
            using var mode = new AutogradModeScope(enabled: createGraph);
            for (int i = 0; i < rootEdges.Length; i++)
            {
                Accumulate(buffers, rootEdges[i], seeds[i]);
            }
            var ready = new PriorityQueue<AutogradNode, long>();
            foreach (AutogradNode node in order)
            {
                if (dependencies[node] == 0)
                {
                    ready.Enqueue(node, -node.SequenceNr);
                }
            }

            while (ready.TryDequeue(out AutogradNode? node, out _))
            {
                Tensor?[] grads = buffers.Remove(node, out Tensor?[]? b) ? b : new Tensor?[node.Outputs.Length];
                node.RunPreHooks(grads, Store);
                if (targets != null)
                {
                    for (int t = 0; t < targets.Length; t++)
                    {
                        if (ReferenceEquals(targets[t].Node, node) && grads[targets[t].InputNr] is Tensor g)
                        {
                            captured![t] = captured[t] is null ? g : captured[t]! + g;
                        }
                    }
                }
                if (needed != null && !needed.Contains(node))
                {
                    continue;   // Autograd.Grad: nothing beyond this node is asked for
                }

                Tensor?[] inputGrads = Apply(node, grads, createGraph, Store);
                if (!retainGraph)
                {
                    node.ReleaseSaved();
                }
                for (int i = 0; i < node.Next.Length; i++)
                {
                    Edge edge = node.Next[i];
                    if (edge.Node is not AutogradNode next)
                    {
                        continue;
                    }
                    if (inputGrads[i] is Tensor g)
                    {
                        Accumulate(buffers, edge, Validate(node, i, g));
                    }
                    if (--dependencies[next] == 0)
                    {
                        ready.Enqueue(next, -next.SequenceNr);
                    }
                }
            }

            if (captured != null)
            {
                foreach (Tensor? g in captured)
                {
                    if (g is not null)
                    {
                        scope.Keep(g);
                    }
                }
            }
            // The roots' handles hold the graph's references: a root the caller no longer uses
            // (loss.Backward() as the last use of loss) must not be finalized mid-run, which
            // would free the saved tensors of nodes not yet run.
            GC.KeepAlive(roots);
            GC.KeepAlive(capture);
            return captured;
        }

        private static Tensor?[] Apply(AutogradNode node, Tensor?[] grads, bool createGraph, Func<Tensor, Tensor> store)
        {
            Tensor?[] result;
            if (node is AccumulateGrad acc)
            {
                acc.Store = store;
                try
                {
                    result = acc.Apply(grads, createGraph);
                }
                finally
                {
                    acc.Store = null;
                }
            }
            else
            {
                result = node.Apply(grads, createGraph);
            }
            if (result.Length != node.Next.Length)
            {
                throw new ComputeException(
                    $"{node.Name}: the backward formula returned {result.Length} gradients for {node.Next.Length} inputs (a bug in Compute).");
            }
            if (GradMode.IsAnomalyDetection || AnomalyWanted(node))
            {
                CheckFinite(node, result);
            }
            return result;
        }

        private static bool AnomalyWanted(AutogradNode node) => node.CreationTrace != null;

        private static void CheckFinite(AutogradNode node, Tensor?[] grads)
        {
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is Tensor g && g.DType.IsFloatingPoint() && !g.IsFinite().All().Item<bool>())
                {
                    string where = node.CreationTrace is string trace
                        ? $" The forward op was called at:\n{trace}"
                        : " Turn on Autograd.DetectAnomaly() before the forward pass to see where the op was called.";
                    throw new ArithmeticException(
                        $"Autograd anomaly: {node.Name} returned NaN or infinite values in its gradient number {i} " +
                        $"(shape {Tensor.FormatShape(g.ShapeCached)}).{where}");
                }
            }
        }

        /// <summary>Reduces a gradient of a broadcast input to the input's shape and casts it to its dtype.</summary>
        private static Tensor Validate(AutogradNode node, int i, Tensor grad)
        {
            TensorMeta meta = node.Inputs[i];
            if (!Hooks.ShapesEqual(grad.ShapeCached, meta.Shape))
            {
                if (!Tensor.IsExpandableTo(meta.Shape, grad.ShapeCached))
                {
                    throw new ComputeException(
                        $"{node.Name} returned a gradient of shape {Tensor.FormatShape(grad.ShapeCached)} for input {i}, " +
                        $"which is not compatible with the input's shape {Tensor.FormatShape(meta.Shape)} (a bug in Compute).");
                }
                grad = grad.SumToSize(meta.Shape);
            }
            if (grad.DType != meta.DType)
            {
                grad = grad.To(meta.DType);
            }
            return grad;
        }

        private static void Accumulate(Dictionary<AutogradNode, Tensor?[]> buffers, Edge edge, Tensor grad)
        {
            AutogradNode node = edge.Node!;
            if (!buffers.TryGetValue(node, out Tensor?[]? slots))
            {
                buffers[node] = slots = new Tensor?[Math.Max(node.Outputs.Length, 1)];
            }
            slots[edge.InputNr] = slots[edge.InputNr] is Tensor existing ? existing + grad : grad;
        }

        private static Tensor SeedGrad(Tensor root, Tensor? grad, int i, string op)
        {
            if (grad is null)
            {
                if (root.NumberOfElements != 1)
                {
                    throw new InvalidOperationException(
                        $"{op}: a gradient can be created implicitly only for a tensor with one element; output {i} has shape " +
                        $"{Tensor.FormatShape(root.ShapeCached)}: pass the gradient of the output.");
                }
                return Tensor.OnesLike(root);
            }
            if (!Hooks.ShapesEqual(grad.ShapeCached, root.ShapeCached))
            {
                throw new ShapeMismatchException(
                    $"{op}: the gradient for output {i} has shape {Tensor.FormatShape(grad.ShapeCached)}, but the output has shape " +
                    $"{Tensor.FormatShape(root.ShapeCached)}.");
            }
            return grad;
        }

        internal static Edge? EdgeOf(Tensor t)
        {
            AutogradMeta? meta = t.AutogradMetaOrNull;
            if (meta?.GradFn is AutogradNode fn)
            {
                return new Edge(fn, meta.OutputNr);
            }
            return meta is { RequiresGradLeaf: true } ? new Edge(meta.AccumulatorOf(t), 0) : null;
        }

        /// <summary>Every node reachable from the roots (each once).</summary>
        private static List<AutogradNode> Reachable(Edge[] roots)
        {
            var seen = new HashSet<AutogradNode>(ReferenceEqualityComparer.Instance);
            var order = new List<AutogradNode>();
            var stack = new Stack<AutogradNode>();
            foreach (Edge e in roots)
            {
                if (seen.Add(e.Node!))
                {
                    stack.Push(e.Node!);
                }
            }
            while (stack.TryPop(out AutogradNode? node))
            {
                order.Add(node);
                foreach (Edge e in node.Next)
                {
                    if (e.Node != null && seen.Add(e.Node))
                    {
                        stack.Push(e.Node);
                    }
                }
            }
            return order;
        }

        /// <summary>The nodes on some path to a target: only they need to run for Autograd.Grad.</summary>
        private static HashSet<AutogradNode> Needed(List<AutogradNode> nodes, Edge[] targets)
        {
            var needed = new HashSet<AutogradNode>(ReferenceEqualityComparer.Instance);
            var memo = new Dictionary<AutogradNode, bool>(ReferenceEqualityComparer.Instance);
            var targetNodes = new HashSet<AutogradNode>(ReferenceEqualityComparer.Instance);
            foreach (Edge t in targets)
            {
                targetNodes.Add(t.Node!);
            }
            // Iterative post-order: a node is needed when one of its next nodes is a target or needed.
            foreach (AutogradNode start in nodes)
            {
                var stack = new Stack<(AutogradNode Node, int Next)>();
                stack.Push((start, 0));
                while (stack.Count > 0)
                {
                    var (node, next) = stack.Pop();
                    if (memo.ContainsKey(node))
                    {
                        continue;
                    }
                    if (next < node.Next.Length)
                    {
                        stack.Push((node, next + 1));
                        if (node.Next[next].Node is AutogradNode child && !memo.ContainsKey(child))
                        {
                            stack.Push((child, 0));
                        }
                        continue;
                    }
                    bool isNeeded = false;
                    foreach (Edge e in node.Next)
                    {
                        if (e.Node != null && (targetNodes.Contains(e.Node) || memo.GetValueOrDefault(e.Node)))
                        {
                            isNeeded = true;
                        }
                    }
                    memo[node] = isNeeded;
                    if (isNeeded)
                    {
                        needed.Add(node);
                    }
                }
            }
            return needed;
        }
    }
}
