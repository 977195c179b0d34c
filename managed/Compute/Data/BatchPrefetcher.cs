using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Compute.Data
{
    /// <summary>
    /// Runs a loader's batch jobs, inline or on worker threads, and hands the batches over in job
    /// order. Jobs are enumerated on the consumer's thread only (samplers may draw from the
    /// default generator, whose draws must stay in program order); job i runs on worker
    /// i % workers, and at most workers * prefetchFactor jobs are in flight.
    /// </summary>
    internal sealed class BatchPrefetcher<TBatch>
    {
        private readonly IEnumerable<Func<TBatch>> _jobs;
        private readonly int _workers;
        private readonly int _prefetchFactor;

        internal BatchPrefetcher(IEnumerable<Func<TBatch>> jobs, int workers, int prefetchFactor)
        {
            _jobs = jobs;
            _workers = workers;
            _prefetchFactor = prefetchFactor;
        }

        private readonly record struct Result(TBatch Batch, List<Tensor> Owned, Exception? Error);

        /// <summary>Runs each job on the caller's thread when its batch is asked for.</summary>
        internal static IEnumerator<TBatch> Inline(IEnumerable<Func<TBatch>> jobs)
        {
            foreach (Func<TBatch> job in jobs)
            {
                yield return RunJob(job, out _);
            }
        }

        /// <summary>
        /// Runs a job in its own scope: what it creates besides the batch is freed now; the batch's
        /// tensors created here are kept (moving to the enclosing scope, if any) and listed in
        /// <paramref name="owned"/>.
        /// </summary>
        private static TBatch RunJob(Func<TBatch> job, out List<Tensor> owned)
        {
            using var scope = TensorScope.Begin();
            TBatch batch = job();
            var tensors = new List<Tensor>();
            Collate.CollectTensors(batch, tensors);
            owned = new List<Tensor>(tensors.Count);
            foreach (Tensor t in tensors)
            {
                if (scope.KeepIfCreatedHere(t))
                {
                    owned.Add(t);
                }
            }
            return batch;
        }

        /// <summary>Starts the workers at the first MoveNext; disposing the enumerator stops them.</summary>
        internal IEnumerator<TBatch> Run()
        {
            var inputs = new BlockingCollection<Func<TBatch>>[_workers];
            var outputs = new BlockingCollection<Result>[_workers];
            var threads = new Thread[_workers];
            using var stop = new CancellationTokenSource();
            for (int w = 0; w < _workers; w++)
            {
                inputs[w] = new BlockingCollection<Func<TBatch>>();
                outputs[w] = new BlockingCollection<Result>();
                var input = inputs[w];
                var output = outputs[w];
                threads[w] = new Thread(() => Work(input, output, stop.Token))
                {
                    IsBackground = true,
                    Name = $"DataLoader worker {w}",
                };
                threads[w].Start();
            }
            IEnumerator<Func<TBatch>> jobs = _jobs.GetEnumerator();
            long dispatched = 0, taken = 0;
            long inFlight = (long)_workers * _prefetchFactor;
            bool exhausted = false;
            try
            {
                while (true)
                {
                    while (!exhausted && dispatched - taken < inFlight)
                    {
                        if (jobs.MoveNext())
                        {
                            inputs[dispatched % _workers].Add(jobs.Current);
                            dispatched++;
                        }
                        else
                        {
                            exhausted = true;
                        }
                    }
                    if (taken == dispatched)
                    {
                        yield break;
                    }
                    Result result = outputs[taken % _workers].Take();
                    taken++;
                    if (result.Error != null)
                    {
                        // The dataset's or collate function's own exception, with the worker's stack trace.
                        ExceptionDispatchInfo.Throw(result.Error);
                    }
                    // The worker had no scope to hand them to: the consumer's current scope owns them now.
                    foreach (Tensor t in result.Owned)
                    {
                        TensorScope.Register(t.Handle);
                    }
                    yield return result.Batch;
                }
            }
            finally
            {
                stop.Cancel();
                foreach (var input in inputs)
                {
                    input.CompleteAdding();
                }
                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
                // Batches built ahead but never taken (the loop was left early): free them now.
                foreach (var output in outputs)
                {
                    while (output.TryTake(out Result pending))
                    {
                        pending.Owned.ForEach(t => t.Dispose());
                    }
                    output.Dispose();
                }
                foreach (var input in inputs)
                {
                    input.Dispose();
                }
                jobs.Dispose();
            }
        }

        private static void Work(BlockingCollection<Func<TBatch>> input, BlockingCollection<Result> output, CancellationToken stop)
        {
            foreach (Func<TBatch> job in input.GetConsumingEnumerable())
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                Result result;
                try
                {
                    TBatch batch = RunJob(job, out List<Tensor> owned);
                    result = new Result(batch, owned, null);
                }
                catch (Exception e)
                {
                    result = new Result(default!, new List<Tensor>(), e);
                }
                output.Add(result);
            }
        }
    }
}
