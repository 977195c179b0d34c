using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Compute.NN
{
    /// <summary>
    /// A list of submodules registered as "0", "1", ... (PyTorch's nn.ModuleList). It has no
    /// forward: the owning module decides how to call them.
    /// </summary>
    public class ModuleList : Module, IReadOnlyList<Module>
    {
        /// <summary>Makes the list with <paramref name="modules"/>.</summary>
        public ModuleList(params Module[] modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            Extend(modules);
        }

        private List<Module> Items => OwnModules().Select(kv => kv.Value).ToList();

        /// <summary>Number of modules.</summary>
        public int Count => Items.Count;

        /// <summary>Module <paramref name="index"/> (negative counts from the end); setting it replaces that module.</summary>
        public Module this[int index]
        {
            get
            {
                List<Module> items = Items;
                return items[Normalize(index, items.Count, "ModuleList")];
            }
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                RegisterModule(Normalize(index, Count, "ModuleList").ToString(CultureInfo.InvariantCulture), value);
            }
        }

        /// <summary>Adds <paramref name="module"/> at the end; returns this list.</summary>
        public ModuleList Append(Module module)
        {
            ArgumentNullException.ThrowIfNull(module);
            RegisterModule(Count.ToString(CultureInfo.InvariantCulture), module);
            return this;
        }

        /// <summary>Adds every module of <paramref name="modules"/> at the end; returns this list.</summary>
        public ModuleList Extend(IEnumerable<Module> modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            foreach (Module m in modules)
            {
                Append(m);
            }
            return this;
        }

        /// <summary>Inserts <paramref name="module"/> before position <paramref name="index"/>, renumbering the ones after it (PyTorch's insert).</summary>
        public void Insert(int index, Module module)
        {
            ArgumentNullException.ThrowIfNull(module);
            List<Module> items = Items;
            int i = index < 0 ? Math.Max(0, index + items.Count) : Math.Min(index, items.Count);
            items.Insert(i, module);
            Renumber(items);
        }

        /// <summary>Removes the module at <paramref name="index"/>, renumbering the ones after it (PyTorch's del / pop).</summary>
        public Module RemoveAt(int index)
        {
            List<Module> items = Items;
            int i = Normalize(index, items.Count, "ModuleList");
            Module removed = items[i];
            items.RemoveAt(i);
            Renumber(items);
            return removed;
        }

        /// <inheritdoc/>
        public IEnumerator<Module> GetEnumerator() => Items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private void Renumber(List<Module> items)
        {
            ClearModules();
            for (int i = 0; i < items.Count; i++)
            {
                RegisterModule(i.ToString(CultureInfo.InvariantCulture), items[i]);
            }
        }

        internal static int Normalize(int index, int count, string container)
        {
            int i = index < 0 ? index + count : index;
            if (i < 0 || i >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"{container}: index {index} is out of range for {count} entries.");
            }
            return i;
        }
    }

    /// <summary>
    /// Submodules by name, in insertion order (PyTorch's nn.ModuleDict); the names are the
    /// state-dict prefixes. It has no forward.
    /// </summary>
    public class ModuleDict : Module, IEnumerable<KeyValuePair<string, Module>>
    {
        /// <summary>Makes an empty dictionary.</summary>
        public ModuleDict()
        {
        }

        /// <summary>Makes the dictionary with <paramref name="modules"/>, in order.</summary>
        public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            foreach (var (name, m) in modules)
            {
                this[name] = m;
            }
        }

        /// <summary>The module named <paramref name="key"/>; setting adds or replaces it.</summary>
        public Module this[string key]
        {
            get => ExplicitModule(key) ?? throw new KeyNotFoundException($"ModuleDict: no module named \"{key}\".");
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                RegisterModule(key, value);
            }
        }

        /// <summary>Number of modules.</summary>
        public int Count => OwnModules().Count();

        /// <summary>The names, in order.</summary>
        public IEnumerable<string> Keys => OwnModules().Select(kv => kv.Key);

        /// <summary>Whether a module is named <paramref name="key"/>.</summary>
        public bool ContainsKey(string key) => ExplicitModule(key) is not null;

        /// <summary>Removes the module named <paramref name="key"/>; false when there is none.</summary>
        public bool Remove(string key) => UnregisterModule(key);

        /// <summary>Adds <paramref name="module"/> under <paramref name="key"/> (also enables collection initialisers).</summary>
        public void Add(string key, Module module) => this[key] = module;

        /// <inheritdoc/>
        public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() => OwnModules().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A list of parameters registered as "0", "1", ... (PyTorch's nn.ParameterList).</summary>
    public class ParameterList : Module, IReadOnlyList<Parameter>
    {
        /// <summary>Makes the list; a plain tensor is wrapped in a <see cref="Parameter"/> (sharing its storage).</summary>
        public ParameterList(params Tensor[] parameters)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            foreach (Tensor p in parameters)
            {
                Append(p);
            }
        }

        private List<Parameter> Items => OwnParameters().Select(kv => kv.Value).ToList();

        /// <summary>Number of parameters.</summary>
        public int Count => Items.Count;

        /// <summary>Parameter <paramref name="index"/> (negative counts from the end); setting it replaces that parameter.</summary>
        public Parameter this[int index]
        {
            get
            {
                List<Parameter> items = Items;
                return items[ModuleList.Normalize(index, items.Count, "ParameterList")];
            }
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                RegisterParameter(ModuleList.Normalize(index, Count, "ParameterList").ToString(CultureInfo.InvariantCulture), value);
            }
        }

        /// <summary>Adds <paramref name="parameter"/> at the end (a plain tensor becomes a Parameter sharing its storage); returns this list.</summary>
        public ParameterList Append(Tensor parameter)
        {
            ArgumentNullException.ThrowIfNull(parameter);
            RegisterParameter(Count.ToString(CultureInfo.InvariantCulture), parameter as Parameter ?? new Parameter(parameter));
            return this;
        }

        /// <inheritdoc/>
        public IEnumerator<Parameter> GetEnumerator() => Items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <inheritdoc/>
        public override string ToString()
        {
            var lines = Items.Select((p, i) =>
                $"  ({i}): Parameter containing: [{p.DType} of size {string.Join("x", p.ShapeCached)}]");
            return "ParameterList(" + (Count == 0 ? "" : "\n" + string.Join("\n", lines) + "\n") + ")";
        }
    }
}
