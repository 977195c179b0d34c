using System;
using System.Collections.Generic;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        // Calls the library with raw handles of optional tensors (null = a whole dim). Each
        // handle is AddRef'd for the call, so a concurrent Dispose cannot free it meanwhile.
        private static TResult WithOptionalHandles<TResult>(IReadOnlyList<Tensor?> tensors, Func<nint[], TResult> call)
        {
            int n = tensors.Count;
            var handles = new TensorHandle?[n];
            var added = new bool[n];
            var raw = new nint[n];
            try
            {
                for (int i = 0; i < n; i++)
                {
                    if (tensors[i] is Tensor t)
                    {
                        handles[i] = t.Handle;
                        handles[i]!.DangerousAddRef(ref added[i]);
                        raw[i] = handles[i]!.DangerousGetHandle();
                    }
                }
                return call(raw);
            }
            finally
            {
                for (int i = 0; i < n; i++)
                {
                    if (added[i])
                    {
                        handles[i]!.DangerousRelease();
                    }
                }
            }
        }

        private static bool HasIndexTensor(TensorIndex[] indices) =>
            indices is not null && Array.Exists(indices, i => i.Kind == TensorIndex.IndexKind.Tensor);

        // The native argument list: one entry per dim from 0, null where no tensor indexes it.
        private static Tensor?[] IndexList(List<(int Dim, Tensor Index)> entries)
        {
            var list = new List<Tensor?>();
            int dim = 0;
            foreach ((int at, Tensor index) in entries)
            {
                for (; dim < at; dim++)
                {
                    list.Add(null);
                }
                list.Add(index);
                dim += ((TensorIndex)index).ConsumedDims;
            }
            return list.ToArray();
        }

        private static Tensor ApplyAdvanced(Tensor view, List<(int Dim, Tensor Index)> entries, bool dispose)
        {
            try
            {
                return view.IndexWith(IndexList(entries));
            }
            finally
            {
                if (dispose)
                {
                    view.Dispose();
                }
            }
        }

        // x[indices] = value with index tensors among the indices: the basic entries make a
        // view, then index_put_ writes value (converted to this dtype, as PyTorch's setitem) into it.
        private void PutAdvanced(TensorIndex[] indices, Tensor value)
        {
            var basic = new List<TensorIndex>();
            var entries = new List<(int Dim, Tensor Index)>();
            int consumed = 0;
            foreach (TensorIndex index in indices)
            {
                consumed += index.ConsumedDims;
            }
            int dim = 0;
            foreach (TensorIndex index in indices)
            {
                switch (index.Kind)
                {
                    case TensorIndex.IndexKind.Tensor:
                        entries.Add((dim, index.IndexTensor!));
                        for (int k = 0; k < index.ConsumedDims; k++)
                        {
                            basic.Add(TensorIndex.Slice());
                        }
                        dim += index.ConsumedDims;
                        break;
                    case TensorIndex.IndexKind.Single:
                        basic.Add(index);
                        break;
                    case TensorIndex.IndexKind.Ellipsis:
                        basic.Add(index);
                        dim += Dim - consumed;
                        break;
                    default:
                        basic.Add(index);
                        dim++;
                        break;
                }
            }
            using Tensor view = Index(basic.ToArray());
            using Tensor converted = value.To(view.DType);
            view.IndexPutInPlace(IndexList(entries), converted);
        }

        /// <summary>
        /// A copy with <paramref name="values"/> (broadcast; same dtype) put at this[indices], or
        /// added there when <paramref name="accumulate"/> (torch.index_put). indices holds one
        /// entry per dim from dim 0: null takes the dim whole, an int64 tensor picks positions,
        /// a bool mask covers as many dims as it has.
        /// </summary>
        public Tensor IndexPut(Tensor?[] indices, Tensor values, bool accumulate = false)
        {
            ArgumentNullException.ThrowIfNull(indices);
            ArgumentNullException.ThrowIfNull(values);
            if (AutocastRegion.Recast(AutocastOps.IndexPut, this, values) is { } cast)
            {
                return cast.A.IndexPut(indices, cast.B, accumulate);
            }
            Tensor result = WithOptionalHandles(indices, h =>
                Own(NativeMethods.IndexPut(Handle, h, h.Length, values.Handle, accumulate ? 1 : 0)));
            if (!Recorder.Wanted(this, values))
            {
                return result;
            }
            var (saved, rebuild) = SaveIndices(indices);
            return Recorder.Record(result, "IndexPutBackward0", [this, values], saved, ctx =>
            {
                Tensor?[] list = rebuild(ctx);
                Tensor? self = !ctx.Needs(0) ? null
                    : accumulate ? ctx.Grad : ctx.Grad.IndexPut(list, Zeros(Array.Empty<long>(), ctx.Grad.DType));
                return [self, ctx.Needs(1) ? ctx.Grad.IndexWith(list) : null];
            });
        }

        /// <summary>In-place <see cref="IndexPut"/> (index_put_); repeated indices accumulate when <paramref name="accumulate"/>. Returns this tensor.</summary>
        public Tensor IndexPutInPlace(Tensor?[] indices, Tensor values, bool accumulate = false)
        {
            ArgumentNullException.ThrowIfNull(indices);
            ArgumentNullException.ThrowIfNull(values);
            return RecordInPlace(nameof(IndexPutInPlace), self => WithOptionalHandles(indices, h =>
            {
                NativeMethods.IndexPutInPlace(self, h, h.Length, values.Handle, accumulate ? 1 : 0);
                return 0;
            }), () => IndexPut(indices, values, accumulate), values);
        }
    }
}
