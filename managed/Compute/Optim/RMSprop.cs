using System.Collections.Generic;
using Compute.Native;
using static Compute.Optim.OptimizerDefaults;

namespace Compute.Optim
{
    /// <summary>
    /// RMSprop (torch.optim.RMSprop): divides the gradient by a running root mean square, optionally
    /// centered (by the running mean of the gradient), with optional momentum and weight decay.
    /// </summary>
    public sealed class RMSprop : Optimizer
    {
        /// <summary>RMSprop over <paramref name="parameters"/> (one group).</summary>
        /// <param name="parameters">The tensors to optimize.</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="alpha">Smoothing constant of the running averages.</param>
        /// <param name="eps">Added to the denominator for numerical stability.</param>
        /// <param name="weightDecay">L2 penalty added to the gradient.</param>
        /// <param name="momentum">Momentum factor.</param>
        /// <param name="centered">Normalize by the estimated variance of the gradient.</param>
        /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
        public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
            double momentum = 0, bool centered = false, bool maximize = false)
            : this(Single(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize)
        {
        }

        /// <summary>RMSprop over parameter groups; the arguments are the defaults for options a group does not set.</summary>
        public RMSprop(IEnumerable<ParamGroup> paramGroups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
            double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
            : base(paramGroups, new Dictionary<string, object>
            {
                ["lr"] = lr, ["alpha"] = alpha, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum"] = momentum,
                ["centered"] = centered, ["maximize"] = maximize,
            })
        {
        }

        /// <inheritdoc/>
        protected override void ValidateGroup(ParamGroup group)
        {
            CheckNonNegative(group, "lr");
            CheckNonNegative(group, "eps");
            CheckNonNegative(group, "momentum");
            CheckNonNegative(group, "weight_decay");
            CheckNonNegative(group, "alpha");
            group.GetBool("centered");
            group.GetBool("maximize");
        }

        /// <inheritdoc/>
        protected override void Update(Tensor param, Tensor grad, ParamState state, ParamGroup group)
        {
            double momentum = group.GetDouble("momentum");
            bool centered = group.GetBool("centered");
            if (!state.Tensors.ContainsKey("square_avg"))
            {
                state.Tensors["square_avg"] = ZerosFor(param);
            }
            // PyTorch creates both buffers on the first step whatever the options; here each is made when an option needs it.
            if (momentum > 0 && !state.Tensors.ContainsKey("momentum_buffer"))
            {
                state.Tensors["momentum_buffer"] = ZerosFor(param);
            }
            if (centered && !state.Tensors.ContainsKey("grad_avg"))
            {
                state.Tensors["grad_avg"] = ZerosFor(param);
            }
            NextStep(state);
            NativeMethods.RmspropStep(param.Handle, grad.Handle, state.Tensors["square_avg"].Handle,
                centered ? state.Tensors["grad_avg"].Handle : NoTensor, momentum > 0 ? state.Tensors["momentum_buffer"].Handle : NoTensor,
                group.LearningRate, group.GetDouble("alpha"), group.GetDouble("eps"), group.GetDouble("weight_decay"), momentum,
                Flag(group.GetBool("maximize")));
        }
    }
}
