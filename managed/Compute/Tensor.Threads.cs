using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>
        /// Sets how many threads the CPU kernels split one op across (torch.set_num_threads).
        /// The pool starts with one thread per logical CPU, or <c>COMPUTE_NUM_THREADS</c> when that
        /// environment variable is set; tiny tensors stay on the calling thread whatever the count.
        /// Results of reductions and products do not depend on it.
        /// </summary>
        /// <param name="numThreads">At least 1.</param>
        /// <exception cref="System.ArgumentException"><paramref name="numThreads"/> is less than 1.</exception>
        public static void SetNumThreads(int numThreads) => NativeMethods.SetNumThreads(numThreads);

        /// <summary>The number of threads the CPU kernels split one op across (torch.get_num_threads).</summary>
        public static int GetNumThreads() => NativeMethods.GetNumThreads();
    }
}
