using System;

namespace Compute.NN
{
    /// <summary>
    /// Zeroes each element with probability <see cref="P"/> in training and scales the rest by
    /// 1/(1-p) (PyTorch's nn.Dropout); in evaluation mode it returns the input. The mask is drawn
    /// from the default generator.
    /// </summary>
    public class Dropout : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module; <paramref name="p"/> must be in [0, 1]; <paramref name="inplace"/> writes the result into the input in training.</summary>
        public Dropout(double p = 0.5, bool inplace = false)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(p), p, $"{GetType().Name}: the dropout probability has to be between 0 and 1, but got {p}.");
            }
            P = p;
            Inplace = inplace;
        }

        /// <summary>The probability of zeroing an element (p).</summary>
        public double P { get; }

        /// <summary>Whether, in training, the input is modified in place and returned (inplace).</summary>
        public bool Inplace { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Drop(input);

        /// <summary>The functional op this module applies.</summary>
        private protected virtual Tensor Drop(Tensor input) => Functional.Dropout(input, P, Training, Inplace);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"p={PyNumber(P)}, inplace={Py(Inplace)}";
    }

    /// <summary>
    /// Zeroes whole channels (dim 1 of [N, C, H, W], dim 0 of [C, H, W]) with probability
    /// <see cref="Dropout.P"/> in training and scales the rest by 1/(1-p) (PyTorch's nn.Dropout2d).
    /// </summary>
    public class Dropout2d : Dropout
    {
        /// <summary>Makes the module; <paramref name="p"/> must be in [0, 1]; <paramref name="inplace"/> writes the result into the input in training.</summary>
        public Dropout2d(double p = 0.5, bool inplace = false) : base(p, inplace)
        {
        }

        private protected override Tensor Drop(Tensor input) => Functional.Dropout2d(input, P, Training, Inplace);
    }

    /// <summary>
    /// Zeroes whole channels (dim 1 of [N, C, L], dim 0 of [C, L]) with probability
    /// <see cref="Dropout.P"/> in training and scales the rest by 1/(1-p) (PyTorch's nn.Dropout1d).
    /// </summary>
    public class Dropout1d : Dropout
    {
        /// <summary>Makes the module; <paramref name="p"/> must be in [0, 1]; <paramref name="inplace"/> writes the result into the input in training.</summary>
        public Dropout1d(double p = 0.5, bool inplace = false) : base(p, inplace)
        {
        }

        private protected override Tensor Drop(Tensor input) => Functional.Dropout1d(input, P, Training, Inplace);
    }

    /// <summary>
    /// Zeroes whole channels (dim 1 of [N, C, D, H, W], dim 0 of [C, D, H, W]) with probability
    /// <see cref="Dropout.P"/> in training and scales the rest by 1/(1-p) (PyTorch's nn.Dropout3d).
    /// </summary>
    public class Dropout3d : Dropout
    {
        /// <summary>Makes the module; <paramref name="p"/> must be in [0, 1]; <paramref name="inplace"/> writes the result into the input in training.</summary>
        public Dropout3d(double p = 0.5, bool inplace = false) : base(p, inplace)
        {
        }

        private protected override Tensor Drop(Tensor input) => Functional.Dropout3d(input, P, Training, Inplace);
    }
}
