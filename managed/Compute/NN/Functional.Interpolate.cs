using System;
using Compute.Native;

namespace Compute.NN
{
    public static partial class Functional
    {
        // PyTorch's mode strings -> cmp_interpolate_mode, checked against the input's rank.
        private static int InterpolateMode(string mode, int nspatial)
        {
            ArgumentNullException.ThrowIfNull(mode);
            string linear = nspatial switch { 1 => "linear", 2 => "bilinear", _ => "trilinear" };
            if (mode == "nearest") return 0;
            if (mode == "nearest-exact") return 1;
            if (mode == linear) return 2;
            if (mode is "linear" or "bilinear" or "trilinear")
            {
                throw new ArgumentException(
                    $"interpolate: mode '{mode}' needs a {(mode == "linear" ? 3 : mode == "bilinear" ? 4 : 5)}-D input, got {nspatial + 2}-D.",
                    nameof(mode));
            }
            throw new ArgumentException($"interpolate: unsupported mode '{mode}' (nearest, nearest-exact, linear, bilinear, trilinear).",
                                        nameof(mode));
        }

        private static double[] PoolPerDim(double[] values, int nspatial, string name)
        {
            if (values.Length == 1) return Array.ConvertAll(PoolFilled(nspatial, 0), _ => values[0]);
            if (values.Length != nspatial)
            {
                throw new ArgumentException($"{name} must have 1 or {nspatial} values, got {values.Length}.", name);
            }
            return values;
        }

        private static int InterpolateSpatialDims(Tensor input, string op)
        {
            long n = input.Dim - 2;
            if (n < 1 || n > 3)
            {
                throw new ArgumentException($"{op}: expected a 3-D to 5-D input [N, C, *spatial], got {input.Dim}-D.", nameof(input));
            }
            return (int)n;
        }

        /// <summary>
        /// Resizes the spatial dims of input [N, C, *spatial] (F.interpolate) to <paramref name="size"/>
        /// or by <paramref name="scaleFactor"/> (exactly one of them; one value applies to every dim).
        /// mode: "nearest" (PyTorch's legacy index rule), "nearest-exact", "linear" (3-D input),
        /// "bilinear" (4-D), "trilinear" (5-D). alignCorners applies to the linear modes only. With a
        /// scale factor the output is floor(in * scale), and unless recomputeScaleFactor the source
        /// coordinates use 1 / scale, as in PyTorch.
        /// </summary>
        public static Tensor Interpolate(Tensor input, long[]? size = null, double[]? scaleFactor = null, string mode = "nearest",
                                         bool? alignCorners = null, bool? recomputeScaleFactor = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            int n = InterpolateSpatialDims(input, "interpolate");
            int m = InterpolateMode(mode, n);
            if ((size is null) == (scaleFactor is null))
            {
                throw new ArgumentException("interpolate: exactly one of size and scaleFactor must be given.");
            }
            if (alignCorners is not null && m != 2)
            {
                throw new ArgumentException("interpolate: alignCorners can only be set with the linear modes (linear, bilinear, trilinear).",
                                            nameof(alignCorners));
            }
            if (recomputeScaleFactor == true && size is not null)
            {
                throw new ArgumentException("interpolate: recomputeScaleFactor is not meaningful with an explicit size.",
                                            nameof(recomputeScaleFactor));
            }
            long[]? s = size is null ? null : PoolPerDim(size, n, nameof(size), 0);
            double[]? f = scaleFactor is null ? null : PoolPerDim(scaleFactor, n, nameof(scaleFactor));
            return NNFormulas.Linear(Tensor.Own(NativeMethods.Interpolate(input.Handle, n, s is null ? default : s, f is null ? default : f, m,
                                                        alignCorners == true ? 1 : 0, recomputeScaleFactor == true ? 1 : 0)),
                "InterpolateBackward0", input, x => Interpolate(x, size, scaleFactor, mode, alignCorners, recomputeScaleFactor),
                (g, x) => InterpolateBackward(g, x.Shape, scaleFactor, mode, alignCorners, recomputeScaleFactor));
        }

