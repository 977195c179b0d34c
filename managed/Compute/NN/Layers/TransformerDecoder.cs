using System;

namespace Compute.NN
{
    /// <summary>
    /// One Transformer decoder block (PyTorch's nn.TransformerDecoderLayer): self-attention over
    /// the target, cross-attention from the target to the encoder's memory, and a feed-forward
    /// network, each with dropout, a residual connection and a LayerNorm (after the residual, or
    /// before each sub-block with <see cref="TransformerLayerBase.NormFirst"/>). Submodules and state-dict keys as in
    /// PyTorch: self_attn, multihead_attn, linear1, dropout, linear2, norm1..3, dropout1..3.
    /// </summary>
    public class TransformerDecoderLayer : TransformerLayerBase
    {
        /// <summary>Makes the layer; <paramref name="activation"/> is "relu" or "gelu".</summary>
        public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1,
            string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
            Device? device = null, DType dtype = DType.Float32)
            : this(dModel, nhead, dimFeedforward, dropout, activation, null, layerNormEps, batchFirst, normFirst, device, dtype)
        {
        }

        /// <summary>
        /// Makes the layer with a callable activation (PyTorch's <c>activation=F.silu</c>):
        /// <c>new TransformerDecoderLayer(512, 8, activation: x =&gt; Functional.Silu(x))</c>.
        /// </summary>
        public TransformerDecoderLayer(long dModel, long nhead, Func<Tensor, Tensor> activation, long dimFeedforward = 2048,
            double dropout = 0.1, double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, Device? device = null,
            DType dtype = DType.Float32)
            : this(dModel, nhead, dimFeedforward, dropout, null, NotNull(activation), layerNormEps, batchFirst, normFirst, device, dtype)
        {
        }

