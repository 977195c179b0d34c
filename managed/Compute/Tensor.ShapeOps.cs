using System;
using System.Collections.Generic;
using System.Linq;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        private delegate TensorHandle HandleListOp(ReadOnlySpan<nint> handles);

        private delegate long ListResultOp(Span<nint> outs, long capacity);

        // Calls op with the raw handles of tensors. Each SafeHandle is AddRef'd for the call, so
        // a tensor disposed on another thread meanwhile cannot free the memory under the call.
        private static Tensor WithHandles(IReadOnlyList<Tensor> tensors, string op, HandleListOp call)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            int n = tensors.Count;
            var handles = new TensorHandle[n];
            var added = new bool[n];
            var raw = new nint[n];
            try
            {
                for (int i = 0; i < n; i++)
                {
                    Tensor t = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"{op}: tensors[{i}] is null.");
                    handles[i] = t.Handle;
                    handles[i].DangerousAddRef(ref added[i]);
                    raw[i] = handles[i].DangerousGetHandle();
                }
                return Own(call(raw));
            }
            finally
            {
                for (int i = 0; i < n; i++)
                {
                    if (added[i])
                    {
                        handles[i].DangerousRelease();
                    }
                }
            }
        }

        // The list-out protocol of cmp_split & co: ask for the count, then for the handles.
        private static Tensor[] OwnList(ListResultOp call)
        {
            long count = call(default, 0);
            var raw = new nint[count];
            call(raw, count);
            // Every raw handle gets its SafeHandle before anything can throw, so none leaks.
            var handles = new TensorHandle[count];
            for (long i = 0; i < count; i++)
            {
                handles[i] = TensorHandle.FromOwnedRaw(raw[i]);
            }
            var result = new Tensor[count];
            for (long i = 0; i < count; i++)
            {
                result[i] = Own(handles[i]);
            }
            return result;
        }

        /// <summary>
        /// Concatenates tensors along <paramref name="dim"/> (torch.cat). The result dtype
        /// promotes over all inputs; 1-D empty tensors are skipped as in PyTorch.
        /// </summary>
        public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            using AutocastRegion amp = AutocastRegion.Enter(AutocastOps.Cat, ref tensors);
            Tensor result = WithHandles(tensors, "Cat", h => NativeMethods.Cat(h, h.Length, dim));
            Tensor?[] inputs = ToArray(tensors);
            if (!Recorder.Wanted(inputs))
            {
                return result;
            }
            int d = NormalizeDim(dim, result.Dim, nameof(Cat));
            return Recorder.Record(result, "CatBackward0", inputs, null, ctx => CatBackward(ctx, inputs.Length, d));
        }

        /// <summary>Stacks tensors of one shape along a new dim <paramref name="dim"/> (torch.stack).</summary>
        public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            using AutocastRegion amp = AutocastRegion.Enter(AutocastOps.Stack, ref tensors);
            Tensor result = WithHandles(tensors, "Stack", h => NativeMethods.Stack(h, h.Length, dim));
            Tensor?[] inputs = ToArray(tensors);
            if (!Recorder.Wanted(inputs))
            {
                return result;
            }
            int d = NormalizeDim(dim, result.Dim, nameof(Stack));
            return Recorder.Record(result, "StackBackward0", inputs, null, ctx =>
            {
                var grads = new Tensor?[inputs.Length];
                for (int i = 0; i < grads.Length; i++)
                {
                    grads[i] = ctx.Needs(i) ? ctx.Grad.Select(d, i) : null;
                }
                return grads;
            });
        }

        private static Tensor?[] ToArray(IReadOnlyList<Tensor> tensors)
        {
            var array = new Tensor?[tensors.Count];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = tensors[i];
            }
            return array;
        }

        /// <summary>Views of <paramref name="splitSize"/> elements along <paramref name="dim"/>; the last may be smaller (torch.split).</summary>
        public Tensor[] Split(long splitSize, long dim = 0)
        {
            TensorHandle self = Handle;
            return PiecesRecorded(OwnList((outs, capacity) => NativeMethods.Split(self, splitSize, dim, outs, capacity)), "SplitBackward0", dim, stacked: false);
        }

        /// <summary>Views of the given sizes along <paramref name="dim"/>, which must sum to its size (torch.split with a list).</summary>
        public Tensor[] Split(long[] splitSizes, long dim = 0) => SplitWithSizes(splitSizes, dim);

        /// <summary>Views of the given sizes along <paramref name="dim"/>, which must sum to its size (torch.split_with_sizes).</summary>
        public Tensor[] SplitWithSizes(long[] splitSizes, long dim = 0)
        {
            ArgumentNullException.ThrowIfNull(splitSizes);
            TensorHandle self = Handle;
            return PiecesRecorded(OwnList((outs, capacity) => NativeMethods.SplitWithSizes(self, splitSizes, splitSizes.Length, dim, outs, capacity)),
                "SplitWithSizesBackward0", dim, stacked: false);
        }

        /// <summary>At most <paramref name="chunks"/> views along <paramref name="dim"/>, each ceil(size / chunks) long (torch.chunk).</summary>
        public Tensor[] Chunk(long chunks, long dim = 0)
        {
            TensorHandle self = Handle;
            return PiecesRecorded(OwnList((outs, capacity) => NativeMethods.Chunk(self, chunks, dim, outs, capacity)), "SplitBackward0", dim, stacked: false);
        }

        /// <summary>The views at each index along <paramref name="dim"/>, the dim removed (torch.unbind).</summary>
        public Tensor[] Unbind(long dim = 0)
        {
            TensorHandle self = Handle;
            return PiecesRecorded(OwnList((outs, capacity) => NativeMethods.Unbind(self, dim, outs, capacity)), "UnbindBackward0", dim, stacked: true);
        }

        /// <summary>A copy with the order of elements reversed along each of <paramref name="dims"/> (torch.flip).</summary>
        public Tensor Flip(params long[] dims)
        {
            ArgumentNullException.ThrowIfNull(dims);
            return Recorder.Record(Own(NativeMethods.Flip(Handle, dims, dims.Length)), "FlipBackward0", [this], null, ctx => [ctx.Grad.Flip(dims)]);
        }

        /// <summary>
        /// A copy with elements shifted circularly by <paramref name="shifts"/> along
        /// <paramref name="dim"/>; without a dim the flattened tensor is rolled (torch.roll).
        /// </summary>
        public Tensor Roll(long shifts, long? dim = null) =>
            dim is long d ? Roll(new[] { shifts }, new[] { d }) : Roll(new[] { shifts }, Array.Empty<long>());

        /// <summary>A copy shifted circularly by shifts[i] along dims[i] (torch.roll).</summary>
        public Tensor Roll(long[] shifts, long[] dims)
        {
            ArgumentNullException.ThrowIfNull(shifts);
            ArgumentNullException.ThrowIfNull(dims);
            Tensor result = Own(NativeMethods.Roll(Handle, shifts, shifts.Length, dims, dims.Length));
            long[] back = Array.ConvertAll(shifts, s => -s);
            return Recorder.Record(result, "RollBackward0", [this], null, ctx => [ctx.Grad.Roll(back, dims)]);
        }

        /// <summary>The tensor repeated repeats[i] times along each dim; new leading dims may be added (Tensor.repeat).</summary>
        public Tensor Repeat(params long[] repeats)
        {
            ArgumentNullException.ThrowIfNull(repeats);
            return Recorder.Record(Own(NativeMethods.Repeat(Handle, repeats, repeats.Length)), "RepeatBackward0", [this], null,
                ctx => [RepeatBackward(ctx.Grad, ctx.InputShape(0), repeats)]);
        }

        /// <summary>Like <see cref="Repeat"/>, but fewer reps than dims repeat the leading dims once (torch.tile).</summary>
        public Tensor Tile(params long[] reps)
        {
            ArgumentNullException.ThrowIfNull(reps);
            long[] repeats = reps.Length >= Dim ? reps : new long[Dim - reps.Length].Select(_ => 1L).Concat(reps).ToArray();
            return Recorder.Record(Own(NativeMethods.Tile(Handle, reps, reps.Length)), "RepeatBackward0", [this], null,
                ctx => [RepeatBackward(ctx.Grad, ctx.InputShape(0), repeats)]);
        }

        /// <summary>A copy keeping the elements on and below the <paramref name="diagonal"/>-th diagonal of the last two dims (torch.tril).</summary>
        public Tensor Tril(long diagonal = 0) =>
            Recorder.Record(Own(NativeMethods.Tril(Handle, diagonal)), "TrilBackward0", [this], null, ctx => [ctx.Grad.Tril(diagonal)]);

        /// <summary>A copy keeping the elements on and above the <paramref name="diagonal"/>-th diagonal of the last two dims (torch.triu).</summary>
        public Tensor Triu(long diagonal = 0) =>
            Recorder.Record(Own(NativeMethods.Triu(Handle, diagonal)), "TriuBackward0", [this], null, ctx => [ctx.Grad.Triu(diagonal)]);

        /// <summary>
        /// A view of the <paramref name="offset"/>-th diagonal of dims <paramref name="dim1"/>
        /// and <paramref name="dim2"/>, appended as the last dim (torch.diagonal).
        /// </summary>
        public Tensor Diagonal(long offset = 0, long dim1 = 0, long dim2 = 1) =>
            ViewResult(Recorder.Record(Own(NativeMethods.Diagonal(Handle, offset, dim1, dim2)), "DiagonalBackward0", [this], null,
                ctx => [ViewBackward(ctx.Grad, ctx.InputShape(0), positions => positions.Diagonal(offset, dim1, dim2))]));

        /// <summary>
        /// torch.diag: a 1-D tensor gives a square matrix with it on the
        /// <paramref name="diagonal"/>-th diagonal; a 2-D tensor gives a copy of that diagonal.
        /// </summary>
        public Tensor Diag(long diagonal = 0) =>
            Recorder.Record(Own(NativeMethods.Diag(Handle, diagonal)), "DiagBackward0", [this], null, ctx => [ctx.InputShape(0).Length == 1
                ? ctx.Grad.Diagonal(diagonal, 0, 1)
                : ViewBackward(ctx.Grad, ctx.InputShape(0), positions => positions.Diagonal(diagonal, 0, 1))]);
    }
}
