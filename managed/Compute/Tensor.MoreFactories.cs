using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        private delegate TensorHandle LikeOp(TensorHandle tensor, ReadOnlySpan<DType> dtype, ReadOnlySpan<NativeDevice> device);

        // dtype/device null keep the input's (NULL pointers in the C call).
        private static Tensor Like(Tensor input, DType? dtype, Device? device, LikeOp op)
        {
            ArgumentNullException.ThrowIfNull(input);
            Span<DType> d = stackalloc DType[1];
            Span<NativeDevice> dev = stackalloc NativeDevice[1];
            if (dtype is { } dt)
            {
                d[0] = dt;
            }
            if (device is { } dv)
            {
                dev[0] = NativeDevice.From(dv);
            }
            return Own(op(input.Handle, dtype.HasValue ? d : default, device.HasValue ? dev : default));
        }

        /// <summary>An uninitialised tensor shaped like input, with its strides when they are dense (torch.empty_like).</summary>
        public static Tensor EmptyLike(Tensor input, DType? dtype = null, Device? device = null) =>
            Like(input, dtype, device, NativeMethods.EmptyLike);

        /// <summary>Zeros shaped like input (torch.zeros_like); dtype and device default to the input's.</summary>
        public static Tensor ZerosLike(Tensor input, DType? dtype = null, Device? device = null) =>
            Like(input, dtype, device, NativeMethods.ZerosLike);

        /// <summary>Ones shaped like input (torch.ones_like); dtype and device default to the input's.</summary>
        public static Tensor OnesLike(Tensor input, DType? dtype = null, Device? device = null) =>
            Like(input, dtype, device, NativeMethods.OnesLike);

        /// <summary>value everywhere, shaped like input (torch.full_like); dtype and device default to the input's.</summary>
        public static Tensor FullLike(Tensor input, Scalar value, DType? dtype = null, Device? device = null) =>
            Like(input, dtype, device, (t, d, dev) => NativeMethods.FullLike(t, value.Native, d, dev));

        /// <summary>Uniform numbers in [0, 1) shaped like input (torch.rand_like); the dtype must be floating.</summary>
        public static Tensor RandLike(Tensor input, DType? dtype = null, Device? device = null) =>
            Like(input, dtype, device, NativeMethods.RandLike);

        /// <summary>Standard normal numbers shaped like input (torch.randn_like); the dtype must be floating.</summary>
        public static Tensor RandnLike(Tensor input, DType? dtype = null, Device? device = null) =>
            Like(input, dtype, device, NativeMethods.RandnLike);

        /// <summary>steps values evenly spaced from start to end inclusive (torch.linspace); float32 by default.</summary>
        public static Tensor Linspace(Scalar start, Scalar end, long steps, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Linspace(start.Native, end.Native, steps, dtype, On(device)));

        /// <summary>base raised to steps exponents evenly spaced from start to end (torch.logspace); float32 by default.</summary>
        public static Tensor Logspace(Scalar start, Scalar end, long steps, double @base = 10.0, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Logspace(start.Native, end.Native, steps, @base, dtype, On(device)));

        /// <summary>An n x m matrix (n x n when m is omitted) with ones on the diagonal (torch.eye).</summary>
        public static Tensor Eye(long n, long? m = null, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Eye(n, m ?? n, dtype, On(device)));

        /// <summary>A random permutation of 0..n-1 (torch.randperm); int64 by default.</summary>
        public static Tensor Randperm(long n, DType dtype = DType.Int64, Device? device = null) =>
            Own(NativeMethods.Randperm(n, dtype, On(device)));

        /// <summary>Normal numbers with per-element mean and std (torch.normal(mean, std)); they broadcast, the result has mean's dtype.</summary>
        public static Tensor Normal(Tensor mean, Tensor std) => RecordZeroGrad(Binary(mean, std, NativeMethods.Normal), "NormalBackward3", [mean, std]);

        /// <summary>Normal numbers with scalar mean and std (torch.normal(mean, std, size)).</summary>
        public static Tensor Normal(double mean, double std, ReadOnlySpan<long> size, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.NormalScalar(mean, std, size, size.Length, dtype, On(device)));

        /// <summary>Fills this tensor with normal numbers in place (x.normal_(mean, std)); returns this tensor.</summary>
        public Tensor NormalInPlace(double mean = 0.0, double std = 1.0) =>
            RecordInPlace(nameof(NormalInPlace), h => NativeMethods.NormalInPlace(h, mean, std), () =>
            {
                Tensor r = EmptyLike(this);
                NativeMethods.NormalInPlace(r.Handle, mean, std);
                return RecordZeroGrad(r, "NormalBackward0", [this]);
            });

        /// <summary>Fills this tensor with uniform numbers from [from, to) in place (x.uniform_(from, to)); rounding to a narrow dtype may reach to, as in PyTorch. Returns this tensor.</summary>
        public Tensor UniformInPlace(double from = 0.0, double to = 1.0) =>
            RecordInPlace(nameof(UniformInPlace), h => NativeMethods.UniformInPlace(h, from, to), () =>
            {
                Tensor r = EmptyLike(this);
                NativeMethods.UniformInPlace(r.Handle, from, to);
                return RecordZeroGrad(r, "UniformBackward0", [this]);
            });

        /// <summary>1 with probability given by each element of this tensor (in [0, 1]), else 0 (x.bernoulli()).</summary>
        public Tensor Bernoulli() => RecordZeroGrad(Own(NativeMethods.Bernoulli(Handle)), "BernoulliBackward0", [this]);

        /// <summary>1 with probability p, else 0, shaped and typed like this tensor (x.bernoulli(p)).</summary>
        public Tensor Bernoulli(double p) => Own(NativeMethods.BernoulliScalar(Handle, p));

        /// <summary>numSamples category indices per row, drawn with probabilities proportional to this 1-D or 2-D tensor (x.multinomial).</summary>
        public Tensor Multinomial(long numSamples, bool replacement = false) =>
            Own(NativeMethods.Multinomial(Handle, numSamples, replacement ? 1 : 0));

        /// <summary>The 2 x N (row, column) indices of the lower triangle of a row x col matrix (torch.tril_indices).</summary>
        public static Tensor TrilIndices(long row, long col, long offset = 0, DType dtype = DType.Int64, Device? device = null) =>
            Own(NativeMethods.TrilIndices(row, col, offset, dtype, On(device)));

        /// <summary>The 2 x N (row, column) indices of the upper triangle of a row x col matrix (torch.triu_indices).</summary>
        public static Tensor TriuIndices(long row, long col, long offset = 0, DType dtype = DType.Int64, Device? device = null) =>
            Own(NativeMethods.TriuIndices(row, col, offset, dtype, On(device)));
    }
}
