using System;
using System.Collections.Generic;

namespace Compute.NN
{
    public abstract partial class Module
    {
        /// <summary>Sets training mode (or evaluation mode when <paramref name="mode"/> is false) on this module and every submodule; returns this module.</summary>
        public Module Train(bool mode = true)
        {
            foreach (Module m in Modules())
            {
                m.Training = mode;
            }
            return this;
        }

        /// <summary>Sets evaluation mode on this module and every submodule (PyTorch's eval(), the same as Train(false)); returns this module.</summary>
        public Module Eval() => Train(false);

        /// <summary>
        /// Clears the gradients of every parameter (PyTorch's zero_grad): with
        /// <paramref name="setToNone"/> (the default) each <see cref="Tensor.Grad"/> becomes null,
        /// otherwise it is detached and filled with zeros in place.
        /// </summary>
        public void ZeroGrad(bool setToNone = true)
        {
            foreach (Parameter p in Parameters())
            {
                if (p.Grad is not Tensor grad)
                {
                    continue;
                }
                if (setToNone)
                {
                    p.Grad = null;
                }
                else
                {
                    grad.DetachInPlace();
                    using (Autograd.NoGrad())
                    {
                        grad.Fill(0);
                    }
                }
            }
        }

        /// <summary>Calls <paramref name="fn"/> on every submodule and then on this module (PyTorch's apply, e.g. for custom init); returns this module.</summary>
        public Module Apply(Action<Module> fn)
        {
            ArgumentNullException.ThrowIfNull(fn);
            foreach (Module child in Children())
            {
                child.Apply(fn);
            }
            fn(this);
            return this;
        }

        /// <summary>
        /// Moves every parameter and buffer to <paramref name="device"/>; returns this module.
        /// The <see cref="Parameter"/> objects stay the same (their data is replaced, with their
        /// gradients), so an optimizer made before the move keeps working.
        /// </summary>
        public Module To(Device device) => ApplyToTensors(t => t.To(device), floatingOnly: false);

        /// <summary>
        /// Casts every floating-point parameter and buffer to <paramref name="dtype"/>, which must
        /// be a floating-point type (integer buffers such as num_batches_tracked keep theirs);
        /// returns this module. The Parameter objects stay the same, as for <see cref="To(Device)"/>.
        /// </summary>
        public Module To(DType dtype)
        {
            if (!dtype.IsFloatingPoint())
            {
                throw new ArgumentException($"Module.To: only floating-point dtypes can be given; got {dtype}.", nameof(dtype));
            }
            return ApplyToTensors(t => t.To(dtype), floatingOnly: true);
        }

        /// <summary>Moves to <paramref name="device"/> and casts floating-point state to <paramref name="dtype"/>; returns this module.</summary>
        public Module To(Device device, DType dtype)
        {
            To(dtype);
            return To(device);
        }

        /// <summary>Casts floating-point state to float32 (PyTorch's float()); returns this module.</summary>
        public Module Float() => To(DType.Float32);

        /// <summary>Casts floating-point state to float64 (PyTorch's double()); returns this module.</summary>
        public Module Double() => To(DType.Float64);

        /// <summary>Casts floating-point state to float16 (PyTorch's half()); returns this module.</summary>
        public Module Half() => To(DType.Float16);

        /// <summary>Casts floating-point state to bfloat16 (PyTorch's bfloat16()); returns this module.</summary>
        public Module BFloat16() => To(DType.BFloat16);

        /// <summary>
        /// Replaces each parameter's data (keeping the object) and each buffer by
        /// <paramref name="fn"/> of it, without recording autograd (PyTorch's _apply).
        /// </summary>
        private Module ApplyToTensors(Func<Tensor, Tensor> fn, bool floatingOnly)
        {
            var done = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            using (Autograd.NoGrad())
            {
                foreach (Module m in Modules())
                {
                    foreach (var (_, p) in m.OwnParameters())
                    {
                        if (!done.Add(p) || (floatingOnly && !p.DType.IsFloatingPoint()))
                        {
                            continue;
                        }
                        Tensor? grad = p.Grad;
                        Tensor? newGrad = grad is null ? null : fn(grad);
                        p.SetData(fn(p));
                        if (newGrad is not null)
                        {
                            TensorScope.Escape(newGrad);
                            p.Grad = newGrad;
                        }
                    }
                    foreach (var (name, b, _) in m.OwnBuffers())
                    {
                        if (floatingOnly && !b.DType.IsFloatingPoint())
                        {
                            continue;
                        }
                        m.ReplaceBuffer(name, fn(b));
                    }
                }
            }
            return this;
        }
    }
}
