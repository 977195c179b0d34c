using System;

namespace Compute.NN
{
    /// <summary>Returns its input unchanged (PyTorch's nn.Identity), a placeholder in architectures.</summary>
    public class Identity : Module<Tensor, Tensor>
    {
        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input;
        }
    }

    /// <summary>Flattens dims <see cref="StartDim"/> to <see cref="EndDim"/> into one (PyTorch's nn.Flatten; by default all but the batch dim).</summary>
    public class Flatten : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module (PyTorch's defaults: startDim 1, endDim -1).</summary>
        public Flatten(long startDim = 1, long endDim = -1)
        {
            StartDim = startDim;
            EndDim = endDim;
        }

        /// <summary>The first dim flattened (start_dim).</summary>
        public long StartDim { get; }

        /// <summary>The last dim flattened (end_dim).</summary>
        public long EndDim { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            long[] shape = input.Shape;
            if (shape.Length == 0)
            {
                return input.Reshape(1);
            }
            int start = (int)(StartDim < 0 ? StartDim + shape.Length : StartDim);
            int end = (int)(EndDim < 0 ? EndDim + shape.Length : EndDim);
            if (start < 0 || end >= shape.Length || start > end)
            {
                throw new ArgumentOutOfRangeException(nameof(input),
                    $"Flatten: startDim {StartDim} and endDim {EndDim} do not fit an input of shape {Tensor.FormatShape(shape)}.");
            }
            long merged = 1;
            for (int i = start; i <= end; i++)
            {
                merged *= shape[i];
            }
            var result = new long[shape.Length - (end - start)];
            Array.Copy(shape, result, start);
            result[start] = merged;
            Array.Copy(shape, end + 1, result, start + 1, shape.Length - end - 1);
            // Reshape (recorded by autograd) rather than Tensor.Flatten.
            return input.Reshape(result);
        }

        /// <inheritdoc/>
        public override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
    }

    /// <summary>Splits dim <see cref="Dim"/> into the sizes <see cref="UnflattenedSize"/> (PyTorch's nn.Unflatten); one size may be -1.</summary>
    public class Unflatten : Module<Tensor, Tensor>
    {
        private readonly long[] _sizes;

        /// <summary>Makes the module.</summary>
        public Unflatten(long dim, params long[] unflattenedSize)
        {
            ArgumentNullException.ThrowIfNull(unflattenedSize);
            if (unflattenedSize.Length == 0)
            {
                throw new ArgumentException("Unflatten: unflattenedSize must have at least one size.", nameof(unflattenedSize));
            }
            Dim = dim;
            _sizes = (long[])unflattenedSize.Clone();
        }

        /// <summary>The dim split (dim).</summary>
        public long Dim { get; }

        /// <summary>The sizes it is split into (unflattened_size; a copy).</summary>
        public long[] UnflattenedSize => (long[])_sizes.Clone();

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            long[] shape = input.Shape;
            int d = (int)(Dim < 0 ? Dim + shape.Length : Dim);
            if (d < 0 || d >= shape.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(input), $"Unflatten: dim {Dim} is out of range for an input of shape {Tensor.FormatShape(shape)}.");
            }
            var result = new long[shape.Length - 1 + _sizes.Length];
            Array.Copy(shape, result, d);
            Array.Copy(_sizes, 0, result, d, _sizes.Length);
            Array.Copy(shape, d + 1, result, d + _sizes.Length, shape.Length - d - 1);
            return input.Reshape(result);
        }

        /// <inheritdoc/>
        public override string ExtraRepr() => $"dim={Dim}, unflattened_size={Py(_sizes)}";
    }
}
