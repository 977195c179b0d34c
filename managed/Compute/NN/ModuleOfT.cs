namespace Compute.NN
{
    /// <summary>
    /// A module with one input and one output, like most layers (<c>Module&lt;Tensor, Tensor&gt;</c>).
    /// Call <see cref="Forward"/> (PyTorch's <c>module(x)</c>: it runs the hooks); implement
    /// <see cref="ForwardCore"/> (PyTorch's <c>forward</c>).
    /// </summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TOutput">The output type.</typeparam>
    public abstract class Module<TInput, TOutput> : Module
    {
        /// <summary>Runs the module on <paramref name="input"/>, with its forward pre-hooks and forward hooks.</summary>
        public TOutput Forward(TInput input) =>
            HasForwardHooks ? InvokeForward([input], args => ForwardCore(InputAs<TInput>(args, 0))) : ForwardCore(input);

        /// <summary>The computation of the module (PyTorch's forward); called by <see cref="Forward"/>.</summary>
        protected abstract TOutput ForwardCore(TInput input);
    }

    /// <summary>
    /// A module with two inputs and one output (Bilinear, losses: <c>Forward(input, target)</c>).
    /// Call <see cref="Forward"/>; implement <see cref="ForwardCore"/>.
    /// </summary>
    /// <typeparam name="TInput1">The first input's type.</typeparam>
    /// <typeparam name="TInput2">The second input's type.</typeparam>
    /// <typeparam name="TOutput">The output type.</typeparam>
    public abstract class Module<TInput1, TInput2, TOutput> : Module
    {
        /// <summary>Runs the module on the two inputs, with its forward pre-hooks and forward hooks.</summary>
        public TOutput Forward(TInput1 input1, TInput2 input2) =>
            HasForwardHooks
                ? InvokeForward([input1, input2], args => ForwardCore(InputAs<TInput1>(args, 0), InputAs<TInput2>(args, 1)))
                : ForwardCore(input1, input2);

        /// <summary>The computation of the module (PyTorch's forward); called by <see cref="Forward"/>.</summary>
        protected abstract TOutput ForwardCore(TInput1 input1, TInput2 input2);
    }
}
