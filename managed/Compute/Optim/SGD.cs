using System;
using System.Collections.Generic;
using Compute.Native;
using static Compute.Optim.OptimizerDefaults;

namespace Compute.Optim
{
    /// <summary>
    /// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight
    /// decay and maximize (torch.optim.SGD). The momentum buffer starts as the first gradient.
    /// </summary>
    public sealed class SGD : Optimizer
    {
        /// <summary>SGD over <paramref name="parameters"/> (one group).</summary>
        /// <param name="parameters">The tensors to optimize.</param>
        /// <param name="lr">Learning rate (required, as in PyTorch).</param>
        /// <param name="momentum">Momentum factor.</param>
        /// <param name="dampening">Dampening for momentum.</param>
        /// <param name="weightDecay">L2 penalty added to the gradient.</param>
        /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and zero dampening).</param>
        /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
        public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0,
            bool nesterov = false, bool maximize = false)
            : this(Single(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize)
        {
        }

        /// <summary>SGD over parameter groups; the arguments are the defaults for options a group does not set.</summary>
        public SGD(IEnumerable<ParamGroup> paramGroups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0,
            bool nesterov = false, bool maximize = false)
            : base(paramGroups, new Dictionary<string, object>
            {
                ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weightDecay,
                ["nesterov"] = nesterov, ["maximize"] = maximize,
            })
        {
        }

        /// <inheritdoc/>
        protected override void ValidateGroup(ParamGroup group)
        {
            CheckNonNegative(group, "lr");
            CheckNonNegative(group, "momentum");
            CheckNonNegative(group, "weight_decay");
            group.GetDouble("dampening");
            group.GetBool("maximize");
            if (group.GetBool("nesterov") && (group.GetDouble("momentum") <= 0 || group.GetDouble("dampening") != 0))
            {
                throw new ArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening.");
            }
        }

        /// <inheritdoc/>
        protected override void Update(Tensor param, Tensor grad, ParamState state, ParamGroup group)
        {
            double momentum = group.GetDouble("momentum");
            Tensor? buffer = null;
            bool init = false;
            if (momentum != 0 && !state.Tensors.TryGetValue("momentum_buffer", out buffer))
            {
                buffer = ZerosFor(param);
                init = true;
            }
            NativeMethods.SgdStep(param.Handle, grad.Handle, Optional(buffer), group.LearningRate, momentum, group.GetDouble("dampening"),
                group.GetDouble("weight_decay"), Flag(group.GetBool("nesterov")), Flag(group.GetBool("maximize")), Flag(init));
            if (init)
            {
                state.Tensors["momentum_buffer"] = buffer!;
            }
        }
    }
}
