using System;

namespace Compute.NN
{
    /// <summary>
    /// Multi-head attention (PyTorch's nn.MultiheadAttention): the query, key and value are
    /// projected, split into <see cref="NumHeads"/> heads of EmbedDim / NumHeads features,
    /// attended with softmax(q kᵀ / √headDim + mask) v per head, concatenated and projected by
    /// <see cref="OutProj"/>.
    /// </summary>
    /// <remarks>
    /// <para>Parameters as in PyTorch: in_proj_weight [3E, E] when kdim = vdim = E, else
    /// q_proj_weight [E, E], k_proj_weight [E, kdim], v_proj_weight [E, vdim]; in_proj_bias [3E];
    /// out_proj (a <see cref="Linear"/>); with addBiasKv, bias_k and bias_v [1, 1, E] (Xavier-normal),
    /// appended to the projected keys and values as one more source position. addZeroAttn appends
    /// a further all-zero key and value per head (after the split into heads). Both extra
    /// positions are attendable whatever the masks say, and the returned weights include them
    /// (S + 1 or S + 2 columns). The projections start Xavier-uniform, the biases at zero.</para>
    /// <para>Shapes: query [L, N, E], key [S, N, kdim], value [S, N, vdim] ([N, L, E] ... with
    /// <see cref="BatchFirst"/>; unbatched [L, E], [S, kdim], [S, vdim]). Masks follow PyTorch:
    /// a bool mask is true where attention is NOT allowed, a floating mask is added to the
    /// scores. attn_mask is [L, S] or [N·heads, L, S]; key_padding_mask is [N, S] (or [S]).
    /// Without <c>needWeights</c> the heads go through the fused
    /// <see cref="Functional.ScaledDotProductAttention"/>.</para>
    /// </remarks>
    public class MultiheadAttention : Module
    {
        /// <summary>Makes the module. <paramref name="embedDim"/> must be divisible by <paramref name="numHeads"/>; kdim/vdim default to embedDim.</summary>
        public MultiheadAttention(long embedDim, long numHeads, double dropout = 0, bool bias = true, bool addBiasKv = false,
            bool addZeroAttn = false, long? kdim = null, long? vdim = null, bool batchFirst = false, Device? device = null,
            DType dtype = DType.Float32)
        {
            if (embedDim <= 0 || numHeads <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(embedDim),
                    $"MultiheadAttention: embedDim and numHeads must be greater than 0, got embedDim={embedDim} and numHeads={numHeads}.");
            }
            if (embedDim % numHeads != 0)
            {
                throw new ArgumentException($"MultiheadAttention: embed_dim must be divisible by num_heads; got embedDim={embedDim}, numHeads={numHeads}.", nameof(numHeads));
            }
            if (!(dropout >= 0 && dropout <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"MultiheadAttention: dropout must be in [0, 1], got {dropout}.");
            }
            EmbedDim = embedDim;
            NumHeads = numHeads;
            HeadDim = embedDim / numHeads;
            Dropout = dropout;
            BatchFirst = batchFirst;
            KDim = kdim ?? embedDim;
            VDim = vdim ?? embedDim;
            if (KDim <= 0 || VDim <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(kdim), $"MultiheadAttention: kdim and vdim must be greater than 0, got kdim={KDim}, vdim={VDim}.");
            }
            if (KDim == embedDim && VDim == embedDim)
            {
                InProjWeight = new Parameter(Tensor.Empty([3 * embedDim, embedDim], dtype, device));
            }
            else
            {
                QProjWeight = new Parameter(Tensor.Empty([embedDim, embedDim], dtype, device));
                KProjWeight = new Parameter(Tensor.Empty([embedDim, KDim], dtype, device));
                VProjWeight = new Parameter(Tensor.Empty([embedDim, VDim], dtype, device));
            }
            InProjBias = bias ? new Parameter(Tensor.Empty([3 * embedDim], dtype, device)) : null;
            OutProj = new Linear(embedDim, embedDim, bias, device, dtype);
            if (addBiasKv)
            {
                BiasK = new Parameter(Tensor.Empty([1, 1, embedDim], dtype, device));
                BiasV = new Parameter(Tensor.Empty([1, 1, embedDim], dtype, device));
            }
            AddZeroAttn = addZeroAttn;
            ResetParameters();
        }

        // Members in PyTorch's registration order: the state-dict keys follow it.

        /// <summary>The packed query/key/value projection [3E, E] ("in_proj_weight"), when kdim = vdim = E; else null.</summary>
        public Parameter? InProjWeight { get; private set; }

        /// <summary>The query projection [E, E] ("q_proj_weight") when kdim or vdim differ from E; else null.</summary>
        public Parameter? QProjWeight { get; private set; }

        /// <summary>The key projection [E, kdim] ("k_proj_weight") when kdim or vdim differ from E; else null.</summary>
        public Parameter? KProjWeight { get; private set; }

        /// <summary>The value projection [E, vdim] ("v_proj_weight") when kdim or vdim differ from E; else null.</summary>
        public Parameter? VProjWeight { get; private set; }

        /// <summary>The packed query/key/value bias [3E] ("in_proj_bias"), or null without bias.</summary>
        public Parameter? InProjBias { get; private set; }

        /// <summary>The output projection E → E ("out_proj").</summary>
        public Linear OutProj { get; }

        /// <summary>The key appended to every sequence [1, 1, E] ("bias_k") with addBiasKv; else null.</summary>
        public Parameter? BiasK { get; private set; }

        /// <summary>The value appended to every sequence [1, 1, E] ("bias_v") with addBiasKv; else null.</summary>
        public Parameter? BiasV { get; private set; }

        /// <summary>Whether a zero key and value are appended per head (add_zero_attn).</summary>
        public bool AddZeroAttn { get; }

        /// <summary>Model width E (embed_dim).</summary>
        public long EmbedDim { get; }

        /// <summary>Number of heads (num_heads).</summary>
        public long NumHeads { get; }

        /// <summary>Features per head, EmbedDim / NumHeads (head_dim).</summary>
        public long HeadDim { get; }

        /// <summary>Dropout probability on the attention weights in training (dropout).</summary>
        public double Dropout { get; }

        /// <summary>Whether inputs and output are [batch, seq, feature] (batch_first).</summary>
        public bool BatchFirst { get; }

        /// <summary>Features of the key (kdim).</summary>
        public long KDim { get; }

        /// <summary>Features of the value (vdim).</summary>
        public long VDim { get; }

        /// <summary>Draws the projections again as the constructor does (PyTorch's _reset_parameters): Xavier-uniform weights, zero biases.</summary>
        public void ResetParameters()
        {
            if (InProjWeight is not null)
            {
                Init.XavierUniformInPlace(InProjWeight);
            }
            else
            {
                Init.XavierUniformInPlace(QProjWeight!);
                Init.XavierUniformInPlace(KProjWeight!);
                Init.XavierUniformInPlace(VProjWeight!);
            }
            if (InProjBias is not null)
            {
                Init.ZerosInPlace(InProjBias);
            }
            if (OutProj.Bias is not null)
            {
                Init.ZerosInPlace(OutProj.Bias);
            }
            if (BiasK is not null && BiasV is not null)
            {
                Init.XavierNormalInPlace(BiasK);
                Init.XavierNormalInPlace(BiasV);
            }
        }

        /// <summary>
        /// Attends <paramref name="query"/> over <paramref name="key"/>/<paramref name="value"/>.
        /// Returns the output (shaped like the query, with E features) and, when
        /// <paramref name="needWeights"/>, the attention weights: [N, L, S] averaged over heads
        /// (<paramref name="averageAttnWeights"/>) or [N, heads, L, S] (without N when unbatched);
        /// in training with dropout, the weights after dropout, as PyTorch returns them.
        /// </summary>
        /// <param name="query">Queries [L, N, E] ([N, L, E] batch-first; [L, E] unbatched).</param>
        /// <param name="key">Keys [S, N, kdim].</param>
        /// <param name="value">Values [S, N, vdim].</param>
        /// <param name="keyPaddingMask">[N, S]: bool true (or -inf added) for keys to ignore; null for none.</param>
        /// <param name="needWeights">Whether to return the attention weights.</param>
        /// <param name="attnMask">[L, S] or [N·heads, L, S]: bool true where attention is not allowed, or added to the scores.</param>
        /// <param name="averageAttnWeights">Average the returned weights over the heads.</param>
        public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null,
            bool needWeights = true, Tensor? attnMask = null, bool averageAttnWeights = true)
        {
            Func<object?[], (Tensor, Tensor?)> run = args => Attend(InputAs<Tensor>(args, 0), InputAs<Tensor>(args, 1),
                InputAs<Tensor>(args, 2), InputAs<Tensor?>(args, 3), needWeights, InputAs<Tensor?>(args, 4), averageAttnWeights);
            object?[] inputs = [query, key, value, keyPaddingMask, attnMask];
            return HasForwardHooks ? InvokeForward(inputs, run) : run(inputs);
        }

        private (Tensor Output, Tensor? Weights) Attend(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask,
            bool needWeights, Tensor? attnMask, bool averageWeights)
        {
            ArgumentNullException.ThrowIfNull(query);
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            const string op = "MultiheadAttention";
            bool batched = query.Dim == 3;
            if ((query.Dim != 2 && query.Dim != 3) || key.Dim != query.Dim || value.Dim != query.Dim)
            {
                throw new ShapeMismatchException(
                    $"{op}: query, key and value must all be 3-D (batched) or 2-D (unbatched); got query {Shape(query)}, key {Shape(key)}, value {Shape(value)}.");
            }
            // Work in [seq, batch, feature].
            Tensor q = batched ? (BatchFirst ? query.Transpose(0, 1) : query) : query.Unsqueeze(1);
            Tensor k = batched ? (BatchFirst ? key.Transpose(0, 1) : key) : key.Unsqueeze(1);
            Tensor v = batched ? (BatchFirst ? value.Transpose(0, 1) : value) : value.Unsqueeze(1);
            long tgtLen = q.ShapeCached[0], batch = q.ShapeCached[1], srcLen = k.ShapeCached[0];
            if (q.ShapeCached[2] != EmbedDim || k.ShapeCached[2] != KDim || v.ShapeCached[2] != VDim)
            {
                throw new ShapeMismatchException(
                    $"{op}: expected query, key, value features ({EmbedDim}, {KDim}, {VDim}); got query {Shape(query)}, key {Shape(key)}, value {Shape(value)}.");
            }
            if (k.ShapeCached[1] != batch || v.ShapeCached[1] != batch || v.ShapeCached[0] != srcLen)
            {
                throw new ShapeMismatchException(
                    $"{op}: key and value must have the same sequence length and batch as each other and the query's batch; got query {Shape(query)}, key {Shape(key)}, value {Shape(value)}.");
            }
            DType dtype = OutProj.Weight.DType;
            if (query.DType != dtype || key.DType != dtype || value.DType != dtype)
            {
                throw new DTypeMismatchException(
                    $"{op}: query, key and value must have the parameters' dtype {dtype.Name()}; got {query.DType.Name()}, {key.DType.Name()}, {value.DType.Name()}.");
            }

            var (wq, wk, wv) = ProjectionWeights();
            Tensor[]? b = InProjBias?.Chunk(3, 0);
            // Project, then [seq, batch, E] -> [batch, heads, seq, headDim].
            Tensor qh = Heads(Functional.Linear(q, wq, b?[0]), tgtLen, batch);
            Tensor kp = Functional.Linear(k, wk, b?[1]), vp = Functional.Linear(v, wv, b?[2]);
            Tensor? mask = MergedMask(attnMask, keyPaddingMask, batched, batch, tgtLen, srcLen, dtype);
            long keys = srcLen;
            if (BiasK is not null && BiasV is not null)
            {
                // One more source position, the same learnt key and value for every batch element.
                kp = Tensor.Cat([kp, BiasK.Expand(1, batch, EmbedDim)], 0);
                vp = Tensor.Cat([vp, BiasV.Expand(1, batch, EmbedDim)], 0);
                keys++;
            }
            Tensor kh = Heads(kp, keys, batch);
            Tensor vh = Heads(vp, keys, batch);
            if (AddZeroAttn)
            {
                using Tensor zeros = Tensor.Zeros([batch, NumHeads, 1, HeadDim], dtype, kh.Device);
                kh = Tensor.Cat([kh, zeros], 2);
                vh = Tensor.Cat([vh, zeros], 2);
                keys++;
            }
            if (mask is not null && keys != srcLen)
            {
                // The appended positions are attendable: the masks are padded with zeros (PyTorch pads with 0 / False).
                long[] padShape = [.. mask.ShapeCached[..^1], keys - srcLen];
                mask = Tensor.Cat([mask, Tensor.Zeros(padShape, dtype, mask.Device)], -1);
            }
            double p = Training ? Dropout : 0.0;
            Tensor attended;
            Tensor? weights = null;
            if (needWeights)
            {
                Tensor scores = (qh * (1 / Math.Sqrt(HeadDim))).MatMul(kh.Transpose(-2, -1));
                if (mask is not null)
                {
                    scores = scores + mask;
                }
                weights = scores.Softmax(-1);
                // PyTorch returns the weights after dropout, the ones the values were mixed with.
                if (p > 0)
                {
                    weights = Functional.Dropout(weights, p, training: true);
                }
                attended = weights.MatMul(vh);
            }
            else
            {
                attended = Functional.ScaledDotProductAttention(qh, kh, vh, mask, p);
            }
            // [batch, heads, L, headDim] -> [L, batch, E] -> out_proj.
            Tensor merged = attended.Permute(2, 0, 1, 3).Reshape(tgtLen, batch, EmbedDim);
            Tensor output = OutProj.Forward(merged);
            output = batched ? (BatchFirst ? output.Transpose(0, 1) : output) : output.Squeeze(1);
            if (weights is not null)
            {
                if (averageWeights)
                {
                    weights = weights.Mean([1L]);
                }
                if (!batched)
                {
                    weights = weights.Squeeze(0);
                }
            }
            return (output, weights);
        }

        private (Tensor Q, Tensor K, Tensor V) ProjectionWeights()
        {
            if (InProjWeight is not null)
            {
                Tensor[] w = InProjWeight.Chunk(3, 0);
                return (w[0], w[1], w[2]);
            }
            return (QProjWeight!, KProjWeight!, VProjWeight!);
        }

        private Tensor Heads(Tensor x, long seq, long batch) => x.Reshape(seq, batch, NumHeads, HeadDim).Permute(1, 2, 0, 3);

        /// <summary>
        /// attn_mask and key_padding_mask as one additive mask broadcastable to [N, heads, L, S]
        /// (bool true becomes -inf), or null.
        /// </summary>
        private Tensor? MergedMask(Tensor? attnMask, Tensor? keyPaddingMask, bool batched, long batch, long tgtLen, long srcLen, DType dtype)
        {
            const string op = "MultiheadAttention";
            Tensor? mask = null;
            if (attnMask is not null)
            {
                Tensor m = Additive(attnMask, "attn_mask", dtype);
                if (m.Dim == 2)
                {
                    if (m.ShapeCached[0] != tgtLen || m.ShapeCached[1] != srcLen)
                    {
                        throw new ShapeMismatchException($"{op}: The shape of the 2D attn_mask is {Shape(attnMask)}, but should be [{tgtLen}, {srcLen}].");
                    }
                }
                else if (m.Dim == 3)
                {
                    if (m.ShapeCached[0] != batch * NumHeads || m.ShapeCached[1] != tgtLen || m.ShapeCached[2] != srcLen)
                    {
                        throw new ShapeMismatchException(
                            $"{op}: The shape of the 3D attn_mask is {Shape(attnMask)}, but should be [{batch * NumHeads}, {tgtLen}, {srcLen}].");
                    }
                    m = m.Reshape(batch, NumHeads, tgtLen, srcLen);
                }
                else
                {
                    throw new ShapeMismatchException($"{op}: attn_mask's dimension {attnMask.Dim} is not supported (2-D or 3-D); shape {Shape(attnMask)}.");
                }
                mask = m;
            }
            if (keyPaddingMask is not null)
            {
                Tensor kpm = Additive(keyPaddingMask, "key_padding_mask", dtype);
                long[] want = batched ? [batch, srcLen] : [srcLen];
                if (!kpm.ShapeCached.AsSpan().SequenceEqual(want))
                {
                    throw new ShapeMismatchException(
                        $"{op}: expected key_padding_mask of shape {Tensor.FormatShape(want)}, but got {Shape(keyPaddingMask)}.");
                }
                kpm = kpm.Reshape(batch, 1, 1, srcLen);
                mask = mask is null ? kpm : mask + kpm;
            }
            return mask;
        }

        private static Tensor Additive(Tensor mask, string name, DType dtype)
        {
            if (mask.DType == DType.Bool)
            {
                return Tensor.Zeros(mask.ShapeCached, dtype, mask.Device).MaskedFill(mask, double.NegativeInfinity);
            }
            if (mask.DType != dtype)
            {
                throw new DTypeMismatchException(
                    $"MultiheadAttention: {name} must be bool or of the query's dtype {dtype.Name()}; got {mask.DType.Name()} of shape {Shape(mask)}.");
            }
            return mask;
        }

        private static string Shape(Tensor t) => Tensor.FormatShape(t.ShapeCached);
    }
}
