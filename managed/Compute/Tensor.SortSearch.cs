using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        // Sorting, searching, unique and repeat_interleave (torch.sort, torch.topk,
        // torch.searchsorted, torch.unique, ...). Sorts are always stable; NaN sorts as the
        // largest value, as in PyTorch.

        /// <summary>Sorts along <paramref name="dim"/> (torch.sort): the values and their int64 indices into this tensor. NaN sorts last (first when descending); equal elements keep their order whatever <paramref name="stable"/> says (the sort is always stable).</summary>
        public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false, bool stable = false)
        {
            NativeMethods.Sort(Handle, dim, Flag(descending), Flag(stable), out TensorHandle values, out TensorHandle indices);
            return NN.NNFormulas.Picked(OwnPair(values, indices), "SortBackward0", this, dim);
        }

        /// <summary>The int64 indices that sort this tensor along <paramref name="dim"/> (torch.argsort), in the order <see cref="Sort"/> gives.</summary>
        public Tensor Argsort(long dim = -1, bool descending = false, bool stable = false) =>
            Own(NativeMethods.Argsort(Handle, dim, Flag(descending), Flag(stable)));

        /// <summary>Sorts along dim 0 (torch.msort).</summary>
        public Tensor Msort() => NN.NNFormulas.Msort(Own(NativeMethods.Msort(Handle)), this);

        /// <summary>The <paramref name="k"/> largest (or smallest) elements along <paramref name="dim"/> and their int64 indices (torch.topk); NaN counts as the largest. Results come out sorted even with <paramref name="sorted"/> false (PyTorch leaves that order unspecified).</summary>
        public (Tensor Values, Tensor Indices) Topk(long k, long dim = -1, bool largest = true, bool sorted = true)
        {
            NativeMethods.Topk(Handle, k, dim, Flag(largest), Flag(sorted), out TensorHandle values, out TensorHandle indices);
            return NN.NNFormulas.Picked(OwnPair(values, indices), "TopkBackward0", this, dim);
        }

        /// <summary>Repeats each element <paramref name="repeats"/> times along <paramref name="dim"/>, or along the flattened tensor when it is null (torch.repeat_interleave). <paramref name="outputSize"/>, when given, must equal the result's size along that dim.</summary>
        public Tensor RepeatInterleave(long repeats, long? dim = null, long? outputSize = null) =>
            NN.NNFormulas.RepeatInterleave(Own(NativeMethods.RepeatInterleave(Handle, repeats, Flag(dim.HasValue), dim ?? 0, outputSize ?? -1)),
                this, dim, i => i.RepeatInterleave(repeats, 0));

        /// <summary>Repeats element i along <paramref name="dim"/> repeats[i] times (torch.repeat_interleave with a tensor of repeats: 0-dim or 1-D integers, one per element along dim or one for all); flattened when <paramref name="dim"/> is null.</summary>
        public Tensor RepeatInterleave(Tensor repeats, long? dim = null, long? outputSize = null)
        {
            ArgumentNullException.ThrowIfNull(repeats);
            return NN.NNFormulas.RepeatInterleave(Own(NativeMethods.RepeatInterleaveTensor(Handle, repeats.Handle, Flag(dim.HasValue), dim ?? 0,
                outputSize ?? -1)), this, dim, i => i.RepeatInterleave(repeats, 0));
        }

        /// <summary>torch.repeat_interleave(repeats): each index i of the 1-D integer <paramref name="repeats"/> repeated repeats[i] times, as int64.</summary>
        public static Tensor RepeatInterleaveIndices(Tensor repeats, long? outputSize = null)
        {
            ArgumentNullException.ThrowIfNull(repeats);
            return Own(NativeMethods.RepeatInterleaveIndices(repeats.Handle, outputSize ?? -1));
        }

        // PyTorch's side ("left"/"right") and right flags must agree.
        private static bool SearchRight(bool right, string? side)
        {
            if (side is null) return right;
            if (side != "left" && side != "right")
                throw new ArgumentException($"searchsorted: side can only be 'left' or 'right' but got '{side}'", nameof(side));
            if (right && side == "left")
                throw new ArgumentException("searchsorted: side and right can't be set to opposites, got side of left while right was True", nameof(side));
            return side == "right";
        }

        /// <summary>For each value, the index where it would go into the innermost dim of <paramref name="sortedSequence"/> to keep it sorted (torch.searchsorted): the first such index, or the last with <paramref name="right"/> (or <paramref name="side"/> "right"). The sequence is 1-D or has the values' leading dims; <paramref name="sorter"/> holds int64 indices that sort an unsorted sequence. int64 results, int32 with <paramref name="outInt32"/>.</summary>
        public static Tensor Searchsorted(Tensor sortedSequence, Tensor values, bool outInt32 = false, bool right = false, string? side = null, Tensor? sorter = null)
        {
            ArgumentNullException.ThrowIfNull(sortedSequence);
            ArgumentNullException.ThrowIfNull(values);
            int r = Flag(SearchRight(right, side));
            return Own(sorter is null
                ? NativeMethods.Searchsorted(sortedSequence.Handle, values.Handle, Flag(outInt32), r)
                : NativeMethods.SearchsortedSorter(sortedSequence.Handle, values.Handle, Flag(outInt32), r, sorter.Handle));
        }

        /// <summary>torch.searchsorted with one number: a 0-dim result; <paramref name="sortedSequence"/> must be 1-D.</summary>
        public static Tensor Searchsorted(Tensor sortedSequence, Scalar value, bool outInt32 = false, bool right = false, string? side = null)
        {
            ArgumentNullException.ThrowIfNull(sortedSequence);
            return Own(NativeMethods.SearchsortedScalar(sortedSequence.Handle, value.Native, Flag(outInt32), Flag(SearchRight(right, side))));
        }

        /// <summary>The bucket index of each element of <paramref name="input"/> among the 1-D sorted <paramref name="boundaries"/> (torch.bucketize): boundaries[i-1] &lt; x &lt;= boundaries[i], or boundaries[i-1] &lt;= x &lt; boundaries[i] with <paramref name="right"/>.</summary>
        public static Tensor Bucketize(Tensor input, Tensor boundaries, bool outInt32 = false, bool right = false)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(boundaries);
            return Own(NativeMethods.Bucketize(input.Handle, boundaries.Handle, Flag(outInt32), Flag(right)));
        }

        // The three results of unique/unique_consecutive: the ones not asked for are disposed.
        private static (Tensor Values, Tensor? Inverse, Tensor? Counts) UniqueResults(TensorHandle v, TensorHandle i, TensorHandle c, bool returnInverse, bool returnCounts)
        {
            Tensor values = Own(v), inverse = Own(i), counts = Own(c);
            if (!returnInverse) inverse.Dispose();
            if (!returnCounts) counts.Dispose();
            return (values, returnInverse ? inverse : null, returnCounts ? counts : null);
        }

        /// <summary>The distinct elements (torch.unique), or the distinct slices along <paramref name="dim"/>, sorted (also with <paramref name="sorted"/> false). Inverse (int64: each element's or slice's position in Values) and Counts are null unless asked for. NaNs are all distinct.</summary>
        public (Tensor Values, Tensor? Inverse, Tensor? Counts) Unique(bool sorted = true, bool returnInverse = false, bool returnCounts = false, long? dim = null)
        {
            NativeMethods.Unique(Handle, Flag(sorted), Flag(returnInverse), Flag(returnCounts), Flag(dim.HasValue), dim ?? 0,
                out TensorHandle v, out TensorHandle i, out TensorHandle c);
            return NN.NNFormulas.NoDerivative(UniqueResults(v, i, c, returnInverse, returnCounts), "unique", this);
        }

        /// <summary>Collapses runs of equal consecutive elements (or slices along <paramref name="dim"/>) into one (torch.unique_consecutive); Inverse and Counts as in <see cref="Unique"/>.</summary>
        public (Tensor Values, Tensor? Inverse, Tensor? Counts) UniqueConsecutive(bool returnInverse = false, bool returnCounts = false, long? dim = null)
        {
            NativeMethods.UniqueConsecutive(Handle, Flag(returnInverse), Flag(returnCounts), Flag(dim.HasValue), dim ?? 0,
                out TensorHandle v, out TensorHandle i, out TensorHandle c);
            return NN.NNFormulas.NoDerivative(UniqueResults(v, i, c, returnInverse, returnCounts), "unique_consecutive", this);
        }
    }
}
