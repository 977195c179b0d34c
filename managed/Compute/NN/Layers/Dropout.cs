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
        /// <summary>Makes the module; <paramref name="p"/> must be in [0, 1]. (PyTorch's inplace option is not offered: Functional.Dropout has no in-place form.)</summary>
        public Dropout(double p = 0.5)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(p), p, $"{GetType().Name}: the dropout probability has to be between 0 and 1, but got {p}.");
            }
            P = p;
        }

        /// <summary>The probability of zeroing an element (p).</summary>
        public double P { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Drop(input);

        /// <summary>The functional op this module applies.</summary>
        private protected virtual Tensor Drop(Tensor input) => Functional.Dropout(input, P, Training);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"p={PyNumber(P)}, inplace=False";
    }

    /// <summary>
    /// Zeroes whole channels (dim 1 of [N, C, H, W], dim 0 of [C, H, W]) with probability
    /// <see cref="Dropout.P"/> in training and scales the rest by 1/(1-p) (PyTorch's nn.Dropout2d).
    /// </summary>
    public class Dropout2d : Dropout
    {
        /// <summary>Makes the module; <paramref name="p"/> must be in [0, 1].</summary>
        public Dropout2d(double p = 0.5) : base(p)
        {
        }

        private protected override Tensor Drop(Tensor input) => Functional.Dropout2d(input, P, Training);
    }
}
