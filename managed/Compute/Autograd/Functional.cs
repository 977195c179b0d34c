using System;
using System.Linq;

namespace Compute
{
    public static partial class Autograd
    {
        /// <summary>
        /// Higher-level derivatives built on backward (torch.autograd.functional). Functions take
        /// and return tensors; inputs are copied into fresh leaves, so the caller's tensors and
        /// their gradients are left alone. <c>createGraph</c> keeps the results differentiable.
        /// </summary>
        public static class Functional
        {
            /// <summary>
            /// The vector-Jacobian product vᵀ·J of <paramref name="function"/> at
            /// <paramref name="inputs"/> (torch.autograd.functional.vjp); <paramref name="v"/> may
            /// be null for a one-element output. Returns the output and one product per input.
            /// </summary>
            public static (Tensor Output, Tensor[] Vjp) Vjp(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor? v = null,
                bool createGraph = false)
            {
                Tensor[] xs = Leaves(inputs);
                Tensor output = function(xs);
                Tensor[] grads = GradsOrZeros(output, xs, v, createGraph);
                return (createGraph ? output : output.Detach(), grads);
            }

            /// <summary>
            /// The Jacobian-vector product J·v (torch.autograd.functional.jvp), by differentiating
            /// a vector-Jacobian product with respect to its vector (two backward passes).
            /// <paramref name="v"/> holds one tensor per input.
            /// </summary>
            public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor[] v,
                bool createGraph = false)
            {
                ArgumentNullException.ThrowIfNull(v);
                if (v.Length != inputs.Length)
                {
                    throw new ArgumentException($"Jvp: {v.Length} tangents were given for {inputs.Length} inputs.", nameof(v));
                }
                Tensor[] xs = Leaves(inputs);
                Tensor output = function(xs);
                // u ↦ uᵀJ is linear in u; its gradient with respect to u along v is J·v.
                Tensor u = Tensor.ZerosLike(output).RequiresGradInPlace();
                Tensor[] vjp = GradsOrZeros(output, xs, u, createGraph: true);
                Tensor dot = vjp.Select((g, i) => (g * v[i]).Sum()).Aggregate((a, b) => a + b);
                Tensor? jvp = Grad(new[] { dot }, new[] { u }, createGraph: createGraph, allowUnused: true)[0];
                return (createGraph ? output : output.Detach(), jvp ?? Tensor.ZerosLike(output));
            }

            /// <summary>
            /// The Jacobian of <paramref name="function"/> with respect to input
            /// <paramref name="wrt"/> (torch.autograd.functional.jacobian for one input), shaped
            /// output.Shape followed by input.Shape; one backward per output element.
            /// </summary>
            public static Tensor Jacobian(Func<Tensor[], Tensor> function, Tensor[] inputs, int wrt = 0, bool createGraph = false)
            {
                Tensor[] xs = Leaves(inputs);
                Tensor output = function(xs);
                long m = output.NumberOfElements;
                var rows = new Tensor[m];
                for (long c = 0; c < m; c++)
                {
                    Tensor? g = Grad(new[] { output }, new[] { xs[wrt] }, new[] { OneHot(output, c) },
                        retainGraph: true, createGraph: createGraph, allowUnused: true)[0];
                    rows[c] = (g ?? Tensor.ZerosLike(xs[wrt])).Reshape(-1);
                }
                long[] shape = output.Shape.Concat(xs[wrt].Shape).ToArray();
                Tensor stacked = m == 0 ? Tensor.Zeros(shape, xs[wrt].DType) : Tensor.Stack(rows, 0);
                return stacked.Reshape(shape);
            }

            /// <summary>
            /// The Hessian of a scalar <paramref name="function"/> with respect to input
            /// <paramref name="wrt"/> (torch.autograd.functional.hessian for one input), shaped
            /// input.Shape twice.
            /// </summary>
            public static Tensor Hessian(Func<Tensor[], Tensor> function, Tensor[] inputs, int wrt = 0, bool createGraph = false)
            {
                Tensor Gradient(Tensor[] xs) => Grad(new[] { function(xs) }, new[] { xs[wrt] }, createGraph: true, allowUnused: true)[0]
                    ?? Tensor.ZerosLike(xs[wrt]);
                return Jacobian(Gradient, inputs, wrt, createGraph);
            }

            /// <summary>
            /// The Hessian-vector product H·v of a scalar <paramref name="function"/>
            /// (torch.autograd.functional.hvp; equal to vᵀ·H because H is symmetric).
            /// Returns the function's value and one product per input.
            /// </summary>
            public static (Tensor Output, Tensor[] Hvp) Hvp(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor[] v,
                bool createGraph = false)
            {
                ArgumentNullException.ThrowIfNull(v);
                Tensor[] xs = Leaves(inputs);
                Tensor output = function(xs);
                Tensor[] grads = GradsOrZeros(output, xs, null, createGraph: true);
                Tensor dot = grads.Select((g, i) => (g * v[i]).Sum()).Aggregate((a, b) => a + b);
                Tensor[] hvp = GradsOrZeros(dot, xs, null, createGraph);
                return (createGraph ? output : output.Detach(), hvp);
            }

            /// <summary>A gradient for <paramref name="output"/> that is 1 at flat element <paramref name="c"/>, 0 elsewhere.</summary>
            internal static Tensor OneHot(Tensor output, long c)
            {
                Tensor onehot = Tensor.Zeros(output.Shape, DType.Float64);
                onehot.AsSpan<double>()[(int)c] = 1;
                return onehot.DType == output.DType ? onehot : onehot.To(output.DType);
            }

            private static Tensor[] Leaves(Tensor[] inputs)
            {
                ArgumentNullException.ThrowIfNull(inputs);
                return inputs.Select(x => x.Detach().RequiresGradInPlace()).ToArray();
            }

            private static Tensor[] GradsOrZeros(Tensor output, Tensor[] xs, Tensor? v, bool createGraph)
            {
                if (!output.RequiresGrad)
                {
                    return xs.Select(x => Tensor.ZerosLike(x)).ToArray();
                }
                Tensor?[] grads = Grad(new[] { output }, xs, new[] { v }, retainGraph: true, createGraph: createGraph, allowUnused: true);
                return grads.Select((g, i) => g ?? Tensor.ZerosLike(xs[i])).ToArray();
            }
        }
    }
}
