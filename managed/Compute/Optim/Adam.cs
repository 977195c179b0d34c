using System;
using System.Collections.Generic;
using Compute.Native;
using static Compute.Optim.OptimizerDefaults;

namespace Compute.Optim
{
    /// <summary>
    /// Adam (torch.optim.Adam): moment estimates with bias correction, optional AMSGrad, L2
    /// weight decay added to the gradient, and maximize. <see cref="AdamW"/> decouples the decay.
    /// </summary>
    public class Adam : Optimizer
    {
        private readonly bool _decoupled;

        /// <summary>Adam over <paramref name="parameters"/> (one group).</summary>
        /// <param name="parameters">The tensors to optimize.</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="betas">Decay rates of the first and second moment estimates.</param>
        /// <param name="eps">Added to the denominator for numerical stability.</param>
        /// <param name="weightDecay">L2 penalty added to the gradient.</param>
        /// <param name="amsgrad">Use the maximum of the second moment estimates (AMSGrad).</param>
        /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
        public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
            double weightDecay = 0, bool amsgrad = false, bool maximize = false)
            : this(Single(parameters), lr, betas, eps, weightDecay, amsgrad, maximize)
        {
        }

        /// <summary>Adam over parameter groups; the arguments are the defaults for options a group does not set.</summary>
        public Adam(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
            double weightDecay = 0, bool amsgrad = false, bool maximize = false)
            : this(paramGroups, lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize, decoupled: false)
        {
        }

        private protected Adam(IEnumerable<ParamGroup> paramGroups, double lr, (double, double) betas, double eps, double weightDecay,
            bool amsgrad, bool maximize, bool decoupled)
            : base(paramGroups, new Dictionary<string, object>
            {
                ["lr"] = lr, ["betas"] = new[] { betas.Item1, betas.Item2 }, ["eps"] = eps, ["weight_decay"] = weightDecay,
                ["amsgrad"] = amsgrad, ["maximize"] = maximize,
            })
        {
            _decoupled = decoupled;
        }

        /// <inheritdoc/>
        protected override void ValidateGroup(ParamGroup group)
        {
            CheckNonNegative(group, "lr");
            CheckNonNegative(group, "eps");
            CheckNonNegative(group, "weight_decay");
            var (beta1, beta2) = group.GetPair("betas");
            if (!(beta1 >= 0 && beta1 < 1))
            {
                throw new ArgumentOutOfRangeException("betas", beta1, $"{GetType().Name}: invalid beta parameter at index 0: {beta1}");
            }
            if (!(beta2 >= 0 && beta2 < 1))
            {
                throw new ArgumentOutOfRangeException("betas", beta2, $"{GetType().Name}: invalid beta parameter at index 1: {beta2}");
            }
            group.GetBool("amsgrad");
            group.GetBool("maximize");
        }

        /// <inheritdoc/>
        protected override void Update(Tensor param, Tensor grad, ParamState state, ParamGroup group)
        {
            bool amsgrad = group.GetBool("amsgrad");
            if (!state.Tensors.ContainsKey("exp_avg"))
            {
                state.Tensors["exp_avg"] = ZerosFor(param);
                state.Tensors["exp_avg_sq"] = ZerosFor(param);
            }
            if (amsgrad && !state.Tensors.ContainsKey("max_exp_avg_sq"))
            {
                state.Tensors["max_exp_avg_sq"] = ZerosFor(param);
            }
            var (beta1, beta2) = group.GetPair("betas");
            long step = NextStep(state);
            NativeMethods.AdamStep(param.Handle, grad.Handle, state.Tensors["exp_avg"].Handle, state.Tensors["exp_avg_sq"].Handle,
                amsgrad ? state.Tensors["max_exp_avg_sq"].Handle : NoTensor, step, group.LearningRate, beta1, beta2,
                group.GetDouble("eps"), group.GetDouble("weight_decay"), Flag(_decoupled), Flag(group.GetBool("maximize")));
        }
    }

    /// <summary>
    /// AdamW (torch.optim.AdamW): Adam with decoupled weight decay (the parameter is scaled by
    /// 1 - lr * weight_decay before the update); weight decay defaults to 0.01.
    /// </summary>
    public sealed class AdamW : Adam
    {
        /// <summary>AdamW over <paramref name="parameters"/> (one group).</summary>
        /// <param name="parameters">The tensors to optimize.</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="betas">Decay rates of the first and second moment estimates.</param>
        /// <param name="eps">Added to the denominator for numerical stability.</param>
        /// <param name="weightDecay">Decoupled weight decay coefficient.</param>
        /// <param name="amsgrad">Use the maximum of the second moment estimates (AMSGrad).</param>
        /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
        public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
            double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
            : this(Single(parameters), lr, betas, eps, weightDecay, amsgrad, maximize)
        {
        }

        /// <summary>AdamW over parameter groups; the arguments are the defaults for options a group does not set.</summary>
        public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
            double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
            : base(paramGroups, lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize, decoupled: true)
        {
        }
    }
}
