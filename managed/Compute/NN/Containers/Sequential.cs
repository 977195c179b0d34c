using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace Compute.NN
{
    /// <summary>
    /// Runs its modules one after the other, each on the previous one's output (PyTorch's
    /// nn.Sequential). Modules are named "0", "1", ... or by the names given, and those names
    /// are their state-dict prefixes ("0.weight").
    /// </summary>
    public class Sequential : Module<Tensor, Tensor>, IEnumerable<Module<Tensor, Tensor>>
    {
        /// <summary>An empty Sequential (its Forward returns the input).</summary>
        public Sequential()
        {
        }

        /// <summary>Chains <paramref name="modules"/>, named "0", "1", ...</summary>
        public Sequential(params Module<Tensor, Tensor>[] modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            foreach (Module<Tensor, Tensor> m in modules)
            {
                Append(m);
            }
        }

        /// <summary>Chains named modules (PyTorch's Sequential(OrderedDict(...))).</summary>
        public Sequential(params (string Name, Module<Tensor, Tensor> Module)[] modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            foreach (var (name, m) in modules)
            {
                AddModule(name, m);
            }
        }

        // The chain is the registered children themselves, as in PyTorch (forward walks
        // _modules), so RegisterModule on a Sequential appends to the chain too.
        private List<KeyValuePair<string, Module<Tensor, Tensor>>> Items
        {
            get
            {
                var items = new List<KeyValuePair<string, Module<Tensor, Tensor>>>();
                foreach (var (name, m) in OwnModules())
                {
                    items.Add(new(name, m as Module<Tensor, Tensor> ?? throw new InvalidOperationException(
                        $"Sequential: the module \"{name}\" is a {m.TypeName}, which does not map a Tensor to a Tensor.")));
                }
                return items;
            }
        }

        /// <summary>Number of modules.</summary>
        public int Count => Items.Count;

        /// <summary>Module <paramref name="index"/> (negative counts from the end); setting it replaces the module and keeps its name.</summary>
        public Module<Tensor, Tensor> this[int index]
        {
            get
            {
                var items = Items;
                return items[Index(index, items.Count)].Value;
            }
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                var items = Items;
                RegisterModule(items[Index(index, items.Count)].Key, value);
            }
        }

        /// <summary>The module named <paramref name="name"/>.</summary>
        public Module<Tensor, Tensor> this[string name]
        {
            get
            {
                foreach (var item in Items)
                {
                    if (item.Key == name)
                    {
                        return item.Value;
                    }
                }
                throw new KeyNotFoundException($"Sequential: no module named \"{name}\".");
            }
        }

        /// <summary>A new Sequential over the modules in <paramref name="range"/>, under the same names (PyTorch's slicing; the modules are shared).</summary>
        public Sequential this[Range range]
        {
            get
            {
                var items = Items;
                var (offset, length) = range.GetOffsetAndLength(items.Count);
                var slice = new Sequential();
                for (int i = offset; i < offset + length; i++)
                {
                    slice.AddModule(items[i].Key, items[i].Value);
                }
                return slice;
            }
        }

        /// <summary>Adds <paramref name="module"/> at the end, named by its position; returns this Sequential.</summary>
        public Sequential Append(Module<Tensor, Tensor> module)
        {
            AddModule(Count.ToString(CultureInfo.InvariantCulture), module);
            return this;
        }

        /// <summary>Adds <paramref name="module"/> at the end under <paramref name="name"/> (PyTorch's add_module).</summary>
        public void AddModule(string name, Module<Tensor, Tensor> module)
        {
            ArgumentNullException.ThrowIfNull(module);
            foreach (var item in Items)
            {
                if (item.Key == name)
                {
                    throw new ArgumentException($"Sequential: a module named \"{name}\" is already in the Sequential.", nameof(name));
                }
            }
            RegisterModule(name, module);
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input)
        {
            Tensor x = input;
            foreach (var item in Items)
            {
                x = item.Value.Forward(x);
            }
            return x;
        }

        /// <inheritdoc/>
        public IEnumerator<Module<Tensor, Tensor>> GetEnumerator()
        {
            foreach (var item in Items)
            {
                yield return item.Value;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static int Index(int index, int count)
        {
            int i = index < 0 ? index + count : index;
            if (i < 0 || i >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Sequential: index {index} is out of range for {count} modules.");
            }
            return i;
        }
    }
}
