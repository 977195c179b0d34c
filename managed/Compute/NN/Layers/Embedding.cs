using System;

namespace Compute.NN
{
    /// <summary>
    /// A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/>
    /// (PyTorch's nn.Embedding): integer indices [*] give [*, embeddingDim]. The weight starts
    /// N(0, 1) with the padding row zero; the padding row gets no gradient. With
    /// scaleGradByFreq each row's gradient is divided by how often its index occurs in the batch.
    /// (PyTorch's sparse option is not offered: the library has no sparse tensors, so the
    /// gradient is always dense.)
    /// </summary>
    public class Embedding : Module<Tensor, Tensor>
    {
        /// <summary>Makes the table; a negative <paramref name="paddingIdx"/> counts from the end.</summary>
        public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null, double? maxNorm = null, double normType = 2.0,
            bool scaleGradByFreq = false, Device? device = null, DType dtype = DType.Float32)
            : this(numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, scaleGradByFreq, null, device, dtype)
        {
        }

        private Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx, double? maxNorm, double normType, bool scaleGradByFreq,
            Tensor? weight, Device? device, DType dtype)
        {
            if (numEmbeddings < 0 || embeddingDim < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numEmbeddings),
                    $"Embedding: numEmbeddings ({numEmbeddings}) and embeddingDim ({embeddingDim}) must be >= 0.");
            }
            if (paddingIdx is long p)
            {
                if (p >= numEmbeddings || p < -numEmbeddings)
                {
                    throw new ArgumentOutOfRangeException(nameof(paddingIdx), p,
                        $"Embedding: paddingIdx must be within [{-numEmbeddings}, {numEmbeddings - 1}] for {numEmbeddings} embeddings.");
                }
                paddingIdx = p < 0 ? p + numEmbeddings : p;
            }
            NumEmbeddings = numEmbeddings;
            EmbeddingDim = embeddingDim;
            PaddingIdx = paddingIdx;
            MaxNorm = maxNorm;
            NormType = normType;
            ScaleGradByFreq = scaleGradByFreq;
            if (weight is null)
            {
                Weight = new Parameter(Tensor.Empty([numEmbeddings, embeddingDim], dtype, device));
                ResetParameters();
            }
            else
            {
                Weight = new Parameter(weight);
            }
        }

        /// <summary>
        /// An embedding whose weight is <paramref name="embeddings"/> [num, dim] (shared, not
        /// copied), frozen (no gradient) unless <paramref name="freeze"/> is false (from_pretrained).
        /// </summary>
        public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, long? paddingIdx = null, double? maxNorm = null,
            double normType = 2.0, bool scaleGradByFreq = false)
        {
            ArgumentNullException.ThrowIfNull(embeddings);
            if (embeddings.Dim != 2)
            {
                throw new ArgumentException(
                    $"Embedding.FromPretrained: embeddings must be 2-dimensional; got shape {Tensor.FormatShape(embeddings.ShapeCached)}.", nameof(embeddings));
            }
            long[] shape = embeddings.ShapeCached;
            var embedding = new Embedding(shape[0], shape[1], paddingIdx, maxNorm, normType, scaleGradByFreq, embeddings, embeddings.Device, embeddings.DType);
            embedding.Weight.RequiresGrad = !freeze;
            return embedding;
        }

        /// <summary>Number of rows (num_embeddings).</summary>
        public long NumEmbeddings { get; }

        /// <summary>Size of each vector (embedding_dim).</summary>
        public long EmbeddingDim { get; }

        /// <summary>The row that stays fixed and gets no gradient (padding_idx), or null.</summary>
        public long? PaddingIdx { get; }

        /// <summary>Rows looked up are renormalised in place to this norm when larger (max_norm), or null.</summary>
        public double? MaxNorm { get; }

        /// <summary>The p of the max_norm norm (norm_type).</summary>
        public double NormType { get; }

        /// <summary>Whether each row's gradient is divided by its index's count in the batch (scale_grad_by_freq).</summary>
        public bool ScaleGradByFreq { get; }

        /// <summary>The table [numEmbeddings, embeddingDim] ("weight").</summary>
        public Parameter Weight { get; set; }

        /// <summary>Draws the table from N(0, 1) again and zeroes the padding row (reset_parameters).</summary>
        public void ResetParameters()
        {
            Init.NormalInPlace(Weight);
            if (PaddingIdx is long p)
            {
                using (Autograd.NoGrad())
                {
                    Weight.Select(0, p).Fill(0);
                }
            }
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx, MaxNorm, NormType, ScaleGradByFreq);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is long p ? $", padding_idx={p}" : "") + (MaxNorm is double m ? $", max_norm={PyNumber(m)}" : "") +
            (NormType != 2 ? $", norm_type={PyNumber(NormType)}" : "") + (ScaleGradByFreq ? ", scale_grad_by_freq=True" : "");
    }

    /// <summary>Resizes [N, C, *spatial] by a size or scale factor (PyTorch's nn.Upsample, over Functional.Interpolate).</summary>
    public class Upsample : Module<Tensor, Tensor>
    {
        private readonly long[]? _size;
        private readonly double[]? _scaleFactor;

        /// <summary>
        /// Makes the module: give exactly one of <paramref name="size"/> and
        /// <paramref name="scaleFactor"/> (one value for every spatial dim, or one per dim);
        /// <paramref name="mode"/> is "nearest", "linear", "bilinear", "bicubic" or "trilinear".
        /// </summary>
        public Upsample(long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool? alignCorners = null,
            bool? recomputeScaleFactor = null)
        {
            ArgumentNullException.ThrowIfNull(mode);
            if ((size is null) == (scaleFactor is null))
            {
                throw new ArgumentException("Upsample: give either size or scaleFactor, not both and not neither.");
            }
            _size = (long[]?)size?.Clone();
            _scaleFactor = (double[]?)scaleFactor?.Clone();
            Mode = mode;
            AlignCorners = alignCorners;
            RecomputeScaleFactor = recomputeScaleFactor;
        }

        /// <summary>Makes the module with one scale factor for every spatial dim.</summary>
        public Upsample(double scaleFactor, string mode = "nearest", bool? alignCorners = null, bool? recomputeScaleFactor = null)
            : this(null, [scaleFactor], mode, alignCorners, recomputeScaleFactor)
        {
        }

        /// <summary>The interpolation mode (mode).</summary>
        public string Mode { get; }

        /// <summary>Whether corner pixels are aligned (align_corners), or null for the mode's default.</summary>
        public bool? AlignCorners { get; }

        /// <summary>Whether the scale factor is recomputed from the output size for the interpolation (recompute_scale_factor).</summary>
        public bool? RecomputeScaleFactor { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Interpolate(input, _size, _scaleFactor, Mode, AlignCorners, RecomputeScaleFactor);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            (_scaleFactor is not null
                ? "scale_factor=" + (_scaleFactor.Length == 1 ? PyNumber(_scaleFactor[0]) : "(" + string.Join(", ", Array.ConvertAll(_scaleFactor, PyNumber)) + ")")
                : "size=" + (_size!.Length == 1 ? _size[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : Py(_size))) +
            $", mode='{Mode}'";
    }

    /// <summary>
    /// y = x1ᵀ A x2 + b per output feature (PyTorch's nn.Bilinear): inputs [*, in1] and
    /// [*, in2] give [*, out]. Weight [out, in1, in2] and bias [out] start U(-1/√in1, 1/√in1).
    /// </summary>
    public class Bilinear : Module<Tensor, Tensor, Tensor>
    {
        /// <summary>Makes the layer.</summary>
        public Bilinear(long in1Features, long in2Features, long outFeatures, bool bias = true, Device? device = null, DType dtype = DType.Float32)
        {
            if (in1Features <= 0 || in2Features <= 0 || outFeatures < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(in1Features),
                    $"Bilinear: feature counts must be positive; got in1Features={in1Features}, in2Features={in2Features}, outFeatures={outFeatures}.");
            }
            In1Features = in1Features;
            In2Features = in2Features;
            OutFeatures = outFeatures;
            Weight = new Parameter(Tensor.Empty([outFeatures, in1Features, in2Features], dtype, device));
            Bias = bias ? new Parameter(Tensor.Empty([outFeatures], dtype, device)) : null;
            ResetParameters();
        }

        /// <summary>Size of the first input's last dim (in1_features).</summary>
        public long In1Features { get; }

        /// <summary>Size of the second input's last dim (in2_features).</summary>
        public long In2Features { get; }

        /// <summary>Output features (out_features).</summary>
        public long OutFeatures { get; }

        /// <summary>The weight [out, in1, in2] ("weight").</summary>
        public Parameter Weight { get; set; }

        /// <summary>The bias [out] ("bias"), or null.</summary>
        public Parameter? Bias { get; set; }

        /// <summary>Draws the parameters again from U(-1/√in1, 1/√in1) (reset_parameters).</summary>
        public void ResetParameters()
        {
            double bound = 1 / Math.Sqrt(Weight.Size(1));
            Init.UniformInPlace(Weight, -bound, bound);
            if (Bias is not null)
            {
                Init.UniformInPlace(Bias, -bound, bound);
            }
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input1, Tensor input2) => Functional.Bilinear(input1, input2, Weight, Bias);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"in1_features={In1Features}, in2_features={In2Features}, out_features={OutFeatures}, bias={Py(Bias is not null)}";
    }
}
