using System.Collections.Generic;
using Compute.Native;
using static Compute.Optim.OptimizerDefaults;

namespace Compute.Optim
{
    /// <summary>
    /// Adagrad (torch.optim.Adagrad): divides the gradient by the root of the sum of its squares,
    /// with learning-rate decay, an initial accumulator value and optional weight decay. As in
    /// PyTorch the accumulator is created when the parameters are added, not at the first step.
    /// </summary>
    public sealed class Adagrad : Optimizer
    {
        /// <summary>Adagrad over <paramref name="parameters"/> (one group).</summary>
        /// <param name="parameters">The tensors to optimize.</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="lrDecay">Learning rate decay: step t uses lr / (1 + (t - 1) * lrDecay).</param>
        /// <param name="weightDecay">L2 penalty added to the gradient.</param>
        /// <param name="initialAccumulatorValue">Starting value of the sum of squares.</param>
        /// <param name="eps">Added to the denominator for numerical stability.</param>
        /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
        public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
            double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
            : this(Single(parameters), lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)
        {
        }

        /// <summary>Adagrad over parameter groups; the arguments are the defaults for options a group does not set.</summary>
        public Adagrad(IEnumerable<ParamGroup> paramGroups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
            double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
            : base(paramGroups, new Dictionary<string, object>
            {
                ["lr"] = lr, ["lr_decay"] = lrDecay, ["eps"] = eps, ["weight_decay"] = weightDecay,
                ["initial_accumulator_value"] = initialAccumulatorValue, ["maximize"] = maximize,
            })
        {
        }

        /// <inheritdoc/>
        protected override void ValidateGroup(ParamGroup group)
        {
            CheckNonNegative(group, "lr");
            CheckNonNegative(group, "lr_decay");
            CheckNonNegative(group, "weight_decay");
            CheckNonNegative(group, "initial_accumulator_value");
            CheckNonNegative(group, "eps");
            group.GetBool("maximize");
        }

        /// <inheritdoc/>
        protected override void OnParamGroupAdded(ParamGroup group)
        {
            double init = group.GetDouble("initial_accumulator_value");
            foreach (Tensor p in group.Params)
            {
                ParamState state = StateOf(p);
                state.Scalars["step"] = 0;
                Tensor sum = ZerosFor(p);
                if (init != 0)
                {
                    sum.Fill(init);
                }
                state.Tensors["sum"] = sum;
            }
        }

        /// <inheritdoc/>
        protected override void Update(Tensor param, Tensor grad, ParamState state, ParamGroup group)
        {
            if (!state.Tensors.ContainsKey("sum"))
            {
                OnParamGroupAdded(new ParamGroup([param], new Dictionary<string, object>
                    { ["initial_accumulator_value"] = group.GetDouble("initial_accumulator_value") }));
            }
            long step = NextStep(state);
            NativeMethods.AdagradStep(param.Handle, grad.Handle, state.Tensors["sum"].Handle, step, group.LearningRate,
                group.GetDouble("lr_decay"), group.GetDouble("weight_decay"), group.GetDouble("eps"), Flag(group.GetBool("maximize")));
        }
    }
}
