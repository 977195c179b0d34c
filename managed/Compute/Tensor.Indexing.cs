using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>
        /// A view of part of the tensor, as PyTorch's x[...]: <c>x[1]</c>, <c>x[^1]</c>,
        /// <c>x[.., 1..3]</c>, <c>x[1, ..]</c>, <c>x[TensorIndex.Ellipsis, TensorIndex.NewAxis]</c>,
        /// <c>x[TensorIndex.Slice(0, null, 2)]</c>. Setting copies a tensor into that part
        /// (broadcasting and converting). The indexer is named "Subscript" so that
        /// <see cref="Item{T}()"/> keeps PyTorch's name.
        /// </summary>
        [IndexerName("Subscript")]
        public Tensor this[params TensorIndex[] indices]
        {
            get => Index(indices);
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                if (HasIndexTensor(indices))
                {
                    PutAdvanced(indices, value);
                    return;
                }
                using Tensor target = Index(indices);
                target.CopyFrom(value);
            }
        }

        /// <summary>The view selected by <paramref name="indices"/> (see the indexer).</summary>
        public Tensor Index(params TensorIndex[] indices)
        {
            ArgumentNullException.ThrowIfNull(indices);
            long[] shape = ShapeCached;
            int consumed = 0;
            int ellipses = 0;
            foreach (TensorIndex index in indices)
            {
                if (index.Kind is TensorIndex.IndexKind.Single or TensorIndex.IndexKind.Slice or TensorIndex.IndexKind.Tensor)
                {
                    consumed += index.ConsumedDims;
                }
                else if (index.Kind == TensorIndex.IndexKind.Ellipsis)
                {
                    ellipses++;
                }
            }
            if (ellipses > 1)
            {
                throw new ArgumentException("Index: an index can only have a single ellipsis ('...').", nameof(indices));
            }
            if (consumed > shape.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"Index: too many indices for a tensor of shape {FormatShape(shape)}: {shape.Length} dims but {consumed} were indexed.");
            }

            // Each step makes a view of the previous one; intermediate views are released as
            // we go (the final view keeps the storage alive).
            Tensor current = this;
            int dim = 0;
            // Index tensors are applied after the basic entries, at the dims they name then.
            List<(int Dim, Tensor Index)>? advanced = null;
            foreach (TensorIndex index in indices)
            {
                Tensor next;
                switch (index.Kind)
                {
                    case TensorIndex.IndexKind.Tensor:
                        (advanced ??= new()).Add((dim, index.IndexTensor!));
                        dim += index.ConsumedDims;
                        continue;
                    case TensorIndex.IndexKind.Single:
                        {
                            long size = current.ShapeCached[dim];
                            long i = index.Value < 0 && index.Value >= -size ? index.Value + size : index.Value;
                            next = current.Select(dim, i);
                            break;
                        }
                    case TensorIndex.IndexKind.Slice:
                        {
                            long size = current.ShapeCached[dim];
                            next = current.Slice(dim, ResolveBound(index.Start, size, 0),
                                                 ResolveBound(index.End, size, size), index.Step);
                            dim++;
                            break;
                        }
                    case TensorIndex.IndexKind.NewAxis:
                        next = current.Unsqueeze(dim);
                        dim++;
                        break;
                    default: // Ellipsis: skip the dims no index names.
                        dim += shape.Length - consumed;
                        continue;
                }
                if (!ReferenceEquals(current, this))
                {
                    current.Dispose();
                }
                current = next;
            }
            if (advanced is not null)
            {
                return ApplyAdvanced(current, advanced, dispose: !ReferenceEquals(current, this));
            }
            // x[...] or x[] is a view of the whole tensor, never the same object.
            return ReferenceEquals(current, this)
                ? ViewResult(Recorder.Record(AsStrided(ShapeCached, Strides, StorageOffset), "AliasBackward0", [this], null, static ctx => [ctx.Grad]))
                : current;
        }

        // Python slice bounds: negative counts from the end, then clamped to [0, size].
        private static long ResolveBound(long? bound, long size, long openValue)
        {
            if (bound is not long b)
            {
                return openValue;
            }
            if (b < 0)
            {
                b += size;
            }
            return Math.Clamp(b, 0, size);
        }
    }
}
