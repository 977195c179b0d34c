using System;

namespace Compute.NN
{
    /// <summary>
    /// A tensor that is a module's learnable state (PyTorch's nn.Parameter). Assigning one to a
    /// field of a <see cref="Module"/> registers it; optimizers take Parameters like any
    /// <see cref="Tensor"/>.
    /// </summary>
    /// <remarks>
    /// A Parameter shares the storage of the tensor it is made from, and is always a leaf of
    /// the autograd graph (made from a tracked result it starts a new graph, like
    /// <c>nn.Parameter(t)</c> does). It belongs to no <see cref="TensorScope"/>: it lives as long
    /// as the module holding it. <see cref="Module.To(Device)"/> replaces its data but keeps the
    /// same object, so an optimizer created before the move still holds the module's parameters.
    /// </remarks>
    public class Parameter : Tensor
    {
        /// <summary>
        /// Makes a parameter over <paramref name="data"/>'s storage (no copy) that requires grad
        /// unless <paramref name="requiresGrad"/> is false.
        /// </summary>
        public Parameter(Tensor data, bool requiresGrad = true)
            : base(NotNull(data).NewReference(), inScope: false)
        {
            if (requiresGrad)
            {
                RequiresGradInPlace(true);
            }
        }

        /// <summary>Replaces the values this parameter holds with <paramref name="data"/> (PyTorch's <c>param.data = data</c>), keeping the object.</summary>
        /// <remarks>
        /// The gradient is kept when it still matches the new data's shape, dtype and device, and
        /// dropped otherwise. Use <c>CopyFrom</c> under <see cref="Autograd.NoGrad"/> to change the
        /// values while keeping the storage.
        /// </remarks>
        public void SetData(Tensor data) => ReplaceData(data);

        /// <inheritdoc/>
        public override string ToString() => "Parameter containing:\n" + base.ToString();

        private static Tensor NotNull(Tensor data)
        {
            ArgumentNullException.ThrowIfNull(data);
            return data;
        }
    }
}
