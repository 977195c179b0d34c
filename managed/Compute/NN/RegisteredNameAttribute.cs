using System;

namespace Compute.NN
{
    /// <summary>
    /// Gives the name a <see cref="Parameter"/> or <see cref="Module"/> field (or auto-property)
    /// is registered under, instead of the snake_case form of the member's name. Use it to
    /// match a PyTorch checkpoint whose attribute names the rule cannot produce.
    /// </summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class RegisteredNameAttribute : Attribute
    {
        /// <summary>Registers the member as <paramref name="name"/>.</summary>
        public RegisteredNameAttribute(string name) => Name = name;

        /// <summary>The registered name (a key segment of <see cref="Module.StateDict"/>).</summary>
        public string Name { get; }
    }

    /// <summary>
    /// Keeps a <see cref="Parameter"/> or <see cref="Module"/> field out of automatic
    /// registration: the module refers to it but does not own it (no state-dict key, not in
    /// <see cref="Module.Parameters"/>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
    public sealed class NotRegisteredAttribute : Attribute
    {
    }
}
