using System;
using System.Collections.Generic;

namespace Compute
{
    /// <summary>
    /// Autograd switches and functions (PyTorch's torch.autograd and grad-mode context
    /// managers). The switches are per thread and restored by disposing the returned scope:
    /// <code>
    /// using (Autograd.NoGrad())
    /// {
    ///     var prediction = model.Forward(x);   // no graph recorded
    /// }
    /// </code>
    /// </summary>
    public static partial class Autograd
    {
        /// <summary>Whether ops on this thread record a graph (PyTorch's is_grad_enabled()).</summary>
        public static bool IsGradEnabled => GradMode.IsEnabled;

        /// <summary>Whether this thread is inside <see cref="InferenceMode"/>.</summary>
        public static bool IsInferenceMode => GradMode.IsInference;

        /// <summary>Whether anomaly detection is on for this thread (see <see cref="DetectAnomaly"/>).</summary>
        public static bool IsAnomalyEnabled => GradMode.IsAnomalyDetection;

        /// <summary>Turns graph recording off until the scope is disposed (torch.no_grad()).</summary>
        public static AutogradModeScope NoGrad() => new(enabled: false);

        /// <summary>Turns graph recording on until the scope is disposed, even inside <see cref="NoGrad"/> (torch.enable_grad()).</summary>
        public static AutogradModeScope EnableGrad() => new(enabled: true);

        /// <summary>Sets graph recording until the scope is disposed (torch.set_grad_enabled(mode)).</summary>
        public static AutogradModeScope SetGradEnabled(bool enabled) => new(enabled: enabled);

        /// <summary>
        /// No graph recording, for pure inference (torch.inference_mode()). In Compute it is
        /// <see cref="NoGrad"/> plus <see cref="IsInferenceMode"/>; tensors made inside may
        /// later be used in graphs.
        /// </summary>
        public static AutogradModeScope InferenceMode(bool enabled = true) =>
            new(enabled: enabled ? false : GradMode.IsEnabled, inference: enabled);

        /// <summary>
        /// Anomaly detection until the scope is disposed (torch.autograd.detect_anomaly()): ops
        /// remember where they were called, and a backward formula that yields NaN or infinity
        /// fails with the op's name and that place. Slow; for debugging.
        /// </summary>
        public static AutogradModeScope DetectAnomaly(bool enabled = true) => new(anomaly: enabled);

        /// <summary>
        /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>
        /// (torch.autograd.grad), returned instead of accumulated into <see cref="Tensor.Grad"/>.
        /// <paramref name="gradOutputs"/> holds one gradient per output (null allowed for an
        /// output with one element). An input the outputs do not depend on is an error unless
        /// <paramref name="allowUnused"/>, which returns null for it. <paramref name="retainGraph"/>
        /// defaults to <paramref name="createGraph"/>.
        /// </summary>
        public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
            IReadOnlyList<Tensor?>? gradOutputs = null, bool? retainGraph = null, bool createGraph = false,
            bool allowUnused = false)
        {
            ArgumentNullException.ThrowIfNull(outputs);
            ArgumentNullException.ThrowIfNull(inputs);
            if (gradOutputs != null && gradOutputs.Count != outputs.Count)
            {
                throw new ArgumentException(
                    $"Autograd.Grad: {gradOutputs.Count} gradOutputs were given for {outputs.Count} outputs.", nameof(gradOutputs));
            }
            Tensor?[] grads = Engine.Run(outputs, gradOutputs ?? Array.Empty<Tensor?>(), retainGraph ?? createGraph,
                createGraph, inputs, "Autograd.Grad")!;
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is null && !allowUnused)
                {
                    throw new InvalidOperationException(
                        $"Autograd.Grad: input {i} was not used to compute the outputs; pass allowUnused: true to get null for it.");
                }
            }
            return grads;
        }

        /// <summary>The gradient of one scalar output with respect to one input (a shorthand of <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool?, bool, bool)"/>).</summary>
        public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false) =>
            Grad(new[] { output }, new[] { input }, new[] { gradOutput }, retainGraph, createGraph)[0]!;
    }
}
