using System;

namespace Compute.NN
{
    // Backward of softmax, the normalisation layers, dropout and embedding. First order: the
    // native backward kernels from the statistics the forward saved. With createGraph: the
    // gradient rebuilt from the saved input with recorded ops (statistics recomputed, so their
    // dependence on the input is differentiated too).
    internal static partial class NNFormulas
    {
        // A normalisation's forward statistics: kept for the native backward when a node is
        // recorded, released at once otherwise.
        private static bool KeepStats(Tensor?[] inputs, params Tensor[] stats)
        {
            if (Recorder.Wanted(inputs))
            {
                return true;
            }
            foreach (Tensor s in stats)
            {
                s.Dispose();
            }
            return false;
        }

        private static Tensor InDType(Tensor grad, BackwardContext ctx) =>
            grad.DType == ctx.InputDType(0) ? grad : grad.To(ctx.InputDType(0));

        /// <summary>Records softmax along <paramref name="dim"/>: y (g - sum(g y)).</summary>
        internal static Tensor Softmax(Tensor result, Tensor input, long dim) =>
            Recorder.Record(result, "SoftmaxBackward0", [input], [result], ctx =>
            {
                Tensor y = ctx.Saved(0), g = ctx.Grad;
                Tensor grad = Recording ? y * (g - (g * y).Sum(dim, keepDim: true)) : Functional.SoftmaxBackward(g, y, dim);
                return [InDType(grad, ctx)];
            });

        /// <summary>Records log_softmax along <paramref name="dim"/>: g - exp(y) sum(g).</summary>
        internal static Tensor LogSoftmax(Tensor result, Tensor input, long dim) =>
            Recorder.Record(result, "LogSoftmaxBackward0", [input], [result], ctx =>
            {
                Tensor y = ctx.Saved(0), g = ctx.Grad;
                Tensor grad = Recording ? g - y.Exp() * g.Sum(dim, keepDim: true) : Functional.LogSoftmaxBackward(g, y, dim);
                return [InDType(grad, ctx)];
            });

        /// <summary>
        /// The gradient of (x - mean) / sqrt(var + eps) over <paramref name="dims"/> for the
        /// gradient <paramref name="gy"/> of the normalised values, with those values (all
        /// recorded ops): rstd (gy - mean(gy) - xhat mean(gy xhat)).
        /// </summary>
        private static (Tensor Grad, Tensor Normalized) Standardize(Tensor x, Tensor gy, long[] dims, double eps)
        {
            Tensor centered = x - x.Mean(dims, keepDim: true);
            Tensor rstd = ((centered * centered).Mean(dims, keepDim: true) + eps).Rsqrt();
            Tensor xhat = centered * rstd;
            Tensor grad = rstd * (gy - gy.Mean(dims, keepDim: true) - xhat * (gy * xhat).Mean(dims, keepDim: true));
            return (grad, xhat);
        }

        private static long[] Range(int from, int to)
        {
            var dims = new long[Math.Max(0, to - from)];
            for (int i = 0; i < dims.Length; i++)
            {
                dims[i] = from + i;
            }
            return dims;
        }

        // The dims of an (N, C, *) tensor other than the channel dim.
        private static long[] AllButChannel(int ndim)
        {
            var dims = new long[ndim - 1];
            dims[0] = 0;
            for (int i = 2; i < ndim; i++)
            {
                dims[i - 1] = i;
            }
            return dims;
        }

        // A per-channel [C] tensor shaped to broadcast along dim 1 of an ndim-D tensor.
        private static Tensor PerChannel(Tensor t, int ndim)
        {
            var shape = new long[ndim];
            Array.Fill(shape, 1L);
            shape[1] = t.NumberOfElements;
            return t.Reshape(shape);
        }

