using System;
using Compute.Native;

namespace Compute.NN
{
    /// <summary>
    /// Softmax, normalisation layers, dropout and embedding (torch.nn.functional). The public
    /// methods mirror PyTorch's signatures; the internal ones expose the statistics a forward saves
    /// and the native backward kernels, for the autograd layer.
    /// </summary>
    public static partial class Functional
    {
        // Takes ownership of several result handles at once; if wrapping one fails, the ones
        // already wrapped and the rest are released.
        private static Tensor[] OwnAll(params TensorHandle[] handles)
        {
            var owned = new Tensor[handles.Length];
            int i = 0;
            try
            {
                for (; i < handles.Length; i++) owned[i] = Tensor.Own(handles[i]);
                return owned;
            }
            catch
            {
                for (int k = 0; k < i; k++) owned[k].Dispose();
                for (int k = i; k < handles.Length; k++) handles[k].Dispose();
                throw;
            }
        }

        private static TensorHandle Opt(Tensor? t) => Tensor.HandleOrNull(t);

        private static long[] CheckedShape(long[] normalizedShape)
        {
            ArgumentNullException.ThrowIfNull(normalizedShape);
            return normalizedShape;
        }

        // ---- softmax --------------------------------------------------------------------------

        /// <summary>softmax along <paramref name="dim"/> (F.softmax); see <see cref="Tensor.Softmax"/>.</summary>
        public static Tensor Softmax(Tensor input, long dim, DType? dtype = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.Softmax(dim, dtype);
        }

        /// <summary>log_softmax along <paramref name="dim"/> (F.log_softmax); see <see cref="Tensor.LogSoftmax"/>.</summary>
        public static Tensor LogSoftmax(Tensor input, long dim, DType? dtype = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.LogSoftmax(dim, dtype);
        }

        /// <summary>Gradient of softmax from its output: output * (gradOutput - sum(gradOutput * output, dim)).</summary>
        internal static Tensor SoftmaxBackward(Tensor gradOutput, Tensor output, long dim) =>
            Tensor.Own(NativeMethods.SoftmaxBackward(gradOutput.Handle, output.Handle, dim));

        /// <summary>Gradient of log_softmax from its output: gradOutput - exp(output) * sum(gradOutput, dim).</summary>
        internal static Tensor LogSoftmaxBackward(Tensor gradOutput, Tensor output, long dim) =>
            Tensor.Own(NativeMethods.LogSoftmaxBackward(gradOutput.Handle, output.Handle, dim));

        // ---- layer norm / RMS norm ------------------------------------------------------------

        /// <summary>
        /// Layer normalisation over the trailing dims <paramref name="normalizedShape"/> (F.layer_norm):
        /// (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance. weight and bias,
        /// when given, have shape normalizedShape.
        /// </summary>
        public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
        {
            if (AutocastRegion.Recast(AutocastOps.LayerNorm, input, weight, bias) is { } cast)
            {
                return LayerNorm(cast.A, normalizedShape, cast.B, cast.C, eps);
            }
            var (output, mean, rstd) = LayerNormWithStats(input, normalizedShape, weight, bias, eps);
            return NNFormulas.LayerNorm(output, mean, rstd, input, normalizedShape, weight, bias, eps);
        }

        /// <summary>layer_norm with the statistics its backward needs (torch.native_layer_norm).</summary>
        internal static (Tensor Output, Tensor Mean, Tensor Rstd) LayerNormWithStats(Tensor input, long[] normalizedShape, Tensor? weight, Tensor? bias, double eps)
        {
            ArgumentNullException.ThrowIfNull(input);
            long[] ns = CheckedShape(normalizedShape);
            NativeMethods.LayerNorm(input.Handle, ns, ns.Length, Opt(weight), Opt(bias), eps, out var o, out var m, out var r);
            var t = OwnAll(o, m, r);
            return (t[0], t[1], t[2]);
        }

        /// <summary>Gradients of layer_norm from the saved mean and rstd (a null weight stands for ones).</summary>
        internal static (Tensor GradInput, Tensor GradWeight, Tensor GradBias) LayerNormBackward(
            Tensor gradOutput, Tensor input, long[] normalizedShape, Tensor mean, Tensor rstd, Tensor? weight)
        {
            long[] ns = CheckedShape(normalizedShape);
            NativeMethods.LayerNormBackward(gradOutput.Handle, input.Handle, ns, ns.Length, mean.Handle, rstd.Handle, Opt(weight),
                out var gi, out var gw, out var gb);
            var t = OwnAll(gi, gw, gb);
            return (t[0], t[1], t[2]);
        }

