using System;
using System.Linq;

namespace Compute.NN
{
    // Backward of pooling, interpolation, grid sampling and attention. First order: the native
    // backward kernels. With createGraph:
    //  - average pooling, adaptive average pooling and interpolation are linear in the input and
    //    their backward kernel is the forward's adjoint; the kernel is recorded as a node whose own
    //    backward is the forward op, so the gradient is differentiable again;
    //  - max pooling's gradient is a recorded scatter-add of the gradient at the saved indices;
    //  - grid_sample's gradient with respect to the grid has no composite form here: it throws;
    //  - attention without dropout is rebuilt from matmul and softmax.
    internal static partial class NNFormulas
    {
        /// <summary>
        /// Records an op that is linear in its input. <paramref name="backwardKernel"/> (grad, input)
        /// is the native adjoint; <paramref name="forward"/> applies the op again (the adjoint's adjoint).
        /// </summary>
        internal static Tensor Linear(Tensor result, string name, Tensor input, Func<Tensor, Tensor> forward,
            Func<Tensor, Tensor, Tensor> backwardKernel)
        {
            return Recorder.Record(result, name, [input], [input], ctx =>
            {
                Tensor grad = backwardKernel(ctx.Grad, ctx.Saved(0));
                return [Recording ? Recorder.Record(grad, name + "Backward", [ctx.Grad], null, c => [forward(c.Grad)]) : grad];
            });
        }

        /// <summary>
        /// Records one of a pair of linear ops that are each other's adjoint (unfold and fold): the
        /// gradient is the other op, itself recorded, so it is differentiable again.
        /// </summary>
        internal static Tensor AdjointPair(Tensor result, string name, Tensor input, Func<Tensor, long[], Tensor> adjoint) =>
            Recorder.Record(result, name, [input], null, ctx => [adjoint(ctx.Grad, ctx.InputShape(0))]);

        /// <summary>
        /// Records max pooling over the last <paramref name="nspatial"/> dims; the indices are
        /// positions in the flattened spatial plane of the input.
        /// </summary>
        internal static (Tensor Output, Tensor Indices) MaxPool((Tensor Output, Tensor Indices) r, string name, Tensor input, int nspatial)
        {
            Recorder.Record(r.Output, name, [input], [input, r.Indices], ctx =>
            {
                Tensor x = ctx.Saved(0), indices = ctx.Saved(1), g = ctx.Grad;
                if (!Recording)
                {
                    return [Functional.MaxPoolBackward(g, x, nspatial, indices)];
                }
                long[] shape = ctx.InputShape(0);
                int lead = shape.Length - nspatial;
                var plane = new long[lead + 1];
                Array.Copy(shape, plane, lead);
                plane[lead] = TotalSize(shape[lead..]);
                long[] picked = g.Shape[..lead].Append(-1L).ToArray();
                Tensor grad = Tensor.Zeros(plane, ctx.InputDType(0)).ScatterAdd(lead, indices.Reshape(picked), g.Reshape(picked));
                return [grad.Reshape(shape)];
            });
            return r;
        }

        /// <summary>Records grid_sample: input and grid gradients from the native kernel, first order only.</summary>
        internal static Tensor GridSample(Tensor result, Tensor input, Tensor grid, string mode, string paddingMode, bool? alignCorners)
        {
            return Recorder.Record(result, "GridSampler2DBackward0", [input, grid], [input, grid], ctx =>
            {
                if (Recording)
                {
                    throw NoDoubleBackward("GridSampler2DBackward0 (grid_sample)");
                }
                var (gi, gg) = Functional.GridSampleBackward(ctx.Grad, ctx.Saved(0), ctx.Saved(1), mode, paddingMode, alignCorners);
                return Needed(ctx, gi, gg);
            });
        }
    }
}