        /// <summary>Records layer_norm; takes ownership of the forward's mean and rstd.</summary>
        internal static Tensor LayerNorm(Tensor output, Tensor mean, Tensor rstd, Tensor input, long[] normalizedShape,
            Tensor? weight, Tensor? bias, double eps)
        {
            Tensor?[] inputs = [input, weight, bias];
            if (!KeepStats(inputs, mean, rstd))
            {
                return output;
            }
            long[] ns = (long[])normalizedShape.Clone();
            Tensor[] save = weight is null ? [input, mean, rstd] : [input, mean, rstd, weight];
            return Recorder.Record(output, "NativeLayerNormBackward0", inputs, save, ctx =>
            {
                Tensor x = ctx.Saved(0), g = ctx.Grad;
                Tensor? w = weight is null ? null : ctx.Saved(3);
                if (!Recording)
                {
                    var k = Functional.LayerNormBackward(g, x, ns, ctx.Saved(1), ctx.Saved(2), w);
                    return Needed(ctx, k.GradInput, k.GradWeight, k.GradBias);
                }
                long[] dims = Range(x.Dim - ns.Length, x.Dim), batch = Range(0, x.Dim - ns.Length);
                var (gi, xhat) = Standardize(x, w is null ? g : g * w, dims, eps);
                return Needed(ctx, gi, w is null ? null : (g * xhat).Sum(batch), bias is null ? null : g.Sum(batch));
            });
        }

        /// <summary>Records rms_norm; takes ownership of the forward's rstd.</summary>
        internal static Tensor RmsNorm(Tensor output, Tensor rstd, Tensor input, long[] normalizedShape, Tensor? weight, double? eps)
        {
            Tensor?[] inputs = [input, weight];
            if (!KeepStats(inputs, rstd))
            {
                return output;
            }
            long[] ns = (long[])normalizedShape.Clone();
            Tensor[] save = weight is null ? [input, rstd] : [input, rstd, weight];
            return Recorder.Record(output, "RmsNormBackward0", inputs, save, ctx =>
            {
                Tensor x = ctx.Saved(0), g = ctx.Grad;
                Tensor? w = weight is null ? null : ctx.Saved(2);
                if (!Recording)
                {
                    var k = Functional.RmsNormBackward(g, x, ns, ctx.Saved(1), w);
                    return Needed(ctx, k.GradInput, k.GradWeight);
                }
                // x r with r = rsqrt(mean(x^2) + eps): r (gy - xhat mean(gy xhat)).
                long[] dims = Range(x.Dim - ns.Length, x.Dim), batch = Range(0, x.Dim - ns.Length);
                // PyTorch's default eps: the machine epsilon of the computation dtype.
                double e = eps ?? (x.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23));
                Tensor r = ((x * x).Mean(dims, keepDim: true) + e).Rsqrt();
                Tensor xhat = x * r, gy = w is null ? g : g * w;
                Tensor gi = r * (gy - xhat * (gy * xhat).Mean(dims, keepDim: true));
                return Needed(ctx, gi, w is null ? null : (g * xhat).Sum(batch));
            });
        }

        /// <summary>
        /// Records batch_norm; takes ownership of the statistics used. The running statistics are
        /// buffers, not inputs: in training the batch statistics (functions of the input) are
        /// differentiated, in evaluation the running ones are constants.
        /// </summary>
        internal static Tensor BatchNorm(Tensor output, Tensor saveMean, Tensor saveInvstd, Tensor input, Tensor? runningMean,
            Tensor? runningVar, Tensor? weight, Tensor? bias, bool training, double eps)
        {
            NotDifferentiable(runningMean, "running_mean", "batch_norm");
            NotDifferentiable(runningVar, "running_var", "batch_norm");
            Tensor?[] inputs = [input, weight, bias];
            if (!KeepStats(inputs, saveMean, saveInvstd))
            {
                return output;
            }
            Tensor[] save = weight is null ? [input, saveMean, saveInvstd] : [input, saveMean, saveInvstd, weight];
            return Recorder.Record(output, "NativeBatchNormBackward0", inputs, save, ctx =>
            {
                Tensor x = ctx.Saved(0), g = ctx.Grad;
                Tensor? w = weight is null ? null : ctx.Saved(3);
                if (!Recording)
                {
                    var k = Functional.BatchNormBackward(g, x, w, ctx.Saved(1), ctx.Saved(2), training);
                    return Needed(ctx, k.GradInput, k.GradWeight, k.GradBias);
                }
                int nd = x.Dim;
                long[] dims = AllButChannel(nd);
                Tensor gy = w is null ? g : g * PerChannel(w, nd);
                Tensor gi, xhat;
                if (training)
                {
                    (gi, xhat) = Standardize(x, gy, dims, eps);
                }
                else
                {
                    Tensor invstd = PerChannel(ctx.Saved(2), nd);
                    gi = gy * invstd;
                    xhat = (x - PerChannel(ctx.Saved(1), nd)) * invstd;
                }
                return Needed(ctx, gi, w is null ? null : (g * xhat).Sum(dims), bias is null ? null : g.Sum(dims));
            });
        }

