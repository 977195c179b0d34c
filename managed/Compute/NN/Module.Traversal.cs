using System;
using System.Collections.Generic;

namespace Compute.NN
{
    public abstract partial class Module
    {
        /// <summary>
        /// The parameters of this module and, when <paramref name="recurse"/>, of every
        /// submodule, each once (a parameter shared by two layers appears once), in state-dict
        /// order (PyTorch's parameters()).
        /// </summary>
        public IEnumerable<Parameter> Parameters(bool recurse = true)
        {
            foreach (var (_, p) in NamedParameters(recurse: recurse))
            {
                yield return p;
            }
        }

        /// <summary>
        /// The parameters with their dotted names ("fc1.weight"), as <see cref="Parameters"/>
        /// (PyTorch's named_parameters). With <paramref name="removeDuplicate"/> false a shared
        /// parameter appears under each of its names.
        /// </summary>
        public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "", bool recurse = true, bool removeDuplicate = true)
        {
            var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (var (modulePrefix, module) in Walk(prefix, recurse, removeDuplicate))
            {
                foreach (var (name, p) in module.OwnParameters())
                {
                    if (!removeDuplicate || seen.Add(p))
                    {
                        yield return (Join(modulePrefix, name), p);
                    }
                }
            }
        }

        /// <summary>The buffers of this module and, when <paramref name="recurse"/>, of every submodule, each once (PyTorch's buffers()).</summary>
        public IEnumerable<Tensor> Buffers(bool recurse = true)
        {
            foreach (var (_, b) in NamedBuffers(recurse: recurse))
            {
                yield return b;
            }
        }

        /// <summary>The buffers with their dotted names ("bn.running_mean"), persistent or not (PyTorch's named_buffers).</summary>
        public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "", bool recurse = true, bool removeDuplicate = true)
        {
            var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (var (modulePrefix, module) in Walk(prefix, recurse, removeDuplicate))
            {
                foreach (var (name, b, _) in module.OwnBuffers())
                {
                    if (!removeDuplicate || seen.Add(b))
                    {
                        yield return (Join(modulePrefix, name), b);
                    }
                }
            }
        }

        /// <summary>The direct submodules, each once (PyTorch's children()).</summary>
        public IEnumerable<Module> Children()
        {
            foreach (var (_, m) in NamedChildren())
            {
                yield return m;
            }
        }

        /// <summary>The direct submodules with their names, each once (PyTorch's named_children()).</summary>
        public IEnumerable<(string Name, Module Module)> NamedChildren()
        {
            var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
            foreach (var (name, m) in OwnModules())
            {
                if (seen.Add(m))
                {
                    yield return (name, m);
                }
            }
        }

        /// <summary>This module and every module below it, depth first, each once (PyTorch's modules()).</summary>
        public IEnumerable<Module> Modules()
        {
            foreach (var (_, m) in NamedModules())
            {
                yield return m;
            }
        }

        /// <summary>
        /// This module (named <paramref name="prefix"/>, "" by default) and every module below it
        /// with its dotted name, depth first, each once unless <paramref name="removeDuplicate"/>
        /// is false (PyTorch's named_modules()).
        /// </summary>
        public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "", bool removeDuplicate = true) =>
            Walk(prefix, recurse: true, removeDuplicate);

        /// <summary>The submodule at the dotted path <paramref name="target"/> ("" is this module) (PyTorch's get_submodule).</summary>
        /// <exception cref="ArgumentException">A segment of the path names no submodule.</exception>
        public Module GetSubmodule(string target)
        {
            ArgumentNullException.ThrowIfNull(target);
            Module current = this;
            if (target.Length == 0)
            {
                return current;
            }
            foreach (string part in target.Split('.'))
            {
                Module? next = null;
                foreach (var (name, m) in current.OwnModules())
                {
                    if (name == part)
                    {
                        next = m;
                        break;
                    }
                }
                current = next ?? throw new ArgumentException(
                    $"GetSubmodule: {current.TypeName} has no submodule \"{part}\" (path \"{target}\").", nameof(target));
            }
            return current;
        }

        /// <summary>The parameter at the dotted path <paramref name="target"/> ("fc1.weight") (PyTorch's get_parameter).</summary>
        /// <exception cref="ArgumentException">The path names no parameter.</exception>
        public Parameter GetParameter(string target)
        {
            ArgumentNullException.ThrowIfNull(target);
            int dot = target.LastIndexOf('.');
            Module owner = GetSubmodule(dot < 0 ? "" : target[..dot]);
            string leaf = target[(dot + 1)..];
            foreach (var (name, p) in owner.OwnParameters())
            {
                if (name == leaf)
                {
                    return p;
                }
            }
            throw new ArgumentException($"GetParameter: {owner.TypeName} has no parameter \"{leaf}\" (path \"{target}\").", nameof(target));
        }

        /// <summary>Modules depth first with their prefixes; shared modules once when <paramref name="removeDuplicate"/>.</summary>
        private IEnumerable<(string Prefix, Module Module)> Walk(string prefix, bool recurse, bool removeDuplicate)
        {
            ArgumentNullException.ThrowIfNull(prefix);
            var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<(string, Module)>();
            stack.Push((prefix, this));
            while (stack.Count > 0)
            {
                var (p, m) = stack.Pop();
                if (removeDuplicate && !seen.Add(m))
                {
                    continue;
                }
                yield return (p, m);
                if (!recurse)
                {
                    yield break;
                }
                var children = new List<KeyValuePair<string, Module>>(m.OwnModules());
                for (int i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push((Join(p, children[i].Key), children[i].Value));
                }
            }
        }

        private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
    }
}
