using System;

namespace Compute.NN
{
    public static partial class Init
    {
        /// <summary>
        /// Fills <paramref name="tensor"/> (2 or more dims, flattened to [size(0), rest]) with a
        /// (semi-)orthogonal matrix times <paramref name="gain"/> (orthogonal_): the Q factor of
        /// the QR decomposition of a N(0, 1) matrix, with the signs PyTorch fixes (R's diagonal
        /// made positive), so Q is uniformly distributed.
        /// </summary>
        /// <remarks>
        /// The library has no QR op yet, so the decomposition runs here in C# (Householder
        /// reflections on float64, O(rows × cols × min(rows, cols)) on the CPU): fine for
        /// initialisation, not meant as a linear-algebra routine.
        /// </remarks>
        /// <exception cref="ArgumentException">The tensor has fewer than 2 dims.</exception>
        public static Tensor OrthogonalInPlace(Tensor tensor, double gain = 1)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            RequireFloating(tensor, nameof(OrthogonalInPlace));
            if (tensor.Dim < 2)
            {
                throw new ArgumentException(
                    $"OrthogonalInPlace: only tensors with 2 or more dimensions are supported; got shape {Tensor.FormatShape(tensor.ShapeCached)}.",
                    nameof(tensor));
            }
            if (tensor.NumberOfElements == 0)
            {
                return tensor;
            }
            long rows = tensor.Size(0), cols = tensor.NumberOfElements / rows;
            bool wide = rows < cols;
            int m = (int)(wide ? cols : rows), n = (int)(wide ? rows : cols);
            double[] a;
            using (Autograd.NoGrad())
            using (TensorScope.Begin())
            {
                Tensor draw = Tensor.Empty([rows, cols], tensor.DType, tensor.Device).NormalInPlace();
                a = (wide ? draw.T : draw).Contiguous().To(DType.Float64).To(Device.Cpu).ToArray<double>();
            }
            double[] q = HouseholderQ(a, m, n);
            using (Autograd.NoGrad())
            using (TensorScope.Begin())
            {
                Tensor result = Tensor.From(q, m, n);
                if (wide)
                {
                    result = result.T;
                }
                tensor.CopyFrom(result.MulInPlace(gain).Reshape(tensor.Shape));
            }
            return tensor;
        }

        /// <summary>
        /// The m x n Q factor (row-major, m >= n) of the row-major m x n matrix <paramref name="a"/>
        /// (overwritten), with each column multiplied by the sign of R's diagonal entry.
        /// </summary>
        private static double[] HouseholderQ(double[] a, int m, int n)
        {
            var vs = new double[n][];
            var signs = new double[n];
            for (int k = 0; k < n; k++)
            {
                double norm = 0;
                for (int i = k; i < m; i++)
                {
                    norm += a[i * n + k] * a[i * n + k];
                }
                norm = Math.Sqrt(norm);
                double x0 = a[k * n + k];
                // alpha = -sign(x0) ||x|| avoids cancellation in v = x - alpha e1; R[k, k] = alpha.
                double alpha = x0 >= 0 ? -norm : norm;
                signs[k] = Math.Sign(alpha);
                var v = new double[m - k];
                for (int i = k; i < m; i++)
                {
                    v[i - k] = a[i * n + k];
                }
                v[0] -= alpha;
                double vnorm = 0;
                foreach (double x in v)
                {
                    vnorm += x * x;
                }
                vnorm = Math.Sqrt(vnorm);
                if (vnorm > 0)
                {
                    for (int i = 0; i < v.Length; i++)
                    {
                        v[i] /= vnorm;
                    }
                    Reflect(a, n, k, k, v);
                }
                vs[k] = v;
            }
            // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
            var q = new double[m * n];
            for (int i = 0; i < n; i++)
            {
                q[i * n + i] = 1;
            }
            for (int k = n - 1; k >= 0; k--)
            {
                Reflect(q, n, k, 0, vs[k]);
            }
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    q[i * n + j] *= signs[j];
                }
            }
            return q;
        }

        /// <summary>Applies I - 2 v vᵀ to rows k.. and columns from <paramref name="col0"/> of the row-major matrix with <paramref name="n"/> columns.</summary>
        private static void Reflect(double[] matrix, int n, int k, int col0, double[] v)
        {
            for (int j = col0; j < n; j++)
            {
                double dot = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    dot += v[i] * matrix[(k + i) * n + j];
                }
                if (dot != 0)
                {
                    for (int i = 0; i < v.Length; i++)
                    {
                        matrix[(k + i) * n + j] -= 2 * dot * v[i];
                    }
                }
            }
        }
    }
}