        /// <summary>Interpolate with one output size for every spatial dim.</summary>
        public static Tensor Interpolate(Tensor input, long size, string mode = "nearest", bool? alignCorners = null) =>
            Interpolate(input, new[] { size }, null, mode, alignCorners);

        /// <summary>Interpolate with one scale factor for every spatial dim.</summary>
        public static Tensor Interpolate(Tensor input, double scaleFactor, string mode = "nearest", bool? alignCorners = null,
                                         bool? recomputeScaleFactor = null) =>
            Interpolate(input, null, new[] { scaleFactor }, mode, alignCorners, recomputeScaleFactor);

        /// <summary>
        /// Samples input [N, C, H, W] at grid [N, H_out, W_out, 2] (x, y normalised to [-1, 1]) (F.grid_sample):
        /// mode "bilinear" or "nearest", paddingMode "zeros", "border" or "reflection".
        /// </summary>
        public static Tensor GridSample(Tensor input, Tensor grid, string mode = "bilinear", string paddingMode = "zeros",
                                        bool? alignCorners = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(grid);
            if (AutocastRegion.Recast(AutocastOps.GridSample, input, grid) is { } cast)
            {
                return GridSample(cast.A, cast.B, mode, paddingMode, alignCorners);
            }
            return NNFormulas.GridSample(Tensor.Own(NativeMethods.GridSample(input.Handle, grid.Handle, GridMode(mode), GridPaddingMode(paddingMode),
                                                       alignCorners == true ? 1 : 0)), input, grid, mode, paddingMode, alignCorners);
        }

        private static int GridMode(string mode) => mode switch
        {
            "bilinear" => 0,
            "nearest" => 1,
            _ => throw new ArgumentException($"grid_sample: unsupported mode '{mode}' (bilinear, nearest).", nameof(mode)),
        };

        private static int GridPaddingMode(string paddingMode) => paddingMode switch
        {
            "zeros" => 0,
            "border" => 1,
            "reflection" => 2,
            _ => throw new ArgumentException($"grid_sample: unsupported paddingMode '{paddingMode}' (zeros, border, reflection).",
                                             nameof(paddingMode)),
        };

        // ---- backward kernels (internal: autograd, issue 4, wires them) ----------------------

        /// <summary>Gradient of Interpolate: inputSize is the input's shape; the other arguments as given to the forward.</summary>
        internal static Tensor InterpolateBackward(Tensor gradOutput, long[] inputSize, double[]? scaleFactor, string mode,
                                                   bool? alignCorners = null, bool? recomputeScaleFactor = null)
        {
            int n = inputSize.Length - 2;
            double[]? f = scaleFactor is null ? null : PoolPerDim(scaleFactor, n, nameof(scaleFactor));
            return Tensor.Own(NativeMethods.InterpolateBackward(gradOutput.Handle, inputSize, inputSize.Length,
                                                                f is null ? default : f, InterpolateMode(mode, n),
                                                                alignCorners == true ? 1 : 0, recomputeScaleFactor == true ? 1 : 0));
        }

        /// <summary>Gradients of GridSample with respect to input and grid.</summary>
        internal static (Tensor GradInput, Tensor GradGrid) GridSampleBackward(Tensor gradOutput, Tensor input, Tensor grid,
                                                                               string mode = "bilinear", string paddingMode = "zeros",
                                                                               bool? alignCorners = null)
        {
            NativeMethods.GridSampleBackward(gradOutput.Handle, input.Handle, grid.Handle, GridMode(mode), GridPaddingMode(paddingMode),
                                             alignCorners == true ? 1 : 0, out TensorHandle gi, out TensorHandle gg);
            return OwnPoolPair(gi, gg);
        }
    }
}