        /// <summary>
        /// RMS normalisation over the trailing dims <paramref name="normalizedShape"/> (F.rms_norm):
        /// x * rsqrt(mean(x^2) + eps) * weight. A null <paramref name="eps"/> is the machine epsilon
        /// of the computation dtype (float32 for 16-bit inputs), as in PyTorch.
        /// </summary>
        public static Tensor RmsNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, double? eps = null)
        {
            var (output, rstd) = RmsNormWithStats(input, normalizedShape, weight, eps);
            return NNFormulas.RmsNorm(output, rstd, input, normalizedShape, weight, eps);
        }

        /// <summary>rms_norm with the rstd its backward needs.</summary>
        internal static (Tensor Output, Tensor Rstd) RmsNormWithStats(Tensor input, long[] normalizedShape, Tensor? weight, double? eps)
        {
            ArgumentNullException.ThrowIfNull(input);
            long[] ns = CheckedShape(normalizedShape);
            ReadOnlySpan<double> e = eps is double v ? new[] { v } : default;
            NativeMethods.RmsNorm(input.Handle, ns, ns.Length, Opt(weight), e, out var o, out var r);
            var t = OwnAll(o, r);
            return (t[0], t[1]);
        }

        /// <summary>Gradients of rms_norm from the saved rstd.</summary>
        internal static (Tensor GradInput, Tensor GradWeight) RmsNormBackward(Tensor gradOutput, Tensor input, long[] normalizedShape, Tensor rstd, Tensor? weight)
        {
            long[] ns = CheckedShape(normalizedShape);
            NativeMethods.RmsNormBackward(gradOutput.Handle, input.Handle, ns, ns.Length, rstd.Handle, Opt(weight), out var gi, out var gw);
            var t = OwnAll(gi, gw);
            return (t[0], t[1]);
        }

        // ---- batch norm / group norm ----------------------------------------------------------

