using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace Compute.NN
{
    /// <summary>
    /// The base of every layer and model (PyTorch's nn.Module): it owns parameters, buffers and
    /// submodules, moves them between devices and dtypes, saves and loads them as a state dict,
    /// and switches between training and evaluation.
    /// </summary>
    /// <remarks>
    /// <para>Registration. Fields and auto-properties whose declared type is a
    /// <see cref="Parameter"/> or a <see cref="Module"/> are registered automatically, in
    /// declaration order (base class first), under the snake_case form of the member name
    /// ("RunningMean" and "_runningMean" become "running_mean"; <see cref="RegisteredNameAttribute"/>
    /// overrides it, <see cref="NotRegisteredAttribute"/> opts out). A null member is not
    /// registered (PyTorch's <c>bias=None</c>). The members are read each time the module is
    /// walked, so assigning a new Parameter or Module to a field later is seen at once.
    /// <see cref="RegisterParameter"/>, <see cref="RegisterBuffer"/> and <see cref="RegisterModule"/>
    /// register by name explicitly (containers, and buffers, which are plain tensors); these come
    /// after the members, in registration order.</para>
    /// <para>Forward. A module with one input derives from <see cref="Module{TInput, TOutput}"/> and
    /// overrides <c>ForwardCore</c>; callers call <c>Forward</c>, which runs the forward hooks
    /// around it (PyTorch's <c>module(x)</c>). Modules with other signatures derive from this class
    /// and call <see cref="InvokeForward{TOutput}"/> from their own public <c>Forward</c>.</para>
    /// </remarks>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties)]
    public abstract partial class Module
    {
        // Explicit registrations, in registration order. A null value is a registered empty
        // slot (PyTorch's register_parameter(name, None)): it keeps its place but yields nothing.
        private readonly List<KeyValuePair<string, Parameter?>> _parameters = new();
        private readonly List<KeyValuePair<string, Tensor?>> _buffers = new();
        private readonly HashSet<string> _nonPersistentBuffers = new(StringComparer.Ordinal);
        private readonly List<KeyValuePair<string, Module?>> _modules = new();

        /// <summary>Whether the module is in training mode (PyTorch's <c>training</c>); true for a new module.</summary>
        public bool Training { get; private set; } = true;

        /// <summary>
        /// Registers <paramref name="parameter"/> under <paramref name="name"/> (PyTorch's
        /// register_parameter); null registers an empty slot. Registering a name again replaces the entry.
        /// </summary>
        public void RegisterParameter(string name, Parameter? parameter)
        {
            CheckNewName(name, nameof(RegisterParameter), ModuleRegistry.Kind.Parameter, _parameters);
            Put(_parameters, name, parameter);
        }

        /// <summary>
        /// Registers a buffer: a tensor that is part of the module's state but not learned
        /// (PyTorch's register_buffer), such as BatchNorm's running mean. A persistent buffer is
        /// saved in <see cref="StateDict"/>; null registers an empty slot. Registering a name again
        /// replaces the entry.
        /// </summary>
        /// <remarks>The buffer is taken out of every <see cref="TensorScope"/> of this thread: it lives as long as the module.</remarks>
        public void RegisterBuffer(string name, Tensor? tensor, bool persistent = true)
        {
            CheckNewName(name, nameof(RegisterBuffer), null, _buffers);
            if (tensor is not null)
            {
                TensorScope.Escape(tensor);
            }
            Put(_buffers, name, tensor);
            if (persistent)
            {
                _nonPersistentBuffers.Remove(name);
            }
            else
            {
                _nonPersistentBuffers.Add(name);
            }
        }

        /// <summary>
        /// Registers <paramref name="module"/> as a child named <paramref name="name"/> (PyTorch's
        /// add_module / register_module); null registers an empty slot. Registering a name again
        /// replaces the entry.
        /// </summary>
        public void RegisterModule(string name, Module? module)
        {
            CheckNewName(name, nameof(RegisterModule), ModuleRegistry.Kind.Module, _modules);
            if (ReferenceEquals(module, this))
            {
                throw new ArgumentException($"RegisterModule: a module cannot be its own child (\"{name}\").", nameof(module));
            }
            Put(_modules, name, module);
        }

        /// <summary>The buffer registered as <paramref name="name"/> (null for an empty slot).</summary>
        /// <exception cref="KeyNotFoundException">No buffer has that name.</exception>
        protected Tensor? GetBuffer(string name)
        {
            int i = IndexOf(_buffers, name);
            return i >= 0 ? _buffers[i].Value : throw new KeyNotFoundException($"{TypeName}: no buffer named \"{name}\".");
        }

        /// <summary>Replaces the tensor of the registered buffer <paramref name="name"/>, keeping whether it persists.</summary>
        /// <exception cref="KeyNotFoundException">No buffer has that name.</exception>
        protected void SetBuffer(string name, Tensor? tensor)
        {
            int i = IndexOf(_buffers, name);
            if (i < 0)
            {
                throw new KeyNotFoundException($"{TypeName}: no buffer named \"{name}\".");
            }
            if (tensor is not null)
            {
                TensorScope.Escape(tensor);
            }
            _buffers[i] = new(name, tensor);
        }

        /// <summary>The explicitly registered child <paramref name="name"/>, or null when there is none or the slot is empty.</summary>
        private protected Module? ExplicitModule(string name)
        {
            int i = IndexOf(_modules, name);
            return i >= 0 ? _modules[i].Value : null;
        }

        /// <summary>Removes the explicitly registered child <paramref name="name"/>; false when there is none.</summary>
        private protected bool UnregisterModule(string name)
        {
            int i = IndexOf(_modules, name);
            if (i < 0)
            {
                return false;
            }
            _modules.RemoveAt(i);
            return true;
        }

        /// <summary>Removes every explicitly registered child (containers rebuild their numbering with it).</summary>
        private protected void ClearModules() => _modules.Clear();

        /// <summary>Removes every explicitly registered parameter.</summary>
        private protected void ClearParameters() => _parameters.Clear();

        // ---- this module's own entries, members first ---------------------------------------

        /// <summary>This module's own parameters with their names (no recursion), empty slots skipped.</summary>
        private protected IEnumerable<KeyValuePair<string, Parameter>> OwnParameters() => OwnEntries(ModuleRegistry.Kind.Parameter, _parameters);

        /// <summary>This module's own buffers with their names and persistence (no recursion), empty slots skipped.</summary>
        private protected IEnumerable<(string Name, Tensor Buffer, bool Persistent)> OwnBuffers()
        {
            foreach (var entry in _buffers.ToArray())
            {
                if (entry.Value is Tensor t)
                {
                    yield return (entry.Key, t, !_nonPersistentBuffers.Contains(entry.Key));
                }
            }
        }

        /// <summary>This module's direct children with their names, empty slots skipped.</summary>
        private protected IEnumerable<KeyValuePair<string, Module>> OwnModules() => OwnEntries(ModuleRegistry.Kind.Module, _modules);

        /// <summary>The registered members of one kind, then the explicit entries, skipping nulls.</summary>
        private IEnumerable<KeyValuePair<string, T>> OwnEntries<T>(ModuleRegistry.Kind kind, List<KeyValuePair<string, T?>> explicitEntries)
            where T : class
        {
            foreach (ModuleRegistry.Member m in ModuleRegistry.Of(GetType()))
            {
                if (m.Kind == kind && m.Field.GetValue(this) is T value)
                {
                    yield return new(m.Name, value);
                }
            }
            foreach (var entry in explicitEntries.ToArray())
            {
                if (entry.Value is T value)
                {
                    yield return new(entry.Key, value);
                }
            }
        }

        /// <summary>Replaces the buffer <paramref name="name"/> while walking (To, LoadStateDict).</summary>
        private void ReplaceBuffer(string name, Tensor tensor)
        {
            int i = IndexOf(_buffers, name);
            TensorScope.Escape(tensor);
            _buffers[i] = new(name, tensor);
        }

        internal string TypeName
        {
            get
            {
                string name = GetType().Name;
                int tick = name.IndexOf('`');
                return tick >= 0 ? name[..tick] : name;
            }
        }

        internal static void ValidateName(string name, string what)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"Module: {what} has an empty name.", nameof(name));
            }
            if (name.Contains('.'))
            {
                throw new ArgumentException($"Module: {what} has the name \"{name}\", which contains \".\" (the state-dict separator).", nameof(name));
            }
        }

        private void CheckNewName<T>(string name, string op, ModuleRegistry.Kind? kind, List<KeyValuePair<string, T>> own)
        {
            ArgumentNullException.ThrowIfNull(name);
            ValidateName(name, $"{op}: the entry");
            foreach (ModuleRegistry.Member m in ModuleRegistry.Of(GetType()))
            {
                if (m.Name == name)
                {
                    throw new ArgumentException(
                        $"{op}: \"{name}\" is already the name of the member {m.Field.DeclaringType?.Name}.{m.Field.Name} of {TypeName}.", nameof(name));
                }
            }
            bool taken = (kind != ModuleRegistry.Kind.Parameter && IndexOf(_parameters, name) >= 0) ||
                         (kind is not null && IndexOf(_buffers, name) >= 0) ||
                         (kind != ModuleRegistry.Kind.Module && IndexOf(_modules, name) >= 0);
            if (taken && IndexOf(own, name) < 0)
            {
                throw new ArgumentException($"{op}: {TypeName} already has a different kind of entry named \"{name}\".", nameof(name));
            }
        }

        private static int IndexOf<T>(List<KeyValuePair<string, T>> list, string name)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i].Key == name)
                {
                    return i;
                }
            }
            return -1;
        }

        private static void Put<T>(List<KeyValuePair<string, T>> list, string name, T value)
        {
            int i = IndexOf(list, name);
            if (i >= 0)
            {
                list[i] = new(name, value);
            }
            else
            {
                list.Add(new(name, value));
            }
        }
    }
}
