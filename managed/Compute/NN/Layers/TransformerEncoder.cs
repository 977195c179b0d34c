using System;

namespace Compute.NN
{
    /// <summary>
    /// One Transformer encoder block (PyTorch's nn.TransformerEncoderLayer): self-attention and
    /// a feed-forward network (linear1 → activation → dropout → linear2), each with dropout, a
    /// residual connection and a LayerNorm, applied after the residual (post-norm, the default)
    /// or before each sub-block (<see cref="TransformerLayerBase.NormFirst"/>, pre-norm).
    /// </summary>
    /// <remarks>
    /// Submodules and state-dict keys as in PyTorch: self_attn, linear1, dropout, linear2, norm1,
    /// norm2, dropout1, dropout2. The attention runs without returning weights, so it uses the
    /// fused <see cref="Functional.ScaledDotProductAttention"/>.
    /// </remarks>
    public class TransformerEncoderLayer : TransformerLayerBase
    {
        /// <summary>Makes the layer; <paramref name="activation"/> is "relu" or "gelu".</summary>
        public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1,
            string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
            Device? device = null, DType dtype = DType.Float32)
            : this(dModel, nhead, dimFeedforward, dropout, activation, null, layerNormEps, batchFirst, normFirst, device, dtype)
        {
        }

        /// <summary>
        /// Makes the layer with a callable activation (PyTorch's <c>activation=F.silu</c>):
        /// <c>new TransformerEncoderLayer(512, 8, activation: x =&gt; Functional.Silu(x))</c>.
        /// </summary>
        public TransformerEncoderLayer(long dModel, long nhead, Func<Tensor, Tensor> activation, long dimFeedforward = 2048,
            double dropout = 0.1, double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, Device? device = null,
            DType dtype = DType.Float32)
            : this(dModel, nhead, dimFeedforward, dropout, null, NotNull(activation), layerNormEps, batchFirst, normFirst, device, dtype)
        {
        }

