using System;

namespace Compute
{
    /// <summary>
    /// How a differentiable op joins the graph. The op computes its result as usual, then
    /// calls <see cref="Record"/> with its inputs, the tensors its backward formula needs, and
    /// the formula, written with differentiable tensor ops. Nothing is recorded when grad mode
    /// is off or no input requires grad, so an untracked op pays one check.
    /// </summary>
    internal static class Recorder
    {
        /// <summary>Whether an op on these inputs must record a node.</summary>
        internal static bool Wanted(Tensor? a, Tensor? b = null, Tensor? c = null) =>
            GradMode.IsEnabled && (Requires(a) || Requires(b) || Requires(c));

        internal static bool Wanted(ReadOnlySpan<Tensor?> inputs)
        {
            if (!GradMode.IsEnabled)
            {
                return false;
            }
            foreach (Tensor? t in inputs)
            {
                if (Requires(t))
                {
                    return true;
                }
            }
            return false;
        }

        private static bool Requires(Tensor? t) => t?.AutogradMetaOrNull is { RequiresGrad: true };

        /// <summary>
        /// Records <paramref name="output"/> as made by an op named <paramref name="name"/> from
        /// <paramref name="inputs"/> (null entries are non-tensor operands). <paramref name="save"/>
        /// lists what the formula reads back with ctx.Saved(i): inputs, or the output itself.
        /// The formula returns one gradient per input (null where none is needed); broadcast
        /// gradients are reduced to the input's shape by the engine. Returns the output.
        /// </summary>
        internal static Tensor Record(Tensor output, string name, Tensor?[] inputs, Tensor[]? save,
            Func<BackwardContext, Tensor?[]> backward)
        {
            if (!Wanted(inputs))
            {
                return output;
            }
            RecordMany(new[] { output }, name, inputs, save, backward);
            return output;
        }

        /// <summary>Like <see cref="Record"/> for an op with several differentiable outputs.</summary>
        internal static void RecordMany(Tensor[] outputs, string name, Tensor?[] inputs, Tensor[]? save,
            Func<BackwardContext, Tensor?[]> backward)
        {
            if (!Wanted(inputs))
            {
                return;
            }
            var next = new Edge[inputs.Length];
            var inputMeta = new TensorMeta[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i] is Tensor t)
                {
                    next[i] = Engine.EdgeOf(t) ?? default;
                    inputMeta[i] = TensorMeta.Of(t);
                }
            }
            var outputMeta = new TensorMeta[outputs.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                outputMeta[i] = TensorMeta.Of(outputs[i]);
            }
            var node = new FunctionNode(name, next, inputMeta, outputMeta, backward);
            if (save is { Length: > 0 })
            {
                var saved = new SavedTensor[save.Length];
                for (int i = 0; i < save.Length; i++)
                {
                    int outputNr = Array.FindIndex(outputs, o => ReferenceEquals(o, save[i]));
                    // An in-place op is about to overwrite its target: a formula reading the
                    // target's old value saves a copy of it (as PyTorch saves self.clone()).
                    saved[i] = outputNr >= 0 ? SavedTensor.Output(save[i], outputNr)
                        : SavedTensor.Input(save[i], snapshot: ReferenceEquals(save[i], Tensor.InPlaceTarget));
                }
                node.SetSaved(saved);
            }
            for (int i = 0; i < outputs.Length; i++)
            {
                outputs[i].AttachGradFn(node, i);
            }
            // The inputs' handles hold the references that keep their nodes' saved tensors; an
            // input used nowhere else could otherwise be finalized between EdgeOf and the new
            // node's AddRef, freeing what its node saved before the node is reachable again
            // (backward then fails with "backward through the graph a second time").
            GC.KeepAlive(inputs);
        }
    }
}
