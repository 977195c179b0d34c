using System;

namespace Compute.NN
{
    // Backward of scaled_dot_product_attention. First order: the native blockwise kernel, which
    // regenerates the forward's dropout mask from the saved Philox position. With createGraph and
    // no dropout: the gradient rebuilt from recorded matmul and softmax over the full score
    // matrix; with dropout the mask exists only inside the kernel, so that case throws by name.
    internal static partial class NNFormulas
    {
        /// <summary>Records attention; takes ownership of the forward's log-sum-exp.</summary>
        internal static Tensor Attention(Functional.AttentionForward forward, Tensor query, Tensor key, Tensor value, Tensor? attnMask,
            double dropoutP, bool isCausal, double? scale)
        {
            NotDifferentiable(attnMask, "attn_mask", "scaled_dot_product_attention");
            Tensor?[] inputs = [query, key, value];
            if (!KeepStats(inputs, forward.LogSumExp))
            {
                return forward.Output;
            }
            Tensor[] save = attnMask is null
                ? [query, key, value, forward.Output, forward.LogSumExp]
                : [query, key, value, forward.Output, forward.LogSumExp, attnMask];
            const string name = "ScaledDotProductAttentionBackward0";
            return Recorder.Record(forward.Output, name, inputs, save, ctx =>
            {
                Tensor q = ctx.Saved(0), k = ctx.Saved(1), v = ctx.Saved(2), g = ctx.Grad;
                Tensor? mask = attnMask is null ? null : ctx.Saved(5);
                if (!Recording)
                {
                    var saved = new Functional.AttentionForward(ctx.Saved(3), ctx.Saved(4), forward.Seed, forward.Offset);
                    var (gq, gk, gv) = Functional.ScaledDotProductAttentionBackward(g, q, k, v, mask, dropoutP, isCausal, scale, saved);
                    return Needed(ctx, gq, gk, gv);
                }
                if (dropoutP > 0)
                {
                    throw NoDoubleBackward(name + " (scaled_dot_product_attention with dropout)");
                }
                double s = scale ?? 1.0 / Math.Sqrt(q.Size(-1));
                Tensor scores = q.MatMul(k.Transpose(-2, -1)) * s;
                if (mask is not null)
                {
                    scores = mask.DType == DType.Bool ? scores.MaskedFill(mask.LogicalNot(), double.NegativeInfinity) : scores + mask;
                }
                if (isCausal)
                {
                    Tensor later = Tensor.Ones([q.Size(-2), k.Size(-2)], DType.Float32).Triu(1).Ne(0);
                    scores = scores.MaskedFill(later, double.NegativeInfinity);
                }
                Tensor attn = scores.Softmax(-1);
                Tensor ga = g.MatMul(v.Transpose(-2, -1));
                Tensor gs = attn * (ga - (ga * attn).Sum(-1, keepDim: true));
                return Needed(ctx, gs.MatMul(k) * s, gs.Transpose(-2, -1).MatMul(q) * s, attn.Transpose(-2, -1).MatMul(g));
            });
        }
    }
}
