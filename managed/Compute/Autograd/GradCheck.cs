using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute
{
    public static partial class Autograd
    {
        /// <summary>
        /// Checks the gradients autograd computes for <paramref name="function"/> against central
        /// finite differences (torch.autograd.gradcheck). Every input that requires grad must be
        /// float64 (finite differences in float32 are too coarse to judge). Each analytical
        /// Jacobian entry must satisfy |analytical - numerical| &lt;= atol + rtol * |numerical|.
        /// Returns true, or throws an <see cref="ArithmeticException"/> naming the input, the
        /// output and the element when <paramref name="raiseException"/> (else returns false).
        /// </summary>
        public static bool GradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6,
            double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
        {
            ArgumentNullException.ThrowIfNull(function);
            ArgumentNullException.ThrowIfNull(inputs);
            return GradCheckMany(xs => new[] { function(xs) }, inputs, eps, atol, rtol, raiseException, "GradCheck");
        }

        /// <summary>
        /// Checks second derivatives (torch.autograd.gradgradcheck): the gradient of
        /// <paramref name="function"/>, as a function of the inputs and of a random output
        /// gradient, is itself checked with <see cref="GradCheck"/>. Needs backward formulas
        /// that are differentiable, which Compute's are.
        /// </summary>
        public static bool GradGradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6,
            double atol = 1e-5, double rtol = 1e-3, bool raiseException = true, int seed = 0)
        {
            ArgumentNullException.ThrowIfNull(function);
            ArgumentNullException.ThrowIfNull(inputs);
            using var scope = TensorScope.Begin();
            Tensor probe;
            using (NoGrad())
            {
                probe = function(inputs.Select(x => x.Detach()).ToArray());
            }
            // A fixed pseudo-random output gradient (System.Random, so the library's generator is left alone).
            var random = new Random(seed);
            double[] values = new double[probe.NumberOfElements];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = random.NextDouble() * 2 - 1;
            }
            Tensor gradOutput = Tensor.From(values).Reshape(probe.Shape).RequiresGradInPlace();
            int n = inputs.Length;
            int[] differentiable = Enumerable.Range(0, n).Where(i => inputs[i].RequiresGrad).ToArray();
            Tensor[] Second(Tensor[] xs)
            {
                Tensor output = function(xs[..n]);
                Tensor[] wrt = differentiable.Select(i => xs[i]).ToArray();
                Tensor?[] grads = Grad(new[] { output }, wrt, new[] { xs[n] }, createGraph: true, allowUnused: true);
                return grads.Select((g, k) => g ?? Tensor.ZerosLike(wrt[k])).ToArray();
            }
            return GradCheckMany(Second, inputs.Append(gradOutput).ToArray(), eps, atol, rtol, raiseException, "GradGradCheck");
        }

        private static bool GradCheckMany(Func<Tensor[], Tensor[]> function, Tensor[] inputs, double eps, double atol,
            double rtol, bool raiseException, string op)
        {
            using var scope = TensorScope.Begin();
            // Private contiguous float64 copies: perturbing them never touches the caller's tensors.
            Tensor[] xs = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].RequiresGrad && inputs[i].DType != DType.Float64)
                {
                    throw new DTypeMismatchException(
                        $"{op}: input {i} is {inputs[i].DType}; inputs that require grad must be Float64 for finite differences.");
                }
                using (NoGrad())
                {
                    xs[i] = inputs[i].Detach().Contiguous().Clone();
                }
                xs[i].RequiresGrad = inputs[i].RequiresGrad;
            }
            Tensor[] outputs = function(xs);
            for (int i = 0; i < xs.Length; i++)
            {
                if (!xs[i].RequiresGrad)
                {
                    continue;
                }
                for (int o = 0; o < outputs.Length; o++)
                {
                    double[,] numerical = NumericalJacobian(function, xs, i, o, eps);
                    double[,] analytical = AnalyticalJacobian(outputs[o], xs[i]);
                    for (int r = 0; r < numerical.GetLength(0); r++)
                    {
                        for (int c = 0; c < numerical.GetLength(1); c++)
                        {
                            double a = analytical[r, c], num = numerical[r, c];
                            if (!(Math.Abs(a - num) <= atol + rtol * Math.Abs(num)))
                            {
                                if (!raiseException)
                                {
                                    return false;
                                }
                                throw new ArithmeticException(
                                    $"{op}: the gradient of output {o} with respect to input {i} disagrees with finite differences " +
                                    $"at input element {r}, output element {c}: analytical {a:R}, numerical {num:R} " +
                                    $"(atol {atol}, rtol {rtol}).");
                            }
                        }
                    }
                }
            }
            return true;
        }

        // [input element, output element] by central differences, one input element at a time.
        private static double[,] NumericalJacobian(Func<Tensor[], Tensor[]> function, Tensor[] xs, int i, int o, double eps)
        {
            Tensor x = xs[i];
            long n = x.NumberOfElements;
            double[,]? jacobian = null;
            // Evaluated with grad mode as the caller has it: GradGradCheck's function runs backward inside.
            // The perturbation writes through the span, which autograd does not see.
            for (long k = 0; k < n; k++)
            {
                Span<double> data = x.AsSpan<double>();
                double original = data[(int)k];
                data[(int)k] = original + eps;
                double[] plus = function(xs)[o].Detach().To(DType.Float64).Contiguous().ToArray<double>();
                x.AsSpan<double>()[(int)k] = original - eps;
                double[] minus = function(xs)[o].Detach().To(DType.Float64).Contiguous().ToArray<double>();
                x.AsSpan<double>()[(int)k] = original;
                jacobian ??= new double[n, plus.Length];
                for (int c = 0; c < plus.Length; c++)
                {
                    jacobian[k, c] = (plus[c] - minus[c]) / (2 * eps);
                }
            }
            return jacobian ?? new double[0, 0];
        }

        // One backward per output element with a one-hot output gradient.
        private static double[,] AnalyticalJacobian(Tensor output, Tensor x)
        {
            long m = output.NumberOfElements;
            var jacobian = new double[x.NumberOfElements, m];
            for (long c = 0; c < m; c++)
            {
                Tensor? g = Grad(new[] { output }, new[] { x }, new[] { Functional.OneHot(output, c) }, retainGraph: true, allowUnused: true)[0];
                if (g is null)
                {
                    continue;
                }
                double[] values = g.To(DType.Float64).Contiguous().ToArray<double>();
                for (int r = 0; r < values.Length; r++)
                {
                    jacobian[r, c] = values[r];
                }
            }
            return jacobian;
        }
    }
}
