using System;

namespace Compute.NN
{
    // Backward of convolution. conv(x, w) is bilinear: with A_w x = conv(x, w) = B_x w, the input
    // gradient is A_w^T g and the weight gradient B_x^T g, both computed by the native backward
    // kernel. With createGraph each is recorded as a node of (g, w) or (g, x) whose own gradient
    // again needs only conv and its backward kernel:
    //   <u, A_w^T g> = <conv(u, w), g>: d/dg = conv(u, w),   d/dw = B_u^T g (the weight gradient);
    //   <u, B_x^T g> = <conv(x, u), g>: d/dg = conv(x, u),   d/dx = A_u^T g (the input gradient);
    // so gradients of every order are made of the same two kernels. Transposed convolution is
    // bilinear too and is recorded the same way with its own forward and backward kernel.
    internal static partial class NNFormulas
    {
        /// <summary>A convolution's fixed arguments: the forward without bias, and its backward kernel.</summary>
        internal sealed record ConvOps(Func<Tensor, Tensor, Tensor> Forward,
            Func<Tensor, Tensor, Tensor, (bool Input, bool Weight, bool Bias), (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias)> Backward);

        /// <summary>Records a (transposed) convolution; the bias gradient sums the output gradient over all but the channel dim.</summary>
        internal static Tensor Convolution(Tensor result, Tensor input, Tensor weight, Tensor? bias, ConvOps ops)
        {
            return Recorder.Record(result, "ConvolutionBackward0", [input, weight, bias], [input, weight], ctx =>
            {
                Tensor x = ctx.Saved(0), w = ctx.Saved(1), g = ctx.Grad;
                if (!Recording)
                {
                    var k = ops.Backward(g, x, w, (ctx.Needs(0), ctx.Needs(1), ctx.Needs(2)));
                    return Needed(ctx, k.GradInput, k.GradWeight, k.GradBias);
                }
                Tensor? gb = null;
                if (ctx.Needs(2))
                {
                    int channel = x.Dim == w.Dim ? 1 : 0; // batched [N, C, *] or unbatched [C, *]
                    var dims = new long[g.Dim - 1];
                    for (int i = 0, d = 0; i < g.Dim; i++)
                    {
                        if (i != channel) dims[d++] = i;
                    }
                    gb = g.Sum(dims);
                }
                return Needed(ctx, ctx.Needs(0) ? ConvGradInput(g, x, w, ops) : null, ctx.Needs(1) ? ConvGradWeight(g, x, w, ops) : null, gb);
            });
        }

        // A_w^T g, recorded as a function of g and w when this backward is being recorded.
        private static Tensor ConvGradInput(Tensor g, Tensor x, Tensor w, ConvOps ops)
        {
            Tensor result = ops.Backward(g, x, w, (true, false, false)).GradInput!;
            if (!Recording)
            {
                return result;
            }
            return Recorder.Record(result, "ConvolutionBackwardInput", [g, w], [g, x, w], ctx =>
            {
                Tensor gs = ctx.Saved(0), xs = ctx.Saved(1), ws = ctx.Saved(2), u = ctx.Grad;
                return Needed(ctx, ctx.Needs(0) ? ops.Forward(u, ws) : null, ctx.Needs(1) ? ConvGradWeight(gs, u, ws, ops) : null);
            });
        }

        // B_x^T g, recorded as a function of g and x when this backward is being recorded.
        private static Tensor ConvGradWeight(Tensor g, Tensor x, Tensor w, ConvOps ops)
        {
            Tensor result = ops.Backward(g, x, w, (false, true, false)).GradWeight!;
            if (!Recording)
            {
                return result;
            }
            return Recorder.Record(result, "ConvolutionBackwardWeight", [g, x], [g, x, w], ctx =>
            {
                Tensor gs = ctx.Saved(0), xs = ctx.Saved(1), u = ctx.Grad;
                return Needed(ctx, ctx.Needs(0) ? ops.Forward(xs, u) : null, ctx.Needs(1) ? ConvGradInput(gs, xs, u, ops) : null);
            });
        }
    }
}