        /// <summary>
        /// Batch normalisation of an (N, C, *) input (F.batch_norm). In training the batch statistics
        /// normalise and, when given, <paramref name="runningMean"/> and <paramref name="runningVar"/>
        /// are updated in place with <paramref name="momentum"/> (the variance unbiased); in
        /// evaluation the running statistics (required) normalise.
        /// </summary>
        public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                       bool training = false, double momentum = 0.1, double eps = 1e-5)
        {
            var (output, mean, invstd) = BatchNormWithStats(input, runningMean, runningVar, weight, bias, training, momentum, eps);
            return NNFormulas.BatchNorm(output, mean, invstd, input, runningMean, runningVar, weight, bias, training, eps);
        }

        /// <summary>batch_norm with the statistics used (the batch's in training, the running ones in evaluation).</summary>
        internal static (Tensor Output, Tensor SaveMean, Tensor SaveInvstd) BatchNormWithStats(
            Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, bool training, double momentum, double eps)
        {
            ArgumentNullException.ThrowIfNull(input);
            NativeMethods.BatchNorm(input.Handle, Opt(weight), Opt(bias), Opt(runningMean), Opt(runningVar), training ? 1 : 0, momentum, eps,
                out var o, out var m, out var s);
            var t = OwnAll(o, m, s);
            return (t[0], t[1], t[2]);
        }

        /// <summary>Gradients of batch_norm; <paramref name="training"/> picks the formula through the batch statistics.</summary>
        internal static (Tensor GradInput, Tensor GradWeight, Tensor GradBias) BatchNormBackward(
            Tensor gradOutput, Tensor input, Tensor? weight, Tensor saveMean, Tensor saveInvstd, bool training)
        {
            NativeMethods.BatchNormBackward(gradOutput.Handle, input.Handle, Opt(weight), saveMean.Handle, saveInvstd.Handle, training ? 1 : 0,
                out var gi, out var gw, out var gb);
            var t = OwnAll(gi, gw, gb);
            return (t[0], t[1], t[2]);
        }

        /// <summary>
        /// Group normalisation of an (N, C, *) input (F.group_norm): the C channels form
        /// <paramref name="numGroups"/> groups normalised per sample; weight and bias have shape [C].
        /// </summary>
        public static Tensor GroupNorm(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
        {
            if (AutocastRegion.Recast(AutocastOps.GroupNorm, input, weight, bias) is { } cast)
            {
                return GroupNorm(cast.A, numGroups, cast.B, cast.C, eps);
            }
            var (output, mean, rstd) = GroupNormWithStats(input, numGroups, weight, bias, eps);
            return NNFormulas.GroupNorm(output, mean, rstd, input, numGroups, weight, bias, eps);
        }

        /// <summary>group_norm with its [N, numGroups] mean and rstd (torch.native_group_norm).</summary>
        internal static (Tensor Output, Tensor Mean, Tensor Rstd) GroupNormWithStats(Tensor input, long numGroups, Tensor? weight, Tensor? bias, double eps)
        {
            ArgumentNullException.ThrowIfNull(input);
            NativeMethods.GroupNorm(input.Handle, numGroups, Opt(weight), Opt(bias), eps, out var o, out var m, out var r);
            var t = OwnAll(o, m, r);
            return (t[0], t[1], t[2]);
        }

        /// <summary>Gradients of group_norm from the saved mean and rstd.</summary>
        internal static (Tensor GradInput, Tensor GradWeight, Tensor GradBias) GroupNormBackward(
            Tensor gradOutput, Tensor input, long numGroups, Tensor mean, Tensor rstd, Tensor? weight)
        {
            NativeMethods.GroupNormBackward(gradOutput.Handle, input.Handle, numGroups, mean.Handle, rstd.Handle, Opt(weight),
                out var gi, out var gw, out var gb);
            var t = OwnAll(gi, gw, gb);
            return (t[0], t[1], t[2]);
        }

        // ---- dropout --------------------------------------------------------------------------

        /// <summary>
        /// Zeroes each element with probability <paramref name="p"/> and scales the rest by 1 / (1 - p)
        /// (F.dropout), drawing from the default generator (Tensor.ManualSeed). With training false it
        /// returns a copy of the input. <paramref name="inplace"/> writes the result into the input
        /// and returns it (with training false or p = 0 the input is returned untouched, as in PyTorch).
        /// </summary>
        public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false) =>
            DropoutInPlaceOr(input, p, training, inplace, "dropout", x =>
            {
                var (output, mask) = DropoutWithMask(x, p, training);
                return NNFormulas.Dropout(output, mask, x, p, training);
            });

        /// <summary>Zeroes whole channels of an (N, C, L) or unbatched (C, L) input (F.dropout1d); inplace as <see cref="Dropout"/>.</summary>
        public static Tensor Dropout1d(Tensor input, double p = 0.5, bool training = true, bool inplace = false) =>
            DropoutInPlaceOr(input, p, training, inplace, "dropout1d", x => ChannelDropout(x, p, training, 2, "dropout1d"));

        /// <summary>Zeroes whole channels of an (N, C, H, W) or unbatched (C, H, W) input (F.dropout2d); inplace as <see cref="Dropout"/>.</summary>
        public static Tensor Dropout2d(Tensor input, double p = 0.5, bool training = true, bool inplace = false) =>
            DropoutInPlaceOr(input, p, training, inplace, "dropout2d", x => ChannelDropout(x, p, training, 3, "dropout2d"));

        /// <summary>Zeroes whole channels of an (N, C, D, H, W) or unbatched (C, D, H, W) input (F.dropout3d); inplace as <see cref="Dropout"/>.</summary>
        public static Tensor Dropout3d(Tensor input, double p = 0.5, bool training = true, bool inplace = false) =>
            DropoutInPlaceOr(input, p, training, inplace, "dropout3d", x => ChannelDropout(x, p, training, 4, "dropout3d"));

        /// <summary>
        /// The dropout <paramref name="drop"/> computes, or with <paramref name="inplace"/> that result
        /// copied into the input (no native in-place kernel): under autograd the copy records
        /// copy_, whose gradient flows through the dropout node to the input's old history, so the
        /// gradients are those of PyTorch's dropout_.
        /// </summary>
        private static Tensor DropoutInPlaceOr(Tensor input, double p, bool training, bool inplace, string op, Func<Tensor, Tensor> drop)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (!inplace)
            {
                return drop(input);
            }
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: dropout probability has to be between 0 and 1, but got {p}.");
            }
            if (!training || p == 0)
            {
                return input;
            }
            if (GradMode.IsEnabled && input.RequiresGrad && input.IsLeaf)
            {
                throw new InvalidOperationException(
                    $"{op}: a leaf Variable that requires grad is being used in an in-place operation (inplace: true on {Tensor.FormatShape(input.ShapeCached)}).");
            }
            using Tensor result = drop(input);
            return input.CopyFrom(result);
        }

        // Feature dropout whose input is unbatched at `unbatchedDims` dims or batched at one more.
        private static Tensor ChannelDropout(Tensor input, double p, bool training, int unbatchedDims, string name)
        {
            ArgumentNullException.ThrowIfNull(input);
            long nd = input.Shape.Length;
            if (nd != unbatchedDims && nd != unbatchedDims + 1)
            {
                throw new ArgumentException(
                    $"{name}: expected a {unbatchedDims}-D (unbatched) or {unbatchedDims + 1}-D (batched) input, got shape [{string.Join(", ", input.Shape)}]");
            }
            if (nd == unbatchedDims + 1)
            {
                var (o, m) = FeatureDropoutWithMask(input, p, training);
                return NNFormulas.Dropout(o, m, input, p, training);
            }
            using Tensor batched = input.Unsqueeze(0);
            var (output, mask) = FeatureDropoutWithMask(batched, p, training);
            output = NNFormulas.Dropout(output, mask, batched, p, training);
            using (output)
            {
                return output.Squeeze(0);
            }
        }

        /// <summary>dropout with its bool keep-mask (true = kept).</summary>
        internal static (Tensor Output, Tensor Mask) DropoutWithMask(Tensor input, double p, bool training)
        {
            ArgumentNullException.ThrowIfNull(input);
            NativeMethods.Dropout(input.Handle, p, training ? 1 : 0, out var o, out var m);
            var t = OwnAll(o, m);
            return (t[0], t[1]);
        }

        /// <summary>Channel dropout of an (N, C, *) input with its (N, C, 1, ...) bool mask.</summary>
        internal static (Tensor Output, Tensor Mask) FeatureDropoutWithMask(Tensor input, double p, bool training)
        {
            ArgumentNullException.ThrowIfNull(input);
            NativeMethods.FeatureDropout(input.Handle, p, training ? 1 : 0, out var o, out var m);
            var t = OwnAll(o, m);
            return (t[0], t[1]);
        }

        /// <summary>Gradient of (feature) dropout: gradOutput * mask / (1 - p), the mask broadcasting.</summary>
        internal static Tensor DropoutBackward(Tensor gradOutput, Tensor mask, double p) =>
            Tensor.Own(NativeMethods.DropoutBackward(gradOutput.Handle, mask.Handle, p));

        // ---- embedding ------------------------------------------------------------------------

        /// <summary>
        /// Rows of <paramref name="weight"/> (num_embeddings, embedding_dim) picked by the int32/int64
        /// <paramref name="input"/> indices (F.embedding); the result has shape input.shape + [embedding_dim].
        /// With <paramref name="maxNorm"/>, the picked rows whose <paramref name="normType"/>-norm exceeds it
        /// are rescaled in place in weight first. paddingIdx (negative counts from the end) marks the row
        /// that receives no gradient. With <paramref name="scaleGradByFreq"/> each row's gradient is
        /// divided by the number of times its index occurs in <paramref name="input"/>.
        /// </summary>
        public static Tensor Embedding(Tensor input, Tensor weight, long? paddingIdx = null, double? maxNorm = null, double normType = 2.0,
                                       bool scaleGradByFreq = false)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(weight);
            ReadOnlySpan<double> mn = maxNorm is double v ? new[] { v } : default;
            return NNFormulas.Embedding(Tensor.Own(NativeMethods.Embedding(weight.Handle, input.Handle, paddingIdx ?? 0, paddingIdx is null ? 0 : 1,
                mn, normType)), input, weight, paddingIdx, scaleGradByFreq);
        }

        /// <summary>
        /// Dense gradient of embedding: a (numWeights, embedding_dim) tensor summing the gradOutput rows of
        /// each index (duplicates accumulate), zero at paddingIdx, divided by each index's count when
        /// scaleGradByFreq.
        /// </summary>
        internal static Tensor EmbeddingBackward(Tensor gradOutput, Tensor indices, long numWeights, long? paddingIdx, bool scaleGradByFreq) =>
            Tensor.Own(NativeMethods.EmbeddingBackward(gradOutput.Handle, indices.Handle, numWeights, paddingIdx ?? 0,
                                                       paddingIdx is null ? 0 : 1, scaleGradByFreq ? 1 : 0));
    }
}
