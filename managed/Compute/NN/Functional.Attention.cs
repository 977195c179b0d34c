using System;
using Compute.Native;

namespace Compute.NN
{
    public static partial class Functional
    {
        /// <summary>
        /// softmax(query keyᵀ · scale + mask) value over the last two dims
        /// (F.scaled_dot_product_attention), computed blockwise over the keys so the (L, S) score
        /// matrix is never materialised.
        /// </summary>
        /// <param name="query">(..., L, E).</param>
        /// <param name="key">(..., S, E), same leading dims as query.</param>
        /// <param name="value">(..., S, Ev).</param>
        /// <param name="attnMask">Optional mask broadcastable to (..., L, S): bool (true keeps a key) or additive, of query's dtype.</param>
        /// <param name="dropoutP">Probability of dropping an attention weight (Philox, from the default generator).</param>
        /// <param name="isCausal">Mask out keys after each query's position (then attnMask must be null).</param>
        /// <param name="scale">Score scale; 1/sqrt(E) when null.</param>
        public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null,
            double dropoutP = 0.0, bool isCausal = false, double? scale = null)
        {
            if (AutocastRegion.Recast(AutocastOps.ScaledDotProductAttention, query, key, value, attnMask) is { } cast)
            {
                return ScaledDotProductAttention(cast.A, cast.B!, cast.C!, cast.D, dropoutP, isCausal, scale);
            }
            var r = ScaledDotProductAttentionForward(query, key, value, attnMask, dropoutP, isCausal, scale);
            return NNFormulas.Attention(r, query, key, value, attnMask, dropoutP, isCausal, scale);
        }

        /// <summary>What the backward kernel needs from a forward call: the output, the log-sum-exp of each score row and the dropout stream position.</summary>
        internal readonly record struct AttentionForward(Tensor Output, Tensor LogSumExp, ulong Seed, ulong Offset);

        internal static AttentionForward ScaledDotProductAttentionForward(Tensor query, Tensor key, Tensor value, Tensor? attnMask,
            double dropoutP, bool isCausal, double? scale)
        {
            ArgumentNullException.ThrowIfNull(query);
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            Span<double> s = stackalloc double[1];
            s[0] = scale ?? 0.0;
            NativeMethods.ScaledDotProductAttention(query.Handle, key.Handle, value.Handle, Optional(attnMask), dropoutP,
                isCausal ? 1 : 0, scale.HasValue ? s : default, out TensorHandle output, out TensorHandle lse, out ulong seed,
                out ulong offset);
            return new AttentionForward(Tensor.Own(output), Tensor.Own(lse), seed, offset);
        }

        /// <summary>Gradients of <see cref="ScaledDotProductAttention"/> for query, key and value, regenerating the forward call's dropout mask.</summary>
        internal static (Tensor GradQuery, Tensor GradKey, Tensor GradValue) ScaledDotProductAttentionBackward(Tensor gradOutput,
            Tensor query, Tensor key, Tensor value, Tensor? attnMask, double dropoutP, bool isCausal, double? scale,
            AttentionForward forward)
        {
            Span<double> s = stackalloc double[1];
            s[0] = scale ?? 0.0;
            NativeMethods.ScaledDotProductAttentionBackward(gradOutput.Handle, query.Handle, key.Handle, value.Handle,
                Optional(attnMask), dropoutP, isCausal ? 1 : 0, scale.HasValue ? s : default, forward.Output.Handle,
                forward.LogSumExp.Handle, forward.Seed, forward.Offset, out TensorHandle gq, out TensorHandle gk, out TensorHandle gv);
            return (Tensor.Own(gq), Tensor.Own(gk), Tensor.Own(gv));
        }
    }
}
