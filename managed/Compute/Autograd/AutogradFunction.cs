using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute
{
    /// <summary>
    /// A user-defined differentiable op (PyTorch's torch.autograd.Function): subclass it, write
    /// <see cref="Forward"/> with any tensor code (it runs without recording) and
    /// <see cref="Backward"/> returning one gradient per input, then call <see cref="Apply"/>.
    /// <code>
    /// sealed class Cube : AutogradFunction
    /// {
    ///     protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
    ///     {
    ///         ctx.SaveForBackward(inputs[0]);
    ///         return inputs[0].Pow(3);
    ///     }
    ///     protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) =>
    ///         [gradOutput * 3 * ctx.SavedTensors[0].Pow(2)];
    /// }
    /// var y = new Cube().Apply(x);
    /// </code>
    /// When Backward is written with tensor ops, it is recorded during a backward with
    /// createGraph, so higher-order gradients flow through the custom op too.
    /// </summary>
    public abstract class AutogradFunction
    {
        /// <summary>The node name shown by <see cref="Tensor.GradFn"/>; the class name plus "Backward" by default.</summary>
        protected virtual string Name => GetType().Name + "Backward";

        /// <summary>Computes the output from the inputs; save what Backward needs on <paramref name="ctx"/>.</summary>
        protected abstract Tensor Forward(FunctionContext ctx, Tensor[] inputs);

        /// <summary>
        /// The gradient of each input given the output's gradient; null for an input that needs
        /// none (<see cref="FunctionContext.NeedsInputGrad"/> tells which do).
        /// </summary>
        protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput);

        /// <summary>Runs the op on <paramref name="inputs"/> and records it for autograd.</summary>
        public Tensor Apply(params Tensor[] inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            var ctx = new FunctionContext(inputs.Select(t => t.RequiresGrad).ToArray());
            Tensor output;
            using (Autograd.NoGrad())
            {
                output = Forward(ctx, inputs) ?? throw new InvalidOperationException($"{GetType().Name}.Forward returned null.");
            }
            if (!Recorder.Wanted(inputs))
            {
                return output;
            }
            if (inputs.Any(t => ReferenceEquals(t, output)) || output.AutogradMetaOrNull != null)
            {
                output = output.Detach();   // an input returned as is: the output must be a tensor of its own
            }
            string name = Name;
            Tensor[] save = ctx.ToSave.ToArray();
            return Recorder.Record(output, name, inputs, save, bc =>
            {
                ctx.Attach(bc, save.Length);
                try
                {
                    Tensor?[] grads = Backward(ctx, bc.Grad);
                    if (grads is null || grads.Length != inputs.Length)
                    {
                        throw new InvalidOperationException(
                            $"{name}: Backward returned {grads?.Length ?? 0} gradients, but Forward took {inputs.Length} inputs.");
                    }
                    return grads;
                }
                finally
                {
                    ctx.Attach(null, 0);
                }
            });
        }
    }

    /// <summary>
    /// What an <see cref="AutogradFunction"/> passes from Forward to Backward: saved tensors
    /// (kept with their own reference, and checked against reuse after the graph was freed) and
    /// any other values in <see cref="Values"/>.
    /// </summary>
    public sealed class FunctionContext
    {
        private readonly List<Tensor> _toSave = new();
        private BackwardContext? _backward;
        private int _savedCount;

        internal FunctionContext(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

        /// <summary>Which inputs require grad (PyTorch's ctx.needs_input_grad).</summary>
        public IReadOnlyList<bool> NeedsInputGrad { get; }

        /// <summary>Non-tensor values Forward wants Backward to see (shapes, flags, numbers).</summary>
        public Dictionary<string, object> Values { get; } = new();

        /// <summary>Keeps tensors for Backward (inputs or the output); call it in Forward.</summary>
        public void SaveForBackward(params Tensor[] tensors)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            _toSave.AddRange(tensors);
        }

        /// <summary>The tensors given to <see cref="SaveForBackward"/>, in order; read it in Backward.</summary>
        public IReadOnlyList<Tensor> SavedTensors
        {
            get
            {
                BackwardContext bc = _backward ?? throw new InvalidOperationException(
                    "FunctionContext.SavedTensors: saved tensors can be read only in Backward.");
                var list = new Tensor[_savedCount];
                for (int i = 0; i < list.Length; i++)
                {
                    list[i] = bc.Saved(i);
                }
                return list;
            }
        }

        internal List<Tensor> ToSave => _toSave;

        internal void Attach(BackwardContext? backward, int count)
        {
            _backward = backward;
            _savedCount = count;
        }
    }
}
