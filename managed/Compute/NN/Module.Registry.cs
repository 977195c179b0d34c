using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using System.Text;

namespace Compute.NN
{
    /// <summary>
    /// The members of each module type that hold a <see cref="Parameter"/> or a
    /// <see cref="Module"/>, found once per type by reflection, in declaration order (base class
    /// members first, as PyTorch registers a base __init__'s attributes before the subclass's).
    /// </summary>
    internal static class ModuleRegistry
    {
        internal enum Kind { Parameter, Module }

        internal sealed record Member(string Name, Kind Kind, FieldInfo Field);

        private static readonly ConcurrentDictionary<Type, Member[]> s_members = new();

        internal static Member[] Of(
            [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
                DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties)] Type type) =>
            s_members.GetOrAdd(type, Scan);

        [UnconditionalSuppressMessage("Trimming", "IL2070:DynamicallyAccessedMembers",
            Justification = "Base types of a Module subclass are Module subclasses too; Module's annotation keeps their fields.")]
        [UnconditionalSuppressMessage("Trimming", "IL2075:DynamicallyAccessedMembers",
            Justification = "Base types of a Module subclass are Module subclasses too; Module's annotation keeps their fields.")]
        private static Member[] Scan(Type type)
        {
            var chain = new List<Type>();
            for (Type? t = type; t != null && t != typeof(Module); t = t.BaseType)
            {
                chain.Add(t);
            }
            chain.Reverse();
            var members = new List<Member>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (Type t in chain)
            {
                // Metadata order is declaration order; GetFields does not promise an order.
                foreach (FieldInfo field in t.GetFields(flags).OrderBy(f => f.MetadataToken))
                {
                    Kind kind;
                    if (typeof(Parameter).IsAssignableFrom(field.FieldType))
                    {
                        kind = Kind.Parameter;
                    }
                    else if (typeof(Module).IsAssignableFrom(field.FieldType))
                    {
                        kind = Kind.Module;
                    }
                    else
                    {
                        continue;
                    }
                    string memberName = field.Name;
                    MemberInfo attributeSource = field;
                    if (memberName.StartsWith('<') && memberName.EndsWith(">k__BackingField", StringComparison.Ordinal))
                    {
                        memberName = memberName[1..memberName.IndexOf('>')];
                        attributeSource = t.GetProperty(memberName, flags) ?? (MemberInfo)field;
                    }
                    if (attributeSource.IsDefined(typeof(NotRegisteredAttribute), true) || field.IsDefined(typeof(NotRegisteredAttribute), true))
                    {
                        continue;
                    }
                    string name = (attributeSource.GetCustomAttribute<RegisteredNameAttribute>(true)
                        ?? field.GetCustomAttribute<RegisteredNameAttribute>(true))?.Name ?? ToSnakeCase(memberName);
                    Module.ValidateName(name, $"the member {t.Name}.{memberName}");
                    if (!names.Add(name))
                    {
                        throw new InvalidOperationException(
                            $"Module {type.Name}: two members register under the name \"{name}\"; rename one or give it [RegisteredName].");
                    }
                    members.Add(new Member(name, kind, field));
                }
            }
            return members.ToArray();
        }

        /// <summary>
        /// PyTorch attribute names from C# member names: "RunningMean" and "_runningMean" become
        /// "running_mean", "Fc1" becomes "fc1", "QKVProj" becomes "qkv_proj".
        /// </summary>
        internal static string ToSnakeCase(string name)
        {
            string trimmed = name.TrimStart('_');
            if (trimmed.StartsWith("m_", StringComparison.Ordinal))
            {
                trimmed = trimmed[2..];
            }
            if (trimmed.Length == 0)
            {
                return name;
            }
            var sb = new StringBuilder(trimmed.Length + 4);
            for (int i = 0; i < trimmed.Length; i++)
            {
                char c = trimmed[i];
                if (char.IsUpper(c))
                {
                    bool afterLowerOrDigit = i > 0 && (char.IsLower(trimmed[i - 1]) || char.IsDigit(trimmed[i - 1]));
                    bool endsAcronym = i > 0 && char.IsUpper(trimmed[i - 1]) && i + 1 < trimmed.Length && char.IsLower(trimmed[i + 1]);
                    if ((afterLowerOrDigit || endsAcronym) && sb.Length > 0 && sb[^1] != '_')
                    {
                        sb.Append('_');
                    }
                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }
            return sb.ToString();
        }
    }
}
