using System;

namespace Compute.NN
{
    // Autograd for the neural-network ops of Compute.NN.Functional and the NN methods of Tensor.
    // Every formula has two forms: a first-order backward (grad mode off inside backward) calls
    // the op's native backward kernel, which is fast but opaque to autograd; a backward run with
    // createGraph (grad mode on inside the formula) builds the same gradient from recorded tensor
    // ops instead, so the gradient is differentiable again. Ops with no composite form throw by
    // name when asked for a graph rather than return a gradient that silently lacks terms.
    internal static partial class NNFormulas
    {
        /// <summary>Whether this backward is being recorded (createGraph): the composite form is needed.</summary>
        private static bool Recording => Autograd.IsGradEnabled;

        /// <summary>The gradients for the inputs the node needs, nulls for the others.</summary>
        private static Tensor?[] Needed(BackwardContext ctx, params Tensor?[] grads)
        {
            for (int i = 0; i < grads.Length; i++)
            {
                if (!ctx.Needs(i))
                {
                    grads[i] = null;
                }
            }
            return grads;
        }

        /// <summary>
        /// Operands such as class weights or running statistics that PyTorch does not
        /// differentiate either: refuse a tensor that requires grad instead of dropping its gradient.
        /// </summary>
        internal static void NotDifferentiable(Tensor? t, string argument, string op)
        {
            if (t is not null && t.RequiresGrad && Autograd.IsGradEnabled)
            {
                throw new NotSupportedException(
                    $"{op}: the derivative for '{argument}' is not implemented (as in PyTorch); detach it or set RequiresGrad false.");
            }
        }

        /// <summary>The error of an op whose gradient exists only as a native kernel, asked for a differentiable one.</summary>
        private static InvalidOperationException NoDoubleBackward(string node) => new(
            $"{node}: double backward (createGraph: true) is not supported for this op; its gradient comes from a native " +
            "kernel that autograd cannot differentiate. Run backward without createGraph.");
    }
}
