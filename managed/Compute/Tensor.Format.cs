using Compute.Formatting;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>
        /// The values as PyTorch prints them, e.g. <c>tensor([[1., 2.], [3., 4.]])</c>, with the
        /// dtype shown when it is not float32, int64 or bool, and the middle elided ("...") for
        /// tensors of more than 1000 elements.
        /// </summary>
        public override string ToString() => IsDisposed ? "tensor(<disposed>)" : TensorFormatter.Format(this);
    }
}
