using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Compute.IO
{
    /// <summary>
    /// Everything a training run needs to continue exactly where it stopped: the model's state
    /// dict, the optimizer's and scheduler's state (tensors plus a JSON document each), the
    /// default generator's state, the step and the epoch. Stored as one safetensors file
    /// (tensors under "model.", "optimizer.", "scheduler." and "rng"; the rest in the header's
    /// metadata), written atomically so a crash mid-save keeps the previous checkpoint.
    /// </summary>
    public sealed class TrainingCheckpoint
    {
        private const string FormatKey = "compute.checkpoint";
        private const string FormatVersion = "1";
        private const string RngKey = "rng";
        private static readonly string[] Sections = { "model.", "optimizer.", "scheduler." };

        /// <summary>The model's state dict (Module.StateDict()).</summary>
        public OrderedDictionary<string, Tensor> Model { get; init; } = new();

        /// <summary>The optimizer's state tensors (per-parameter buffers such as momentum), by key.</summary>
        public OrderedDictionary<string, Tensor> OptimizerTensors { get; init; } = new();

        /// <summary>The optimizer's other state (parameter groups, hyper-parameters, step counts) as JSON, or null.</summary>
        public string? OptimizerJson { get; init; }

        /// <summary>The learning-rate scheduler's state tensors, if it has any.</summary>
        public OrderedDictionary<string, Tensor> SchedulerTensors { get; init; } = new();

        /// <summary>The scheduler's state as JSON, or null.</summary>
        public string? SchedulerJson { get; init; }

        /// <summary>The default generator's state (<see cref="Tensor.GetRngState"/>), or null.</summary>
        public Tensor? RngState { get; init; }

        /// <summary>Optimizer steps taken.</summary>
        public long Step { get; init; }

        /// <summary>Epochs completed (or the current epoch, as the caller chooses).</summary>
        public long Epoch { get; init; }

        /// <summary>Free-form strings stored alongside (a run name, the data order's seed...).</summary>
        public Dictionary<string, string> Extra { get; init; } = new();

        /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (temporary file + rename).</summary>
        public void Save(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            var tensors = new Dictionary<string, Tensor>();
            Add(tensors, Sections[0], Model);
            Add(tensors, Sections[1], OptimizerTensors);
            Add(tensors, Sections[2], SchedulerTensors);
            if (RngState != null)
            {
                tensors[RngKey] = RngState;
            }
            var metadata = new Dictionary<string, string>
            {
                [FormatKey] = FormatVersion,
                ["step"] = Step.ToString(CultureInfo.InvariantCulture),
                ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            };
            if (OptimizerJson != null) metadata["optimizer"] = OptimizerJson;
            if (SchedulerJson != null) metadata["scheduler"] = SchedulerJson;
            foreach (var (key, value) in Extra)
            {
                metadata["extra." + key] = value;
            }
            SafeTensors.Save(tensors, path, metadata);
        }

        /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
        /// <exception cref="InvalidDataException">The file is not a valid safetensors file, or not a Compute checkpoint.</exception>
        public static TrainingCheckpoint Load(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            OrderedDictionary<string, Tensor> tensors = SafeTensors.Load(path, out IReadOnlyDictionary<string, string> metadata);
            if (!metadata.TryGetValue(FormatKey, out string? version))
            {
                throw new InvalidDataException($"TrainingCheckpoint: {path} is a safetensors file but not a Compute training checkpoint (no '{FormatKey}' metadata).");
            }
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"TrainingCheckpoint: {path} has checkpoint format {version}; this version of Compute reads format {FormatVersion}.");
            }
            var model = new OrderedDictionary<string, Tensor>();
            var optimizer = new OrderedDictionary<string, Tensor>();
            var scheduler = new OrderedDictionary<string, Tensor>();
            Tensor? rng = null;
            foreach (var (key, tensor) in tensors)
            {
                if (key == RngKey) rng = tensor;
                else if (key.StartsWith(Sections[0], StringComparison.Ordinal)) model.Add(key[Sections[0].Length..], tensor);
                else if (key.StartsWith(Sections[1], StringComparison.Ordinal)) optimizer.Add(key[Sections[1].Length..], tensor);
                else if (key.StartsWith(Sections[2], StringComparison.Ordinal)) scheduler.Add(key[Sections[2].Length..], tensor);
                else throw new InvalidDataException($"TrainingCheckpoint: {path} holds tensor '{key}', which belongs to no section.");
            }
            var extra = new Dictionary<string, string>();
            foreach (var (key, value) in metadata)
            {
                if (key.StartsWith("extra.", StringComparison.Ordinal)) extra[key["extra.".Length..]] = value;
            }
            return new TrainingCheckpoint
            {
                Model = model,
                OptimizerTensors = optimizer,
                OptimizerJson = metadata.GetValueOrDefault("optimizer"),
                SchedulerTensors = scheduler,
                SchedulerJson = metadata.GetValueOrDefault("scheduler"),
                RngState = rng,
                Step = ParseLong(metadata, "step", path),
                Epoch = ParseLong(metadata, "epoch", path),
                Extra = extra,
            };
        }

        private static void Add(Dictionary<string, Tensor> into, string prefix, OrderedDictionary<string, Tensor> section)
        {
            foreach (var (key, tensor) in section)
            {
                into[prefix + key] = tensor;
            }
        }

        private static long ParseLong(IReadOnlyDictionary<string, string> metadata, string key, string path) =>
            metadata.TryGetValue(key, out string? text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
                ? value
                : throw new InvalidDataException($"TrainingCheckpoint: {path} has no integer '{key}' in its metadata.");
    }
}