        private TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward, double dropout, string? activation,
            Func<Tensor, Tensor>? activationFunction, double layerNormEps, bool batchFirst, bool normFirst, Device? device, DType dtype)
            : base(nameof(TransformerEncoderLayer), dModel, nhead, dimFeedforward, dropout, activation, activationFunction, layerNormEps,
                batchFirst, normFirst)
        {
            SelfAttn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, device: device, dtype: dtype);
            Linear1 = new Linear(dModel, dimFeedforward, device: device, dtype: dtype);
            Dropout = new Dropout(dropout);
            Linear2 = new Linear(dimFeedforward, dModel, device: device, dtype: dtype);
            Norm1 = new LayerNorm(dModel, layerNormEps, device: device, dtype: dtype);
            Norm2 = new LayerNorm(dModel, layerNormEps, device: device, dtype: dtype);
            Dropout1 = new Dropout(dropout);
            Dropout2 = new Dropout(dropout);
        }

        /// <summary>The self-attention ("self_attn").</summary>
        public MultiheadAttention SelfAttn { get; }

        /// <summary>The first feed-forward projection dModel → dimFeedforward ("linear1").</summary>
        public Linear Linear1 { get; }

        /// <summary>Dropout inside the feed-forward network ("dropout").</summary>
        public Dropout Dropout { get; }

        /// <summary>The second feed-forward projection dimFeedforward → dModel ("linear2").</summary>
        public Linear Linear2 { get; }

        /// <summary>The norm of the attention sub-block ("norm1").</summary>
        public LayerNorm Norm1 { get; }

        /// <summary>The norm of the feed-forward sub-block ("norm2").</summary>
        public LayerNorm Norm2 { get; }

        /// <summary>Dropout on the attention output ("dropout1").</summary>
        public Dropout Dropout1 { get; }

        /// <summary>Dropout on the feed-forward output ("dropout2").</summary>
        public Dropout Dropout2 { get; }

        /// <summary>
        /// Runs the block on <paramref name="src"/> [S, N, E] ([N, S, E] batch-first, [S, E] unbatched).
        /// <paramref name="srcMask"/> ([S, S] or [N·nhead, S, S]) and <paramref name="srcKeyPaddingMask"/> ([N, S])
        /// are as for <see cref="MultiheadAttention.Forward"/>: bool true blocks attention, floats are added.
        /// </summary>
        public Tensor Forward(Tensor src, Tensor? srcMask = null, Tensor? srcKeyPaddingMask = null)
        {
            Func<object?[], Tensor> run = args => Block(InputAs<Tensor>(args, 0), InputAs<Tensor?>(args, 1), InputAs<Tensor?>(args, 2));
            object?[] inputs = [src, srcMask, srcKeyPaddingMask];
            return HasForwardHooks ? InvokeForward(inputs, run) : run(inputs);
        }

        private Tensor Block(Tensor src, Tensor? mask, Tensor? keyPadding)
        {
            ArgumentNullException.ThrowIfNull(src);
            Tensor x = src;
            if (NormFirst)
            {
                x = x + SelfAttention(Norm1.Forward(x), mask, keyPadding);
                return x + FeedForward(Norm2.Forward(x));
            }
            x = Norm1.Forward(x + SelfAttention(x, mask, keyPadding));
            return Norm2.Forward(x + FeedForward(x));
        }

        private Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPadding) =>
            Dropout1.Forward(SelfAttn.Forward(x, x, x, keyPadding, needWeights: false, attnMask: mask).Output);

        private Tensor FeedForward(Tensor x) =>
            Dropout2.Forward(Linear2.Forward(Dropout.Forward(ApplyActivation(Linear1.Forward(x)))));

        /// <summary>A new layer with the same settings and a copy of this one's parameters (PyTorch's deepcopy in TransformerEncoder).</summary>
        internal TransformerEncoderLayer Copy()
        {
            var copy = new TransformerEncoderLayer(DModel, NHead, DimFeedforward, DropoutP, Activation, ActivationFunction, LayerNormEps,
                BatchFirst, NormFirst, Linear1.Weight.Device, Linear1.Weight.DType);
            copy.LoadStateDict(StateDict());
            return copy;
        }
    }

    /// <summary>
    /// A stack of <see cref="TransformerEncoderLayer"/>s with an optional final norm (PyTorch's
    /// nn.TransformerEncoder). The layers start as copies of the given layer, as PyTorch's deep
    /// copies do; state-dict keys "layers.0.self_attn.in_proj_weight", ..., "norm.weight".
    /// </summary>
    public class TransformerEncoder : TransformerStack
    {
        /// <summary>
        /// Stacks <paramref name="numLayers"/> copies of <paramref name="encoderLayer"/>, then
        /// <paramref name="norm"/> when given. <paramref name="enableNestedTensor"/> and
        /// <paramref name="maskCheck"/> are PyTorch's switches for its inference fast path, which
        /// never change the result; Compute has no such path, so they are kept for the port and
        /// change nothing here either.
        /// </summary>
        public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm? norm = null, bool enableNestedTensor = true,
            bool maskCheck = true)
            : base(nameof(TransformerEncoder), NotNull(encoderLayer).Copy, numLayers, norm)
        {
            EnableNestedTensor = enableNestedTensor;
            MaskCheck = maskCheck;
        }

        /// <summary>PyTorch's enable_nested_tensor (its fast path's padding removal; no effect on results, none in Compute).</summary>
        public bool EnableNestedTensor { get; }

        /// <summary>PyTorch's mask_check (its fast path's mask validation; no effect on results, none in Compute).</summary>
        public bool MaskCheck { get; }

        /// <summary>Runs every layer on <paramref name="src"/> with the same masks (see <see cref="TransformerEncoderLayer.Forward"/>), then the norm.</summary>
        public Tensor Forward(Tensor src, Tensor? mask = null, Tensor? srcKeyPaddingMask = null)
        {
            Func<object?[], Tensor> run = args =>
            {
                Tensor x = InputAs<Tensor>(args, 0);
                foreach (Module layer in Layers)
                {
                    x = ((TransformerEncoderLayer)layer).Forward(x, InputAs<Tensor?>(args, 1), InputAs<Tensor?>(args, 2));
                }
                return Norm is null ? x : Norm.Forward(x);
            };
            object?[] inputs = [src, mask, srcKeyPaddingMask];
            return HasForwardHooks ? InvokeForward(inputs, run) : run(inputs);
        }
    }

    /// <summary>
    /// What TransformerEncoder and TransformerDecoder share: <see cref="Layers"/>, copies of one
    /// layer (PyTorch deep-copies it, so all start equal), and an optional final <see cref="Norm"/>;
    /// state-dict keys "layers.0. ...", "norm.weight".
    /// </summary>
    public abstract class TransformerStack : Module
    {
        private protected TransformerStack(string op, Func<Module> copyLayer, int numLayers, LayerNorm? norm)
        {
            if (numLayers <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{op}: numLayers must be greater than 0, got {numLayers}.");
            }
            Layers = new ModuleList();
            for (int i = 0; i < numLayers; i++)
            {
                Layers.Append(copyLayer());
            }
            Norm = norm;
        }

        /// <summary>The layers ("layers").</summary>
        public ModuleList Layers { get; }

        /// <summary>The final norm ("norm"), or null.</summary>
        public LayerNorm? Norm { get; }

        private protected static T NotNull<T>(T layer) where T : class
        {
            ArgumentNullException.ThrowIfNull(layer);
            return layer;
        }
    }

    /// <summary>The settings TransformerEncoderLayer and TransformerDecoderLayer share (PyTorch's constructor arguments).</summary>
    public abstract class TransformerLayerBase : Module
    {
        private protected TransformerLayerBase(string op, long dModel, long nhead, long dimFeedforward, double dropout, string? activation,
            Func<Tensor, Tensor>? activationFunction, double layerNormEps, bool batchFirst, bool normFirst)
        {
            if (activationFunction is null && activation is not ("relu" or "gelu"))
            {
                throw new ArgumentException($"{op}: activation should be relu/gelu, not {activation}.", nameof(activation));
            }
            DModel = dModel;
            NHead = nhead;
            DimFeedforward = dimFeedforward;
            DropoutP = dropout;
            Activation = activation;
            ActivationFunction = activationFunction ?? (activation == "gelu" ? x => Functional.Gelu(x) : x => Functional.Relu(x));
            LayerNormEps = layerNormEps;
            BatchFirst = batchFirst;
            NormFirst = normFirst;
        }

        /// <summary>Model width (d_model).</summary>
        public long DModel { get; }

        /// <summary>Attention heads (nhead).</summary>
        public long NHead { get; }

        /// <summary>Width of the feed-forward network (dim_feedforward).</summary>
        public long DimFeedforward { get; }

        /// <summary>Dropout probability (dropout).</summary>
        public double DropoutP { get; }

        /// <summary>"relu" or "gelu" (activation), or null when the layer was made with a callable.</summary>
        public string? Activation { get; }

        /// <summary>The feed-forward activation: the named one or the callable given (activation).</summary>
        public Func<Tensor, Tensor> ActivationFunction { get; }

        /// <summary>LayerNorm epsilon (layer_norm_eps).</summary>
        public double LayerNormEps { get; }

        /// <summary>Whether inputs and output are [batch, seq, feature] (batch_first).</summary>
        public bool BatchFirst { get; }

        /// <summary>Whether the norms come before each sub-block (norm_first).</summary>
        public bool NormFirst { get; }

        /// <summary>The feed-forward activation.</summary>
        private protected Tensor ApplyActivation(Tensor x) => ActivationFunction(x);

        private protected static Func<Tensor, Tensor> NotNull(Func<Tensor, Tensor> activation)
        {
            ArgumentNullException.ThrowIfNull(activation);
            return activation;
        }
    }
}