        private TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward, double dropout, string? activation,
            Func<Tensor, Tensor>? activationFunction, double layerNormEps, bool batchFirst, bool normFirst, Device? device, DType dtype)
            : base(nameof(TransformerDecoderLayer), dModel, nhead, dimFeedforward, dropout, activation, activationFunction, layerNormEps,
                batchFirst, normFirst)
        {
            SelfAttn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, device: device, dtype: dtype);
            MultiheadAttn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, device: device, dtype: dtype);
            Linear1 = new Linear(dModel, dimFeedforward, device: device, dtype: dtype);
            Dropout = new Dropout(dropout);
            Linear2 = new Linear(dimFeedforward, dModel, device: device, dtype: dtype);
            Norm1 = new LayerNorm(dModel, layerNormEps, device: device, dtype: dtype);
            Norm2 = new LayerNorm(dModel, layerNormEps, device: device, dtype: dtype);
            Norm3 = new LayerNorm(dModel, layerNormEps, device: device, dtype: dtype);
            Dropout1 = new Dropout(dropout);
            Dropout2 = new Dropout(dropout);
            Dropout3 = new Dropout(dropout);
        }

        /// <summary>The self-attention over the target ("self_attn").</summary>
        public MultiheadAttention SelfAttn { get; }

        /// <summary>The attention from the target to the memory ("multihead_attn").</summary>
        public MultiheadAttention MultiheadAttn { get; }

        /// <summary>The first feed-forward projection ("linear1").</summary>
        public Linear Linear1 { get; }

        /// <summary>Dropout inside the feed-forward network ("dropout").</summary>
        public Dropout Dropout { get; }

        /// <summary>The second feed-forward projection ("linear2").</summary>
        public Linear Linear2 { get; }

        /// <summary>The norm of the self-attention sub-block ("norm1").</summary>
        public LayerNorm Norm1 { get; }

        /// <summary>The norm of the cross-attention sub-block ("norm2").</summary>
        public LayerNorm Norm2 { get; }

        /// <summary>The norm of the feed-forward sub-block ("norm3").</summary>
        public LayerNorm Norm3 { get; }

        /// <summary>Dropout on the self-attention output ("dropout1").</summary>
        public Dropout Dropout1 { get; }

        /// <summary>Dropout on the cross-attention output ("dropout2").</summary>
        public Dropout Dropout2 { get; }

        /// <summary>Dropout on the feed-forward output ("dropout3").</summary>
        public Dropout Dropout3 { get; }

        /// <summary>
        /// Runs the block on the target <paramref name="tgt"/> [T, N, E] attending to
        /// <paramref name="memory"/> [S, N, E] (batch-first or unbatched as configured). Masks are as
        /// for <see cref="MultiheadAttention.Forward"/>: tgtMask [T, T], memoryMask [T, S], key padding [N, T] / [N, S].
        /// </summary>
        public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null,
            Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
        {
            Func<object?[], Tensor> run = a => Block(InputAs<Tensor>(a, 0), InputAs<Tensor>(a, 1), InputAs<Tensor?>(a, 2),
                InputAs<Tensor?>(a, 3), InputAs<Tensor?>(a, 4), InputAs<Tensor?>(a, 5));
            object?[] inputs = [tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask];
            return HasForwardHooks ? InvokeForward(inputs, run) : run(inputs);
        }

        private Tensor Block(Tensor tgt, Tensor memory, Tensor? tgtMask, Tensor? memoryMask, Tensor? tgtPadding, Tensor? memoryPadding)
        {
            ArgumentNullException.ThrowIfNull(tgt);
            ArgumentNullException.ThrowIfNull(memory);
            Tensor x = tgt;
            if (NormFirst)
            {
                x = x + SelfBlock(Norm1.Forward(x), tgtMask, tgtPadding);
                x = x + CrossBlock(Norm2.Forward(x), memory, memoryMask, memoryPadding);
                return x + FeedForward(Norm3.Forward(x));
            }
            x = Norm1.Forward(x + SelfBlock(x, tgtMask, tgtPadding));
            x = Norm2.Forward(x + CrossBlock(x, memory, memoryMask, memoryPadding));
            return Norm3.Forward(x + FeedForward(x));
        }

        private Tensor SelfBlock(Tensor x, Tensor? mask, Tensor? padding) =>
            Dropout1.Forward(SelfAttn.Forward(x, x, x, padding, needWeights: false, attnMask: mask).Output);

        private Tensor CrossBlock(Tensor x, Tensor memory, Tensor? mask, Tensor? padding) =>
            Dropout2.Forward(MultiheadAttn.Forward(x, memory, memory, padding, needWeights: false, attnMask: mask).Output);

        private Tensor FeedForward(Tensor x) =>
            Dropout3.Forward(Linear2.Forward(Dropout.Forward(ApplyActivation(Linear1.Forward(x)))));

        /// <summary>A new layer with the same settings and a copy of this one's parameters (PyTorch's deepcopy in TransformerDecoder).</summary>
        internal TransformerDecoderLayer Copy()
        {
            var copy = new TransformerDecoderLayer(DModel, NHead, DimFeedforward, DropoutP, Activation, ActivationFunction, LayerNormEps,
                BatchFirst, NormFirst, Linear1.Weight.Device, Linear1.Weight.DType);
            copy.LoadStateDict(StateDict());
            return copy;
        }
    }

    /// <summary>
    /// A stack of <see cref="TransformerDecoderLayer"/>s with an optional final norm (PyTorch's
    /// nn.TransformerDecoder); the layers start as copies of the given layer.
    /// </summary>
    public class TransformerDecoder : TransformerStack
    {
        /// <summary>Stacks <paramref name="numLayers"/> copies of <paramref name="decoderLayer"/>, then <paramref name="norm"/> when given.</summary>
        public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, LayerNorm? norm = null)
            : base(nameof(TransformerDecoder), NotNull(decoderLayer).Copy, numLayers, norm)
        {
        }

        /// <summary>Runs every layer with the same memory and masks (see <see cref="TransformerDecoderLayer.Forward"/>), then the norm.</summary>
        public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null,
            Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
        {
            Func<object?[], Tensor> run = a =>
            {
                Tensor x = InputAs<Tensor>(a, 0);
                foreach (Module layer in Layers)
                {
                    x = ((TransformerDecoderLayer)layer).Forward(x, InputAs<Tensor>(a, 1), InputAs<Tensor?>(a, 2), InputAs<Tensor?>(a, 3),
                        InputAs<Tensor?>(a, 4), InputAs<Tensor?>(a, 5));
                }
                return Norm is null ? x : Norm.Forward(x);
            };
            object?[] inputs = [tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask];
            return HasForwardHooks ? InvokeForward(inputs, run) : run(inputs);
        }
    }
}
