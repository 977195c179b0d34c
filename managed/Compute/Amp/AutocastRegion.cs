using System;
using System.Collections.Generic;

namespace Compute
{
    /// <summary>
    /// Where ops meet autocast. A listed op either calls <see cref="Recast(AutocastOp, Tensor)"/>
    /// (an op that is one native call: when autocast changes an input, the op calls itself again
    /// on the cast inputs, where autocast then changes nothing) or opens a region with
    /// <c>Enter</c> (an op made of other ops: its inputs are cast, and the ops it calls are not
    /// autocast again until the region is disposed, as PyTorch excludes the autocast dispatch
    /// key inside its wrappers, so a promoted bilinear does not run its inner products in
    /// float16). With autocast off, each check is one thread-static read and no allocation.
    /// </summary>
    internal readonly struct AutocastRegion : IDisposable
    {
        private readonly AutocastContext? _suspended;

        private AutocastRegion(AutocastContext suspended)
        {
            _suspended = suspended;
            suspended.Suspended++;
        }

        public void Dispose()
        {
            if (_suspended is not null)
            {
                _suspended.Suspended--;
            }
        }

        /// <summary>Autocasting off for a block (backward passes, in-place ops).</summary>
        internal static AutocastRegion Suspend() =>
            AutocastContext.Current is { } context ? new AutocastRegion(context) : default;

        // ---- ops made of other ops: cast, then suspend -------------------------------------------

        /// <summary>Casts the inputs of an op of up to three tensors (null: an absent optional input).</summary>
        internal static AutocastRegion Enter(AutocastOp op, ref Tensor a, ref Tensor? b, ref Tensor? c)
        {
            Tensor? d = null;
            return Enter(op, ref a, ref b, ref c, ref d);
        }

        /// <summary>Casts the inputs of an op of up to four tensors (null: an absent optional input).</summary>
        internal static AutocastRegion Enter(AutocastOp op, ref Tensor a, ref Tensor? b, ref Tensor? c, ref Tensor? d)
        {
            if (!IsActive)
            {
                return default;
            }
            Tensor?[] args = [a, b, c, d];
            AutocastContext? context = Apply(op, args);
            (a, b, c, d) = (args[0]!, args[1], args[2], args[3]);
            return context is null ? default : new AutocastRegion(context);
        }

        /// <summary>Casts a list of inputs (cat, stack, einsum); <typeparamref name="TList"/> is Tensor[] or IReadOnlyList.</summary>
        internal static AutocastRegion Enter<TList>(AutocastOp op, ref TList inputs) where TList : IReadOnlyList<Tensor>
        {
            if (!IsActive || inputs.Count == 0)
            {
                return default;
            }
            var args = new Tensor?[inputs.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = inputs[i];
            }
            AutocastContext? context = Apply(op, args);
            if (context is null)
            {
                return default;
            }
            inputs = (TList)(IReadOnlyList<Tensor>)args!;
            return new AutocastRegion(context);
        }

        // ---- ops that are one native call: cast, then call again -------------------------------

        /// <summary>The input cast by the op's policy, or null when autocast leaves it as it is.</summary>
        internal static Tensor? Recast(AutocastOp op, Tensor a)
        {
            if (!IsActive)
            {
                return null;
            }
            Tensor?[] args = [a];
            return Apply(op, args) is not null && Changed(args, a) ? args[0] : null;
        }

        /// <summary>The two-input form of <see cref="Recast(AutocastOp, Tensor)"/>.</summary>
        internal static (Tensor A, Tensor B)? Recast(AutocastOp op, Tensor a, Tensor b)
        {
            if (!IsActive)
            {
                return null;
            }
            Tensor?[] args = [a, b];
            return Apply(op, args) is not null && Changed(args, a, b) ? (args[0]!, args[1]!) : null;
        }

        /// <summary>The form of <see cref="Recast(AutocastOp, Tensor)"/> for up to four inputs (null: absent).</summary>
        internal static (Tensor A, Tensor? B, Tensor? C, Tensor? D)? Recast(AutocastOp op, Tensor a, Tensor? b, Tensor? c, Tensor? d = null)
        {
            if (!IsActive)
            {
                return null;
            }
            Tensor?[] args = [a, b, c, d];
            return Apply(op, args) is not null && Changed(args, a, b, c, d) ? (args[0]!, args[1], args[2], args[3]) : null;
        }

        // ---- the policies ----------------------------------------------------------------------

        private static bool IsActive => AutocastContext.Current is { Active: true };

        private static bool Changed(Tensor?[] args, params Tensor?[] before)
        {
            for (int i = 0; i < before.Length; i++)
            {
                if (!ReferenceEquals(args[i], before[i]))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Casts <paramref name="args"/> in place by the op's policy for the device type of the
        /// first one; returns the thread's context, or null when the op is not autocast there.
        /// </summary>
        private static AutocastContext? Apply(AutocastOp op, Tensor?[] args)
        {
            if (AutocastContext.Current is not { Active: true } context || args[0] is not Tensor first)
            {
                return null;
            }
            DeviceType device = first.Device.Type;
            AutocastPolicy policy = op.For(device);
            if (context.DTypeFor(device) is not DType lower || policy == AutocastPolicy.None)
            {
                return null;
            }
            DType target;
            switch (policy)
            {
                case AutocastPolicy.LowerPrecision:
                    target = lower;
                    break;
                case AutocastPolicy.Float32:
                    target = DType.Float32;
                    break;
                case AutocastPolicy.Promote:
                    DType? widest = null;
                    foreach (Tensor? t in args)
                    {
                        widest = Widest(widest, t, device);
                    }
                    if (widest is not DType w)
                    {
                        return context;
                    }
                    target = w;
                    break;
                default:
                    throw new InvalidOperationException(
                        $"{op.Name} is unsafe to autocast on {device}: a sigmoid followed by binary cross entropy loses " +
                        "accuracy in 16 bits. Use Functional.BinaryCrossEntropyWithLogits (BCEWithLogitsLoss) on the logits, " +
                        "which is safe to autocast, or compute this loss outside the Autocast scope.");
            }
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] is Tensor t && Eligible(t, device) && t.DType != target)
                {
                    args[i] = policy == AutocastPolicy.LowerPrecision ? context.CastCached(t, target) : t.To(target);
                }
            }
            return context;
        }

        // PyTorch's is_eligible: a 16- or 32-bit floating tensor on the autocast device type;
        // float64, integer and bool tensors are never cast.
        private static bool Eligible(Tensor? t, DeviceType device) =>
            t is not null && t.DType is DType.Float32 or DType.Float16 or DType.BFloat16 && t.Device.Type == device;

        // The wider of the dtypes so far and t's (t ignored unless eligible); float16 and
        // bfloat16 meet in float32, as in PyTorch's type promotion.
        private static DType? Widest(DType? sofar, Tensor? t, DeviceType device)
        {
            if (!Eligible(t, device))
            {
                return sofar;
            }
            DType d = t!.DType;
            return sofar is null || sofar == d ? d : DType.Float32;
        }
    }
}
