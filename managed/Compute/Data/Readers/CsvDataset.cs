using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Compute.Data
{
    /// <summary>
    /// A numeric table from a CSV file: each row becomes { features float32 [F], target }, the
    /// target taken from one column (int64 class labels by default, or float32 for regression).
    /// The first line is a header naming the columns unless <c>hasHeader</c> is false. Empty
    /// lines are skipped; quoted fields are not supported (numbers only).
    /// </summary>
    public sealed class CsvDataset : Dataset<Tensor[]>
    {
        private readonly Tensor _features;
        private readonly Tensor _targets;

        /// <summary>Reads <paramref name="path"/>.</summary>
        /// <param name="path">The CSV file.</param>
        /// <param name="targetColumn">The target's column name (with a header) or its index as text; the last column when null.</param>
        /// <param name="hasHeader">Whether the first line names the columns.</param>
        /// <param name="delimiter">The field separator.</param>
        /// <param name="targetDType">Int64 (class labels) or Float32 (regression values).</param>
        /// <exception cref="InvalidDataException">A row has the wrong number of fields or a field is not a number; the message gives the line and column.</exception>
        public CsvDataset(string path, string? targetColumn = null, bool hasHeader = true, char delimiter = ',', DType targetDType = DType.Int64)
        {
            ArgumentNullException.ThrowIfNull(path);
            if (targetDType is not (DType.Int64 or DType.Float32))
            {
                throw new ArgumentException($"CsvDataset: targetDType must be Int64 or Float32, got {targetDType.Name()}.", nameof(targetDType));
            }
            string[] lines = File.ReadAllLines(path);
            int first = 0;
            while (first < lines.Length && lines[first].Trim().Length == 0) first++;
            if (first == lines.Length)
            {
                throw new InvalidDataException($"{path}: the CSV file is empty.");
            }
            string[] header = lines[first].Split(delimiter);
            int columns = header.Length;
            if (columns < 2)
            {
                throw new InvalidDataException($"{path}: a CSV table needs at least two columns (features and a target), line {first + 1} has {columns}.");
            }
            ColumnNames = hasHeader ? Array.ConvertAll(header, h => h.Trim()) : BuildNames(columns);
            int target = ResolveTarget(targetColumn, ColumnNames, path);
            var features = new List<float>();
            var targets = new List<double>();
            for (int l = hasHeader ? first + 1 : first; l < lines.Length; l++)
            {
                if (lines[l].Trim().Length == 0) continue;
                string[] fields = lines[l].Split(delimiter);
                if (fields.Length != columns)
                {
                    throw new InvalidDataException($"{path}: line {l + 1} has {fields.Length} fields, expected {columns}.");
                }
                for (int c = 0; c < columns; c++)
                {
                    if (!double.TryParse(fields[c].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    {
                        throw new InvalidDataException($"{path}: line {l + 1}, column '{ColumnNames[c]}': '{fields[c]}' is not a number.");
                    }
                    if (c == target)
                    {
                        if (targetDType == DType.Int64 && value != Math.Floor(value))
                        {
                            throw new InvalidDataException($"{path}: line {l + 1}, target column '{ColumnNames[c]}': {fields[c]} is not an integer class label.");
                        }
                        targets.Add(value);
                    }
                    else
                    {
                        features.Add((float)value);
                    }
                }
            }
            int rows = targets.Count;
            _features = Tensor.From(features.ToArray(), rows, columns - 1);
            _targets = targetDType == DType.Int64
                ? Tensor.From(targets.ConvertAll(v => (long)v).ToArray())
                : Tensor.From(targets.ConvertAll(v => (float)v).ToArray());
        }

        /// <summary>The column names (from the header, or "0", "1", ... without one).</summary>
        public IReadOnlyList<string> ColumnNames { get; }

        /// <summary>All features, float32 [rows, columns - 1].</summary>
        public Tensor Features => _features;

        /// <summary>All targets [rows].</summary>
        public Tensor Targets => _targets;

        /// <inheritdoc/>
        public override int Count => (int)_targets.Size(0);

        /// <inheritdoc/>
        protected override Tensor[] Get(int index) => new[] { _features.Select(0, index), _targets.Select(0, index) };

        private static string[] BuildNames(int columns)
        {
            var names = new string[columns];
            for (int c = 0; c < columns; c++) names[c] = c.ToString(CultureInfo.InvariantCulture);
            return names;
        }

        private static int ResolveTarget(string? targetColumn, IReadOnlyList<string> names, string path)
        {
            if (targetColumn is null) return names.Count - 1;
            for (int c = 0; c < names.Count; c++)
            {
                if (names[c] == targetColumn) return c;
            }
            throw new ArgumentException($"CsvDataset: {path} has no column '{targetColumn}' (columns: {string.Join(", ", names)}).", nameof(targetColumn));
        }
    }
}
