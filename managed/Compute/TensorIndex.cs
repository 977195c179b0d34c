using System;

namespace Compute
{
    /// <summary>
    /// One entry of a tensor subscript, as in PyTorch's x[...]: an integer (selects and drops
    /// the dim), a slice (start:end:step), <see cref="Ellipsis"/> (...) or <see cref="NewAxis"/>
    /// (None). C# integers, <see cref="Index"/> (^1) and <see cref="Range"/> (1..3, ..) convert
    /// implicitly: <c>x[.., 1..3]</c>, <c>x[^1]</c>, <c>x[TensorIndex.Ellipsis, 0]</c>.
    /// </summary>
    public readonly struct TensorIndex
    {
        internal enum IndexKind { Single, Slice, Ellipsis, NewAxis, Tensor }

        // Start, end and single indices are stored Python-style: a negative value counts from
        // the end; a null bound of a slice means "from the beginning" / "to the end".
        private TensorIndex(IndexKind kind, long value, long? start, long? end, long step)
        {
            Kind = kind;
            Value = value;
            Start = start;
            End = end;
            Step = step;
        }

        // An int64 index tensor or a bool/uint8 mask (advanced indexing; see Tensor.AdvancedIndexing.cs).
        private TensorIndex(Tensor tensor)
        {
            Kind = IndexKind.Tensor;
            IndexTensor = tensor;
            Step = 1;
        }

        internal IndexKind Kind { get; }

        internal Tensor? IndexTensor { get; }

        /// <summary>The dims an entry consumes: a mask covers as many as it has, anything else one.</summary>
        internal int ConsumedDims => Kind switch
        {
            IndexKind.Tensor when IndexTensor!.DType is DType.Bool or DType.UInt8 => IndexTensor.Dim,
            IndexKind.Single or IndexKind.Slice or IndexKind.Tensor => 1,
            _ => 0,
        };

        internal long Value { get; }

        internal long? Start { get; }

        internal long? End { get; }

        internal long Step { get; }

        /// <summary>Stands for as many full slices as needed to index every dim (PyTorch's ...).</summary>
        public static TensorIndex Ellipsis => new(IndexKind.Ellipsis, 0, null, null, 1);

        /// <summary>Inserts a new dim of size 1 (PyTorch's None / np.newaxis).</summary>
        public static TensorIndex NewAxis => new(IndexKind.NewAxis, 0, null, null, 1);

        /// <summary>Selects one position along a dim and removes the dim; negative counts from the end.</summary>
        public static TensorIndex Single(long index) => new(IndexKind.Single, index, null, null, 1);

        /// <summary>
        /// The slice start:end:step (Python semantics: negative bounds count from the end, null
        /// bounds are open, bounds are clamped); step must be positive, as in PyTorch.
        /// </summary>
        public static TensorIndex Slice(long? start = null, long? end = null, long step = 1)
        {
            if (step <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(step), step, "TensorIndex.Slice: step must be positive (as in PyTorch).");
            }
            return new(IndexKind.Slice, 0, start, end, step);
        }

        /// <summary>
        /// An index tensor (advanced indexing, as x[idx] in PyTorch): int64 values pick positions
        /// (negative count from the end); a bool mask picks where it is true, covering as many dims as it has.
        /// </summary>
        public static implicit operator TensorIndex(Tensor tensor) =>
            new(tensor ?? throw new ArgumentNullException(nameof(tensor), "TensorIndex: the index tensor is null."));

        /// <summary>An integer index.</summary>
        public static implicit operator TensorIndex(long index) => Single(index);

        /// <summary>An integer index.</summary>
        public static implicit operator TensorIndex(int index) => Single(index);

        /// <summary>An index that may count from the end (^1 is the last position).</summary>
        public static implicit operator TensorIndex(Index index) => Single(index.IsFromEnd ? -(long)index.Value : index.Value);

        /// <summary>A range as a slice with step 1 (^0 as an end means "to the end").</summary>
        public static implicit operator TensorIndex(Range range) =>
            Slice(Bound(range.Start, isEnd: false), Bound(range.End, isEnd: true));

        private static long? Bound(Index index, bool isEnd)
        {
            if (index.IsFromEnd)
            {
                // ^0 is the end itself, which Python writes as an omitted bound.
                return index.Value == 0 ? (isEnd ? null : long.MaxValue) : -(long)index.Value;
            }
            return index.Value;
        }

        /// <inheritdoc/>
        public override string ToString() => Kind switch
        {
            IndexKind.Single => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IndexKind.Ellipsis => "...",
            IndexKind.NewAxis => "None",
            IndexKind.Tensor => $"tensor{Tensor.FormatShape(IndexTensor!.Shape)}",
            _ => $"{Start}:{End}" + (Step != 1 ? $":{Step}" : ""),
        };
    }
}
