using System;

namespace Compute.NN
{
    /// <summary>
    /// Batch normalisation over dim 1 (PyTorch's _BatchNorm): in training the batch statistics
    /// normalise the input and update the running estimates (running_mean, running_var,
    /// num_batches_tracked buffers), in evaluation the running estimates are used. With
    /// <c>momentum: null</c> the running estimates are cumulative averages (factor 1/num_batches_tracked).
    /// </summary>
    public abstract class BatchNormBase : Module<Tensor, Tensor>
    {
        private protected BatchNormBase(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, Device? device, DType dtype)
        {
            if (numFeatures <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, $"{TypeName}: numFeatures must be positive.");
            }
            NumFeatures = numFeatures;
            Eps = eps;
            Momentum = momentum;
            Affine = affine;
            TrackRunningStats = trackRunningStats;
            if (affine)
            {
                Weight = new Parameter(Tensor.Ones([numFeatures], dtype, device));
                Bias = new Parameter(Tensor.Zeros([numFeatures], dtype, device));
            }
            if (trackRunningStats)
            {
                RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype, device));
                RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype, device));
                RegisterBuffer("num_batches_tracked", Tensor.Zeros(ReadOnlySpan<long>.Empty, DType.Int64, device));
            }
            else
            {
                RegisterBuffer("running_mean", null);
                RegisterBuffer("running_var", null);
                RegisterBuffer("num_batches_tracked", null);
            }
        }

        /// <summary>Number of channels C (num_features).</summary>
        public long NumFeatures { get; }

        /// <summary>Added to the variance for stability (eps).</summary>
        public double Eps { get; }

        /// <summary>Weight of the new batch statistic in the running estimates (momentum); null for a cumulative average.</summary>
        public double? Momentum { get; }

        /// <summary>Whether the layer has a learnable weight and bias (affine).</summary>
        public bool Affine { get; }

        /// <summary>Whether running estimates are kept (track_running_stats).</summary>
        public bool TrackRunningStats { get; }

        /// <summary>The scale γ [C] ("weight"), or null without affine.</summary>
        public Parameter? Weight { get; set; }

        /// <summary>The shift β [C] ("bias"), or null without affine.</summary>
        public Parameter? Bias { get; set; }

        /// <summary>The running mean [C] ("running_mean"), or null without running stats.</summary>
        public Tensor? RunningMean => GetBuffer("running_mean");

        /// <summary>The running (unbiased) variance [C] ("running_var"), or null without running stats.</summary>
        public Tensor? RunningVar => GetBuffer("running_var");

        /// <summary>Number of training batches seen, an int64 scalar ("num_batches_tracked"), or null without running stats.</summary>
        public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

        /// <summary>Resets the running estimates to mean 0, variance 1, no batches (reset_running_stats).</summary>
        public void ResetRunningStats()
        {
            using (Autograd.NoGrad())
            {
                RunningMean?.Fill(0);
                RunningVar?.Fill(1);
                NumBatchesTracked?.Fill(0);
            }
        }

        /// <summary>Resets the running estimates and sets the weight to 1 and the bias to 0 (reset_parameters).</summary>
        public void ResetParameters()
        {
            ResetRunningStats();
            if (Weight is not null)
            {
                Init.OnesInPlace(Weight);
            }
            if (Bias is not null)
            {
                Init.ZerosInPlace(Bias);
            }
        }

        /// <summary>Throws unless the input has a dim count this layer accepts.</summary>
        private protected abstract void CheckInputDim(Tensor input);

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            CheckInputDim(input);
            double factor = Momentum ?? 0.0;
            if (Training && TrackRunningStats && NumBatchesTracked is Tensor tracked)
            {
                using (Autograd.NoGrad())
                {
                    tracked.AddInPlace(1);
                }
                if (Momentum is null)
                {
                    factor = 1.0 / tracked.Item<long>();
                }
            }
            bool useBatchStats = Training || (RunningMean is null && RunningVar is null);
            bool passStats = !Training || TrackRunningStats;
            return Functional.BatchNorm(input, passStats ? RunningMean : null, passStats ? RunningVar : null, Weight, Bias,
                useBatchStats, factor, Eps);
        }

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"{NumFeatures}, eps={PyNumber(Eps)}, momentum={(Momentum is double m ? PyNumber(m) : "None")}, affine={Py(Affine)}, " +
            $"track_running_stats={Py(TrackRunningStats)}";
    }

    /// <summary>Batch normalisation of [N, C] or [N, C, L] (PyTorch's nn.BatchNorm1d).</summary>
    public class BatchNorm1d : BatchNormBase
    {
        /// <summary>Makes the layer with PyTorch's defaults.</summary>
        public BatchNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
            Device? device = null, DType dtype = DType.Float32)
            : base(numFeatures, eps, momentum, affine, trackRunningStats, device, dtype)
        {
        }

        private protected override void CheckInputDim(Tensor input)
        {
            if (input.Dim is not (2 or 3))
            {
                throw new ArgumentException($"BatchNorm1d: expected 2D or 3D input (got {input.Dim}D input of shape {Tensor.FormatShape(input.ShapeCached)}).", nameof(input));
            }
        }
    }

    /// <summary>Batch normalisation of [N, C, H, W] (PyTorch's nn.BatchNorm2d).</summary>
    public class BatchNorm2d : BatchNormBase
    {
        /// <summary>Makes the layer with PyTorch's defaults.</summary>
        public BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
            Device? device = null, DType dtype = DType.Float32)
            : base(numFeatures, eps, momentum, affine, trackRunningStats, device, dtype)
        {
        }

        private protected override void CheckInputDim(Tensor input)
        {
            if (input.Dim != 4)
            {
                throw new ArgumentException($"BatchNorm2d: expected 4D input (got {input.Dim}D input of shape {Tensor.FormatShape(input.ShapeCached)}).", nameof(input));
            }
        }
    }

    /// <summary>Normalises over the last dims <see cref="NormalizedShape"/> (PyTorch's nn.LayerNorm); weight ones, bias zeros.</summary>
    public class LayerNorm : Module<Tensor, Tensor>
    {
        private readonly long[] _normalizedShape;

        /// <summary>Makes the layer; <paramref name="normalizedShape"/> are the trailing dims normalised over.</summary>
        public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, Device? device = null, DType dtype = DType.Float32)
        {
            ArgumentNullException.ThrowIfNull(normalizedShape);
            _normalizedShape = (long[])normalizedShape.Clone();
            Eps = eps;
            ElementwiseAffine = elementwiseAffine;
            if (elementwiseAffine)
            {
                Weight = new Parameter(Tensor.Ones(_normalizedShape, dtype, device));
                Bias = new Parameter(Tensor.Zeros(_normalizedShape, dtype, device));
            }
        }

        /// <summary>Makes the layer over the last dim of size <paramref name="normalizedShape"/>.</summary>
        public LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, Device? device = null, DType dtype = DType.Float32)
            : this([normalizedShape], eps, elementwiseAffine, device, dtype)
        {
        }

        /// <summary>The trailing dims normalised over (normalized_shape; a copy).</summary>
        public long[] NormalizedShape => (long[])_normalizedShape.Clone();

        /// <summary>Added to the variance for stability (eps).</summary>
        public double Eps { get; }

        /// <summary>Whether the layer has a learnable weight and bias (elementwise_affine).</summary>
        public bool ElementwiseAffine { get; }

        /// <summary>The scale ("weight"), or null.</summary>
        public Parameter? Weight { get; set; }

        /// <summary>The shift ("bias"), or null.</summary>
        public Parameter? Bias { get; set; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.LayerNorm(input, _normalizedShape, Weight, Bias, Eps);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"{Py(_normalizedShape)}, eps={PyNumber(Eps)}, elementwise_affine={Py(ElementwiseAffine)}";
    }

    /// <summary>
    /// Root-mean-square normalisation over the last dims (PyTorch 2.4's nn.RMSNorm; not in torch
    /// 1.13): x / √(mean(x²) + eps) × weight; eps null means the dtype's machine epsilon.
    /// </summary>
    public class RMSNorm : Module<Tensor, Tensor>
    {
        private readonly long[] _normalizedShape;

        /// <summary>Makes the layer; <paramref name="normalizedShape"/> are the trailing dims normalised over.</summary>
        public RMSNorm(long[] normalizedShape, double? eps = null, bool elementwiseAffine = true, Device? device = null, DType dtype = DType.Float32)
        {
            ArgumentNullException.ThrowIfNull(normalizedShape);
            _normalizedShape = (long[])normalizedShape.Clone();
            Eps = eps;
            ElementwiseAffine = elementwiseAffine;
            if (elementwiseAffine)
            {
                Weight = new Parameter(Tensor.Ones(_normalizedShape, dtype, device));
            }
        }

        /// <summary>Makes the layer over the last dim of size <paramref name="normalizedShape"/>.</summary>
        public RMSNorm(long normalizedShape, double? eps = null, bool elementwiseAffine = true, Device? device = null, DType dtype = DType.Float32)
            : this([normalizedShape], eps, elementwiseAffine, device, dtype)
        {
        }

        /// <summary>The trailing dims normalised over (normalized_shape; a copy).</summary>
        public long[] NormalizedShape => (long[])_normalizedShape.Clone();

        /// <summary>Added to the mean square (eps); null for the dtype's machine epsilon.</summary>
        public double? Eps { get; }

        /// <summary>Whether the layer has a learnable weight (elementwise_affine).</summary>
        public bool ElementwiseAffine { get; }

        /// <summary>The scale ("weight"), or null.</summary>
        public Parameter? Weight { get; set; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.RmsNorm(input, _normalizedShape, Weight, Eps);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"{Py(_normalizedShape)}, eps={(Eps is double e ? PyNumber(e) : "None")}, elementwise_affine={Py(ElementwiseAffine)}";
    }

    /// <summary>Normalises [N, C, *] over groups of channels (PyTorch's nn.GroupNorm); weight ones, bias zeros, per channel.</summary>
    public class GroupNorm : Module<Tensor, Tensor>
    {
        /// <summary>Makes the layer; <paramref name="numChannels"/> must be divisible by <paramref name="numGroups"/>.</summary>
        public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true, Device? device = null, DType dtype = DType.Float32)
        {
            if (numGroups <= 0 || numChannels % numGroups != 0)
            {
                throw new ArgumentException($"GroupNorm: numChannels ({numChannels}) must be divisible by numGroups ({numGroups}).", nameof(numChannels));
            }
            NumGroups = numGroups;
            NumChannels = numChannels;
            Eps = eps;
            Affine = affine;
            if (affine)
            {
                Weight = new Parameter(Tensor.Ones([numChannels], dtype, device));
                Bias = new Parameter(Tensor.Zeros([numChannels], dtype, device));
            }
        }

        /// <summary>Number of groups (num_groups).</summary>
        public long NumGroups { get; }

        /// <summary>Number of channels (num_channels).</summary>
        public long NumChannels { get; }

        /// <summary>Added to the variance for stability (eps).</summary>
        public double Eps { get; }

        /// <summary>Whether the layer has a learnable weight and bias (affine).</summary>
        public bool Affine { get; }

        /// <summary>The scale [C] ("weight"), or null.</summary>
        public Parameter? Weight { get; set; }

        /// <summary>The shift [C] ("bias"), or null.</summary>
        public Parameter? Bias { get; set; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={PyNumber(Eps)}, affine={Py(Affine)}";
    }
}
