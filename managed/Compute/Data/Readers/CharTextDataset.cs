using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Compute.Data
{
    /// <summary>
    /// A character-level language-modelling dataset over one text: the vocabulary is the sorted
    /// set of its characters, and sample i is { x, y } with x the int64 ids of characters
    /// i .. i+blockSize-1 and y the ids one character later (the next-character targets).
    /// </summary>
    public sealed class CharTextDataset : Dataset<Tensor[]>
    {
        private readonly Dictionary<char, long> _ids = new();
        private readonly char[] _chars;
        private readonly Tensor _data;

        /// <summary>Builds the vocabulary and ids of <paramref name="text"/>.</summary>
        /// <exception cref="ArgumentException">The text is not longer than <paramref name="blockSize"/>.</exception>
        public CharTextDataset(string text, int blockSize)
        {
            ArgumentNullException.ThrowIfNull(text);
            if (blockSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "CharTextDataset: blockSize must be positive.");
            }
            if (text.Length <= blockSize)
            {
                throw new ArgumentException($"CharTextDataset: the text has {text.Length} characters; it needs more than blockSize = {blockSize}.", nameof(text));
            }
            var set = new SortedSet<char>(text);
            _chars = new char[set.Count];
            set.CopyTo(_chars);
            for (int i = 0; i < _chars.Length; i++) _ids[_chars[i]] = i;
            BlockSize = blockSize;
            _data = Tensor.From(EncodeKnown(text));
        }

        /// <summary>Reads a UTF-8 text file (see <see cref="CharTextDataset(string, int)"/>).</summary>
        public static CharTextDataset FromFile(string path, int blockSize)
        {
            ArgumentNullException.ThrowIfNull(path);
            return new CharTextDataset(File.ReadAllText(path, Encoding.UTF8), blockSize);
        }

        /// <summary>Characters per sample.</summary>
        public int BlockSize { get; }

        /// <summary>Number of distinct characters.</summary>
        public int VocabSize => _chars.Length;

        /// <summary>The vocabulary, by id.</summary>
        public IReadOnlyList<char> Vocabulary => _chars;

        /// <summary>The whole text as int64 ids.</summary>
        public Tensor Data => _data;

        /// <inheritdoc/>
        public override int Count => (int)_data.Size(0) - BlockSize;

        /// <inheritdoc/>
        protected override Tensor[] Get(int index) => new[] { _data.Narrow(0, index, BlockSize), _data.Narrow(0, index + 1, BlockSize) };

        /// <summary>The ids of <paramref name="text"/>.</summary>
        /// <exception cref="ArgumentException">A character is not in the vocabulary.</exception>
        public Tensor Encode(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return Tensor.From(EncodeKnown(text));
        }

        /// <summary>The text of int64 <paramref name="ids"/>.</summary>
        public string Decode(Tensor ids)
        {
            ArgumentNullException.ThrowIfNull(ids);
            using Tensor asLong = ids.To(DType.Int64);
            var sb = new StringBuilder();
            foreach (long id in asLong.ToArray<long>())
            {
                if (id < 0 || id >= _chars.Length)
                {
                    throw new ArgumentException($"CharTextDataset.Decode: id {id} is outside the vocabulary of {_chars.Length} characters.", nameof(ids));
                }
                sb.Append(_chars[id]);
            }
            return sb.ToString();
        }

        private long[] EncodeKnown(string text)
        {
            var ids = new long[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                if (!_ids.TryGetValue(text[i], out ids[i]))
                {
                    throw new ArgumentException($"CharTextDataset.Encode: character '{text[i]}' (U+{(int)text[i]:X4}) at {i} is not in the vocabulary.", nameof(text));
                }
            }
            return ids;
        }
    }
}
