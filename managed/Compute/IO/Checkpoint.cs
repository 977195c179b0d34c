using System;
using System.Collections.Generic;
using System.IO;
using Compute.NN;
using Compute.Optim;

namespace Compute.IO
{
    /// <summary>
    /// Saves and restores a whole training run in one call: the model's state dict, the
    /// optimizer's and scheduler's state, the default generator's state, the step and the epoch
    /// (a <see cref="TrainingCheckpoint"/> file, written atomically). Resuming from it continues
    /// bit-identically: the same parameters, optimizer buffers, learning rates and random stream
    /// (dropout masks, and the order of a shuffled <c>DataLoader</c> without its own generator
    /// from the next epoch on).
    /// <code>
    /// Checkpoint.Save("run.safetensors", model, optimizer, scheduler, step, epoch);
    /// TrainingCheckpoint c = Checkpoint.Load("run.safetensors", model, optimizer, scheduler);
    /// </code>
    /// </summary>
    public static class Checkpoint
    {
        /// <summary>Writes the run's state to <paramref name="path"/> (temporary file + rename).</summary>
        public static void Save(string path, Module model, Optimizer? optimizer = null, LRScheduler? scheduler = null,
                                long step = 0, long epoch = 0, IReadOnlyDictionary<string, string>? extra = null)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(model);
            OptimizerStateDict? optimizerState = optimizer?.StateDict();
            var checkpoint = new TrainingCheckpoint
            {
                Model = model.StateDict(),
                OptimizerTensors = optimizerState?.ToTensors() ?? new OrderedDictionary<string, Tensor>(),
                OptimizerJson = optimizerState?.ToJson(),
                SchedulerJson = scheduler is null ? null : StateJson.Serialize(scheduler.StateDict()),
                RngState = Tensor.GetRngState(),
                Step = step,
                Epoch = epoch,
            };
            if (extra != null)
            {
                foreach (var (key, value) in extra) checkpoint.Extra[key] = value;
            }
            checkpoint.Save(path);
        }

        /// <summary>
        /// Restores the model, and the optimizer, scheduler and default generator when given or
        /// asked, from a file written by <see cref="Save"/>; returns it for the step, epoch and extras.
        /// </summary>
        /// <exception cref="InvalidDataException">The file lacks the optimizer's or scheduler's state asked for.</exception>
        public static TrainingCheckpoint Load(string path, Module model, Optimizer? optimizer = null, LRScheduler? scheduler = null,
                                              bool strict = true, bool restoreRng = true)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(model);
            TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
            model.LoadStateDict(checkpoint.Model, strict);
            if (optimizer != null)
            {
                string json = checkpoint.OptimizerJson
                    ?? throw new InvalidDataException($"Checkpoint.Load: {path} holds no optimizer state.");
                optimizer.LoadStateDict(OptimizerStateDict.FromTensorsAndJson(checkpoint.OptimizerTensors, json));
            }
            if (scheduler != null)
            {
                string json = checkpoint.SchedulerJson
                    ?? throw new InvalidDataException($"Checkpoint.Load: {path} holds no scheduler state.");
                scheduler.LoadStateDict(StateJson.Deserialize(json));
            }
            if (restoreRng && checkpoint.RngState != null)
            {
                Tensor.SetRngState(checkpoint.RngState);
            }
            return checkpoint;
        }
    }
}
