using System.Collections.Generic;
using Compute.Native;

namespace Compute.Optim
{
    // Shared pieces of the concrete optimizers.
    internal static class OptimizerDefaults
    {
        // A NULL cmp_tensor for optional state buffers (owns nothing, never released).
        internal static readonly TensorHandle NoTensor = new();

        internal static TensorHandle Optional(Tensor? t) => t is null ? NoTensor : t.Handle;

        internal static int Flag(bool b) => b ? 1 : 0;

        // The group list for the constructors that take a plain parameter list.
        internal static IEnumerable<ParamGroup> Single(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];

        // The step count after this step: scalar state "step" (PyTorch keeps it as a float tensor).
        internal static long NextStep(ParamState state)
        {
            double step = state.Scalars.TryGetValue("step", out double s) ? s + 1 : 1;
            state.Scalars["step"] = step;
            return (long)step;
        }
    }
}
