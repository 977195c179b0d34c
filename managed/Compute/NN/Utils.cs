using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.NN
{
    /// <summary>Gradient clipping and parameter/vector conversion (PyTorch's torch.nn.utils).</summary>
    public static class Utils
    {
        /// <summary>
        /// Scales the gradients of <paramref name="parameters"/> in place so that their total
        /// norm (the <paramref name="normType"/>-norm of the per-gradient norms; infinity for the
        /// largest |value|) is at most <paramref name="maxNorm"/>, and returns that total norm as
        /// it was before clipping (clip_grad_norm_). Parameters without a gradient are skipped.
        /// </summary>
        /// <exception cref="InvalidOperationException"><paramref name="errorIfNonfinite"/> and the total norm is NaN or infinite.</exception>
        public static Tensor ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2.0, bool errorIfNonfinite = false)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            List<Tensor> grads = parameters.Select(p => p?.Grad).OfType<Tensor>().ToList();
            if (grads.Count == 0)
            {
                return Tensor.From(0.0f);
            }
            using (Autograd.NoGrad())
            {
                Device device = grads[0].Device;
                Tensor total;
                if (double.IsPositiveInfinity(normType))
                {
                    List<Tensor> maxima = grads.Select(g => g.Abs().Max().To(device)).ToList();
                    total = maxima.Count == 1 ? maxima[0] : Tensor.Stack(maxima).Max();
                }
                else
                {
                    total = Tensor.Stack(grads.Select(g => g.Norm(normType).To(device)).ToList()).Norm(normType);
                }
                if (errorIfNonfinite && !total.IsFinite().Item<bool>())
                {
                    throw new InvalidOperationException(
                        $"ClipGradNorm: the total norm of order {normType} for the gradients is non-finite, so it cannot be clipped. " +
                        "To scale the gradients by the non-finite norm anyway, pass errorIfNonfinite: false.");
                }
                // As PyTorch: multiply even when the coefficient is 1, so that no host sync is needed.
                Tensor coefficient = (maxNorm / (total + 1e-6)).Clamp(max: 1.0);
                foreach (Tensor g in grads)
                {
                    g.MulInPlace(coefficient.To(g.Device));
                }
                return total;
            }
        }

        /// <summary>Clips each gradient of <paramref name="parameters"/> in place to [-clipValue, clipValue] (clip_grad_value_).</summary>
        public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            using (Autograd.NoGrad())
            {
                foreach (Tensor g in parameters.Select(p => p?.Grad).OfType<Tensor>())
                {
                    g.ClampInPlace(-clipValue, clipValue);
                }
            }
        }

        /// <summary>The parameters flattened and concatenated into one vector (parameters_to_vector; differentiable).</summary>
        /// <exception cref="ArgumentException">The parameters are on different devices.</exception>
        public static Tensor ParametersToVector(IEnumerable<Tensor> parameters)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            List<Tensor> list = parameters.ToList();
            CheckSameDevice(list, nameof(ParametersToVector));
            return Tensor.Cat(list.Select(p => p.Reshape(-1)).ToList());
        }

        /// <summary>
        /// Gives each parameter the next slice of <paramref name="vector"/>, reshaped to it
        /// (vector_to_parameters): a <see cref="Parameter"/> is re-pointed at the slice (PyTorch's
        /// <c>param.data = ...</c>, so it shares the vector's storage), another tensor gets the values copied in.
        /// </summary>
        /// <exception cref="ArgumentException">The vector is not 1-D, its length differs from the parameters' total, or the parameters are on different devices.</exception>
        public static void VectorToParameters(Tensor vector, IEnumerable<Tensor> parameters)
        {
            ArgumentNullException.ThrowIfNull(vector);
            ArgumentNullException.ThrowIfNull(parameters);
            List<Tensor> list = parameters.ToList();
            CheckSameDevice(list, nameof(VectorToParameters));
            long total = list.Sum(p => p.NumberOfElements);
            if (vector.Dim != 1 || vector.NumberOfElements != total)
            {
                throw new ArgumentException(
                    $"VectorToParameters: the vector has shape {Tensor.FormatShape(vector.ShapeCached)}; the parameters need a 1-D vector of {total} elements.",
                    nameof(vector));
            }
            long offset = 0;
            using (Autograd.NoGrad())
            {
                foreach (Tensor p in list)
                {
                    long n = p.NumberOfElements;
                    Tensor slice = vector.Detach().Narrow(0, offset, n).View(p.Shape);
                    if (p is Parameter parameter)
                    {
                        parameter.SetData(slice);
                    }
                    else
                    {
                        p.CopyFrom(slice);
                    }
                    offset += n;
                }
            }
        }

        private static void CheckSameDevice(List<Tensor> parameters, string op)
        {
            for (int i = 1; i < parameters.Count; i++)
            {
                if (parameters[i].Device != parameters[0].Device)
                {
                    throw new ArgumentException(
                        $"{op}: found two parameters on different devices, {parameters[0].Device} and {parameters[i].Device}.", nameof(parameters));
                }
            }
        }
    }
}
