using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute
{
    // einsum's gradient is an einsum too: for operand k, contract the output gradient with the
    // other operands onto k's subscripts. Three details make it general: subscripts only k
    // has (summed away in the forward) come back by broadcasting; a subscript k repeats (a
    // diagonal) is written back onto the diagonal; and ellipsis dims that k broadcast are
    // summed back to k's sizes.
    public partial class Tensor
    {
        private static Tensor?[] EinsumBackward(BackwardContext ctx, string equation, int count)
        {
            (string[] terms, string output) = ParseEinsum(equation, count);
            var operands = new Tensor[count];
            for (int i = 0; i < count; i++)
            {
                operands[i] = ctx.Saved(i);
            }
            var grads = new Tensor?[count];
            for (int k = 0; k < count; k++)
            {
                if (ctx.Needs(k))
                {
                    grads[k] = EinsumOperandGrad(ctx.Grad, operands, terms, output, k, ctx.InputShape(k));
                }
            }
            return grads;
        }

        // The explicit form of an equation: one term per operand and the output term, "..." kept.
        private static (string[] Terms, string Output) ParseEinsum(string equation, int count)
        {
            string eq = equation.Replace(" ", "");
            int arrow = eq.IndexOf("->", StringComparison.Ordinal);
            string lhs = arrow < 0 ? eq : eq[..arrow];
            string[] terms = lhs.Split(',');
            if (terms.Length != count)
            {
                throw new ArgumentException($"Einsum: the equation has {terms.Length} terms for {count} operands.");
            }
            if (arrow >= 0)
            {
                return (terms, eq[(arrow + 2)..]);
            }
            // Implicit output: "..." first when any term has it, then the letters seen once, sorted.
            string letters = string.Concat(terms).Replace(".", "");
            var once = letters.Where(c => letters.Count(x => x == c) == 1).OrderBy(c => c);
            return (terms, (terms.Any(t => t.Contains("...")) ? "..." : "") + string.Concat(once));
        }

        private static Tensor EinsumOperandGrad(Tensor g, Tensor[] operands, string[] terms, string output, int k, long[] inputShape)
        {
            string term = terms[k];
            bool hasEllipsis = term.Contains("...");
            string letters = term.Replace("...", "");
            int ellipsisRank = inputShape.Length - letters.Length;
            string unique = new string(letters.Distinct().ToArray());
            var elsewhere = new HashSet<char>(output.Replace(".", ""));
            for (int i = 0; i < terms.Length; i++)
            {
                if (i != k)
                {
                    elsewhere.UnionWith(terms[i].Replace(".", ""));
                }
            }
            string kept = new string(unique.Where(elsewhere.Contains).ToArray());
            var parts = new List<string> { output };
            var tensors = new List<Tensor> { g };
            for (int i = 0; i < terms.Length; i++)
            {
                if (i != k)
                {
                    parts.Add(terms[i]);
                    tensors.Add(operands[i]);
                }
            }
            bool anyEllipsis = output.Contains("...") || terms.Any(t => t.Contains("..."));
            Tensor grad = Einsum(string.Join(",", parts) + "->" + (anyEllipsis ? "..." : "") + kept, tensors.ToArray());

            // grad's dims: the broadcast ellipsis dims, then `kept`. Sum the ellipsis dims k does not
            // have (leading) or had as size 1.
            int gradEllipsis = grad.Dim - kept.Length;
            if (gradEllipsis > ellipsisRank)
            {
                grad = grad.Sum(Enumerable.Range(0, gradEllipsis - ellipsisRank).Select(d => (long)d).ToArray());
            }
            int ellipsisStart = hasEllipsis ? term.IndexOf("...", StringComparison.Ordinal) : 0;
            for (int e = 0; e < ellipsisRank; e++)
            {
                if (inputShape[ellipsisStart + e] == 1 && grad.Size(e) != 1)
                {
                    grad = grad.Sum(e, keepDim: true);
                }
            }

            // Put the dims in k's order (ellipsis where k has it, each subscript once), with
            // subscripts only k had restored by broadcasting.
            var sizes = new Dictionary<char, long>();
            for (int i = 0, dim = 0; i < term.Length; i++)
            {
                if (term[i] == '.')
                {
                    if (term.AsSpan(i).StartsWith("..."))
                    {
                        dim += ellipsisRank;
                        i += 2;
                    }
                    continue;
                }
                sizes[term[i]] = inputShape[dim++];
            }
            string order = hasEllipsis ? term[..ellipsisStart].Replace(".", "") : "";
            string afterEllipsis = hasEllipsis ? term[(ellipsisStart + 3)..] : letters;
            string before = new string(order.Distinct().ToArray());
            string after = new string(afterEllipsis.Where(c => !before.Contains(c)).Distinct().ToArray());
            foreach (char c in before + after)
            {
                if (!kept.Contains(c))
                {
                    grad = grad.Unsqueeze(grad.Dim);
                    kept += c;
                }
            }
            string target = before + after;
            var permutation = new List<long>();
            permutation.AddRange(before.Select(c => (long)(ellipsisRank + kept.IndexOf(c))));
            permutation.AddRange(Enumerable.Range(0, ellipsisRank).Select(e => (long)e));
            permutation.AddRange(after.Select(c => (long)(ellipsisRank + kept.IndexOf(c))));
            grad = grad.Permute(permutation.ToArray());
            long[] dShape = before.Select(c => sizes[c])
                .Concat(Enumerable.Range(0, ellipsisRank).Select(e => inputShape[ellipsisStart + e]))
                .Concat(after.Select(c => sizes[c])).ToArray();
            grad = grad.Expand(dShape);
            if (target.Length == letters.Length)
            {
                return grad;   // no repeated subscript: the dims already match the input's
            }
            return EinsumDiagonalBackward(grad, term, inputShape, ellipsisRank, before, after);
        }

        // A repeated subscript read a diagonal: write the gradient back onto it. The flat
        // position of each element of the diagonal tensor is the sum, over the input's dims, of
        // its subscript's index times the dim's stride; index_add puts the gradient there.
        private static Tensor EinsumDiagonalBackward(Tensor grad, string term, long[] inputShape, int ellipsisRank, string before,
            string after)
        {
            var dimLabels = new List<string>();
            int e = 0;
            for (int i = 0; i < term.Length; i++)
            {
                if (term[i] == '.')
                {
                    if (term.AsSpan(i).StartsWith("..."))
                    {
                        for (int j = 0; j < ellipsisRank; j++)
                        {
                            dimLabels.Add("." + e++);
                        }
                        i += 2;
                    }
                    continue;
                }
                dimLabels.Add(term[i].ToString());
            }
            var strides = new long[inputShape.Length];
            long numel = 1;
            for (int d = inputShape.Length - 1; d >= 0; d--)
            {
                strides[d] = numel;
                numel *= inputShape[d];
            }
            var gradLabels = before.Select(c => c.ToString())
                .Concat(Enumerable.Range(0, ellipsisRank).Select(j => "." + j))
                .Concat(after.Select(c => c.ToString())).ToList();
            Tensor positions;
            using (Autograd.NoGrad())
            {
                positions = Zeros(Array.Empty<long>(), DType.Int64);
                for (int gd = 0; gd < gradLabels.Count; gd++)
                {
                    long stride = 0;
                    for (int d = 0; d < dimLabels.Count; d++)
                    {
                        if (dimLabels[d] == gradLabels[gd])
                        {
                            stride += strides[d];
                        }
                    }
                    long[] shape = Enumerable.Repeat(1L, gradLabels.Count).ToArray();
                    shape[gd] = grad.Size(gd);
                    positions = positions + Arange(grad.Size(gd)).Mul(stride).View(shape);
                }
                positions = positions.Expand(grad.Shape).Reshape(-1);
            }
            return Zeros(new[] { numel }, grad.DType).IndexAdd(0, positions, grad.Reshape(-1)).Reshape(inputShape);
        }
    }
}
