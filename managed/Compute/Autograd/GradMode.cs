using System;

namespace Compute
{
    /// <summary>
    /// Thread-local switches of autograd (PyTorch's grad mode and inference mode). They are per
    /// thread, as in PyTorch: a <see cref="Autograd.NoGrad"/> scope on one thread does not
    /// change what another thread records.
    /// </summary>
    internal static class GradMode
    {
        [ThreadStatic]
        private static bool t_disabled;

        [ThreadStatic]
        private static bool t_inference;

        [ThreadStatic]
        private static bool t_anomaly;

        /// <summary>Whether ops record a graph for tensors that require grad.</summary>
        internal static bool IsEnabled
        {
            get => !t_disabled;
            set => t_disabled = !value;
        }

        internal static bool IsInference
        {
            get => t_inference;
            set => t_inference = value;
        }

        internal static bool IsAnomalyDetection
        {
            get => t_anomaly;
            set => t_anomaly = value;
        }
    }

    /// <summary>
    /// Restores the thread's autograd switches when disposed; returned by
    /// <see cref="Autograd.NoGrad"/>, <see cref="Autograd.EnableGrad"/>,
    /// <see cref="Autograd.SetGradEnabled"/>, <see cref="Autograd.InferenceMode"/> and
    /// <see cref="Autograd.DetectAnomaly"/>. Use it with <c>using</c>; dispose on the thread that
    /// created it.
    /// </summary>
    public sealed class AutogradModeScope : IDisposable
    {
        private readonly bool _enabled;
        private readonly bool _inference;
        private readonly bool _anomaly;
        private readonly int _threadId;
        private bool _disposed;

        internal AutogradModeScope(bool? enabled = null, bool? inference = null, bool? anomaly = null)
        {
            _enabled = GradMode.IsEnabled;
            _inference = GradMode.IsInference;
            _anomaly = GradMode.IsAnomalyDetection;
            _threadId = Environment.CurrentManagedThreadId;
            if (enabled is bool e)
            {
                GradMode.IsEnabled = e;
            }
            if (inference is bool i)
            {
                GradMode.IsInference = i;
            }
            if (anomaly is bool a)
            {
                GradMode.IsAnomalyDetection = a;
            }
        }

        /// <summary>Puts back the switches as they were when the scope began.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            if (Environment.CurrentManagedThreadId != _threadId)
            {
                throw new InvalidOperationException("Autograd mode scope: dispose it on the thread that created it.");
            }
            _disposed = true;
            GradMode.IsEnabled = _enabled;
            GradMode.IsInference = _inference;
            GradMode.IsAnomalyDetection = _anomaly;
        }
    }
}