        /// <summary>Records group_norm; takes ownership of the forward's mean and rstd.</summary>
        internal static Tensor GroupNorm(Tensor output, Tensor mean, Tensor rstd, Tensor input, long numGroups, Tensor? weight,
            Tensor? bias, double eps)
        {
            Tensor?[] inputs = [input, weight, bias];
            if (!KeepStats(inputs, mean, rstd))
            {
                return output;
            }
            Tensor[] save = weight is null ? [input, mean, rstd] : [input, mean, rstd, weight];
            return Recorder.Record(output, "NativeGroupNormBackward0", inputs, save, ctx =>
            {
                Tensor x = ctx.Saved(0), g = ctx.Grad;
                Tensor? w = weight is null ? null : ctx.Saved(3);
                if (!Recording)
                {
                    var k = Functional.GroupNormBackward(g, x, numGroups, ctx.Saved(1), ctx.Saved(2), w);
                    return Needed(ctx, k.GradInput, k.GradWeight, k.GradBias);
                }
                // Each (sample, group) is standardised on its own: as rows of an (N, G, -1) view.
                int nd = x.Dim;
                long[] shape = x.Shape, grouped = [shape[0], numGroups, -1], dims = AllButChannel(nd);
                Tensor gy = w is null ? g : g * PerChannel(w, nd);
                var (gi, xhat) = Standardize(x.Reshape(grouped), gy.Reshape(grouped), [2], eps);
                return Needed(ctx, gi.Reshape(shape), w is null ? null : (g * xhat.Reshape(shape)).Sum(dims),
                    bias is null ? null : g.Sum(dims));
            });
        }

        /// <summary>Records (feature) dropout; takes ownership of the keep-mask: the gradient is grad * mask / (1 - p).</summary>
        internal static Tensor Dropout(Tensor output, Tensor mask, Tensor input, double p, bool training)
        {
            if (!KeepStats([input], mask))
            {
                return output;
            }
            return Recorder.Record(output, "NativeDropoutBackward0", [input], [mask], ctx =>
            {
                Tensor keep = ctx.Saved(0);
                if (!training)
                {
                    return [ctx.Grad]; // evaluation: the identity, whatever p is
                }
                if (!Recording)
                {
                    return [Functional.DropoutBackward(ctx.Grad, keep, p)];
                }
                // p = 1 drops everything: a zero gradient, not 0 * inf.
                return [ctx.Grad * keep.To(ctx.Grad.DType) * (p == 1 ? 0.0 : 1.0 / (1.0 - p))];
            });
        }

        /// <summary>Records embedding: the weight's gradient sums the gradient rows of each index, none at paddingIdx.</summary>
        internal static Tensor Embedding(Tensor result, Tensor indices, Tensor weight, long? paddingIdx, bool scaleGradByFreq)
        {
            return Recorder.Record(result, "EmbeddingBackward0", [weight], [indices], ctx =>
            {
                Tensor idx = ctx.Saved(0), g = ctx.Grad;
                long[] shape = ctx.InputShape(0);
                long? pad = paddingIdx is long pi && pi < 0 ? pi + shape[0] : paddingIdx;
                if (!Recording)
                {
                    return [Functional.EmbeddingBackward(g, idx, shape[0], pad, scaleGradByFreq)];
                }
                Tensor flat = idx.Flatten();
                Tensor grad = Tensor.Zeros(shape, ctx.InputDType(0)).IndexAdd(0, flat, g.Reshape(-1, shape[1]));
                if (scaleGradByFreq)
                {
                    // Each row over its index's count in the batch (rows never looked up stay zero).
                    Tensor counts = Tensor.Zeros([shape[0]], ctx.InputDType(0)).IndexAdd(0, flat, Tensor.Ones(flat.ShapeCached, ctx.InputDType(0)));
                    grad = grad / counts.Clamp(min: 1).Unsqueeze(1);
                }
                if (pad is long row)
                {
                    grad = grad * Tensor.Arange(shape[0], DType.Int64).Ne(row).To(grad.DType).Unsqueeze(1);
                }
                return [grad];
            });
        }
    }
}
