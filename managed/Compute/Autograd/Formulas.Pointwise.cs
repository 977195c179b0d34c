using System;
using Compute.Native;

namespace Compute
{
    // Backward formulas of the pointwise ops (unary math, activations, binary and ternary
    // math), following PyTorch's derivatives.yaml so gradients match it at every point,
    // subgradient conventions included. Every formula is built from recorded tensor ops, so a
    // backward with createGraph differentiates it again (double backward).
    public partial class Tensor
    {
        /// <summary>Records a unary op whose derivative reads its input: grad_in = backward(grad, x).</summary>
        private Tensor RecordUnary(Tensor result, string name, Func<Tensor, Tensor, Tensor> backward) =>
            Recorder.Record(result, name, [this], [this], ctx => [backward(ctx.Grad, ctx.Saved(0))]);

        /// <summary>Records a unary op whose derivative reads its result: grad_in = backward(grad, y).</summary>
        private Tensor RecordUnaryOfResult(Tensor result, string name, Func<Tensor, Tensor, Tensor> backward) =>
            Recorder.Record(result, name, [this], [result], ctx => [backward(ctx.Grad, ctx.Saved(0))]);

        /// <summary>
        /// Records an op that is piecewise constant in all its inputs (floor, sign, div with a
        /// rounding mode): PyTorch gives zero gradients, not an error, and so do we.
        /// </summary>
        private static Tensor RecordZeroGrad(Tensor result, string name, Tensor?[] inputs) =>
            Recorder.Record(result, name, inputs, null, ctx =>
            {
                var grads = new Tensor?[inputs.Length];
                for (int i = 0; i < grads.Length; i++)
                {
                    grads[i] = ctx.Needs(i) ? Zeros(ctx.InputShape(i), ctx.InputDType(i)) : null;
                }
                return grads;
            });

        /// <summary>
        /// Records an op PyTorch has no derivative for: the forward works, a backward through it
        /// fails by name rather than returning a gradient that is silently missing.
        /// </summary>
        private static Tensor RecordNotDifferentiable(Tensor result, string name, Tensor?[] inputs, string why) =>
            Recorder.Record(result, name, inputs, null,
                _ => throw new NotSupportedException($"{name}: the derivative is not implemented ({why})."));

        /// <summary>grad where <paramref name="keep"/> holds and 0 elsewhere: PyTorch's where(mask, grad, 0).</summary>
        private static Tensor GradWhere(Tensor keep, Tensor grad) => Where(keep, grad, 0);

        /// <summary>grad with 0 where <paramref name="drop"/> holds: PyTorch's grad.masked_fill(mask, 0).</summary>
        private static Tensor GradDrop(Tensor grad, Tensor drop) => grad.MaskedFill(drop, 0);

        // The activation derivatives below have two forms. A first-order backward (grad mode off
        // inside it) calls the fused native kernel (cmp_<op>_backward: one pass instead of one
        // pass and one allocation per tensor op); a backward recorded with createGraph builds the
        // same formula from tensor ops, so it can be differentiated again. The two agree, NaN
        // inputs included (both follow PyTorch's kernels). The kernels take CPU tensors of one
        // dtype and shape; anything else (a CUDA tensor, a gradient of another dtype) takes the
        // composition, which handles it.

        /// <summary>Whether this activation backward can use its fused native kernel.</summary>
        private static bool FusedActivationBackward(Tensor grad, Tensor x) =>
            !Autograd.IsGradEnabled && grad.DType == x.DType && Hooks.ShapesEqual(grad.ShapeCached, x.ShapeCached) &&
            x.Device.Type == DeviceType.Cpu && grad.Device.Type == DeviceType.Cpu;

        // hardtanh (and relu6 = hardtanh(0, 6)): the gradient passes strictly inside the bounds
        // (PyTorch drops it at and beyond them, so a NaN input passes it).
        private static Tensor HardtanhBackward(Tensor grad, Tensor x, double minVal, double maxVal) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.HardtanhBackward(grad.Handle, x.Handle, minVal, maxVal))
                : GradDrop(grad, x.Le(minVal).LogicalOr(x.Ge(maxVal)));

        // elu with PyTorch's (alpha, scale, input_scale) parameterisation, shared by elu, selu
        // and celu: scale on the positive side (and for NaN, as PyTorch), alpha scale input_scale
        // e^(x input_scale) at and below 0.
        private static Tensor EluBackward(Tensor grad, Tensor x, double alpha, double scale, double inputScale) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.EluBackward(grad.Handle, x.Handle, alpha, scale, inputScale))
                : Where(x.Le(0), grad * inputScale * (alpha * scale) * (x * inputScale).Exp(), grad * scale);

        private const double Ln2 = 0.69314718055994530942;
        private const double Ln10 = 2.30258509299404568402;
        private const double TwoOverSqrtPi = 1.1283791670955125739;
        private const double SqrtPiOverTwo = 0.88622692545275801365;

        // The SELU constants PyTorch uses.
        private const double SeluAlpha = 1.6732632423543772848170429916717;
        private const double SeluScale = 1.0507009873554804934193349852946;

        // gelu: exact is Phi(x) + x phi(x); "tanh" differentiates PyTorch's tanh approximation.
        private static Tensor GeluBackward(Tensor grad, Tensor x, string approximate)
        {
            if (FusedActivationBackward(grad, x))
            {
                return Own(NativeMethods.GeluBackward(grad.Handle, x.Handle, approximate == "tanh" ? 1 : 0));
            }
            if (approximate == "tanh")
            {
                const double beta = 0.79788456080286535587989211986876; // sqrt(2 / pi)
                const double kappa = 0.044715;
                Tensor t = ((x + x * x * x * kappa) * beta).Tanh();
                Tensor inner = (x * x * (3 * kappa) + 1) * beta;
                return grad * ((t + 1) * 0.5 + x * 0.5 * (1 - t * t) * inner);
            }
            Tensor cdf = ((x * 0.70710678118654752440).Erf() + 1) * 0.5;
            Tensor pdf = (x * x * -0.5).Exp() * 0.39894228040143267793994605993438; // 1 / sqrt(2 pi)
            return grad * (cdf + x * pdf);
        }

        // mish: tanh(softplus(x)) + x sigmoid(x) (1 - tanh(softplus(x))^2).
        private static Tensor MishBackward(Tensor grad, Tensor x)
        {
            if (FusedActivationBackward(grad, x))
            {
                return Own(NativeMethods.MishBackward(grad.Handle, x.Handle));
            }
            Tensor t = x.Softplus().Tanh();
            return grad * (t + x * x.Sigmoid() * (1 - t * t));
        }

        // hardswish: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above (PyTorch's branch points).
        private static Tensor HardswishBackward(Tensor grad, Tensor x) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.HardswishBackward(grad.Handle, x.Handle)) : Where(x.Lt(-3), 0, Where(x.Le(3), grad * (x / 3 + 0.5), grad));

        // silu: s (1 + x (1 - s)), s = sigmoid(x).
        private static Tensor SiluBackward(Tensor grad, Tensor x) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.SiluBackward(grad.Handle, x.Handle))
                : grad * x.Sigmoid() * (1 + x * (1 - x.Sigmoid()));

        // softplus: sigmoid(beta x); above the threshold the forward is linear (x itself), so the
        // gradient passes unchanged.
        private static Tensor SoftplusBackward(Tensor grad, Tensor x, double beta, double threshold) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.SoftplusBackward(grad.Handle, x.Handle, beta, threshold))
                : Where((x * beta).Gt(threshold), grad, grad * (x * beta).Sigmoid());

        // hardsigmoid: 1/6 strictly inside (-3, 3), 0 elsewhere (NaN included).
        private static Tensor HardsigmoidBackward(Tensor grad, Tensor x) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.HardsigmoidBackward(grad.Handle, x.Handle))
                : GradWhere(x.Gt(-3).LogicalAnd(x.Lt(3)), grad / 6);

        // logsigmoid: sigmoid(-x).
        private static Tensor LogSigmoidBackward(Tensor grad, Tensor x) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.LogsigmoidBackward(grad.Handle, x.Handle)) : grad * (-x).Sigmoid();

        // leaky_relu: 1 where x > 0, the slope elsewhere (NaN included).
        private static Tensor LeakyReluBackward(Tensor grad, Tensor x, double negativeSlope) =>
            FusedActivationBackward(grad, x) ? Own(NativeMethods.LeakyReluBackward(grad.Handle, x.Handle, negativeSlope))
                : Where(x.Gt(0), grad, grad * negativeSlope);

        // sigmoid and tanh from their result y: (1 - y) y and 1 - y^2.
        private static Tensor SigmoidBackward(Tensor grad, Tensor y) =>
            FusedActivationBackward(grad, y) ? Own(NativeMethods.SigmoidBackward(grad.Handle, y.Handle)) : grad * (1 - y) * y;

        private static Tensor TanhBackward(Tensor grad, Tensor y) =>
            FusedActivationBackward(grad, y) ? Own(NativeMethods.TanhBackward(grad.Handle, y.Handle)) : grad * (1 - y * y);

        // logit: 1 / (x (1 - x)); without eps, NaN outside [0, 1]; with eps, 0 outside
        // [eps, 1 - eps], where the forward clamped.
        private static Tensor LogitBackward(Tensor grad, Tensor x, double? eps)
        {
            double lo = eps ?? 0.0, hi = 1.0 - lo;
            Tensor inside = x.Ge(lo).LogicalAnd(x.Le(hi));
            return Where(inside, grad / (x * (1 - x)), eps is null ? double.NaN : 0.0);
        }

        // clamp with number bounds: the gradient passes where x lies within the bounds (ends included).
        private static Tensor ClampBackward(Tensor grad, Tensor x, Scalar? min, Scalar? max)
        {
            Tensor? keep = min is Scalar lo ? x.Ge(lo) : null;
            if (max is Scalar hi)
            {
                keep = keep is null ? x.Le(hi) : keep.LogicalAnd(x.Le(hi));
            }
            return GradWhere(keep!, grad);
        }

        // clamp with tensor bounds (PyTorch's clamp_backward_min_max): x gets the gradient where
        // it lies within the bounds; min where x fell below it (and min < max); max where x rose
        // above it or the bounds cross (max wins then).
        private static Tensor?[] ClampTensorBackward(BackwardContext ctx, bool hasMin, bool hasMax)
        {
            Tensor g = ctx.Grad, x = ctx.Saved(0);
            Tensor? min = hasMin ? ctx.Saved(1) : null, max = hasMax ? ctx.Saved(hasMin ? 2 : 1) : null;
            Tensor?[] grads = new Tensor?[3];
            if (min is not null && max is not null)
            {
                grads[0] = ctx.Needs(0) ? GradWhere(x.Ge(min).LogicalAnd(x.Le(max)), g) : null;
                grads[1] = ctx.Needs(1) ? GradWhere(x.Lt(min).LogicalAnd(min.Lt(max)), g) : null;
                grads[2] = ctx.Needs(2) ? GradWhere(x.Gt(max).LogicalOr(max.Lt(min)), g) : null;
            }
            else if (min is not null)
            {
                grads[0] = ctx.Needs(0) ? GradWhere(x.Ge(min), g) : null;
                grads[1] = ctx.Needs(1) ? GradWhere(x.Lt(min), g) : null;
            }
            else
            {
                grads[0] = ctx.Needs(0) ? GradWhere(x.Le(max!), g) : null;
                grads[2] = ctx.Needs(2) ? GradWhere(x.Gt(max!), g) : null;
            }
            return grads;
        }

        // pow(tensor, tensor): d/dx = e x^(e-1) (0 where e == 0, so 0^-1 never shows);
        // d/de = x^e log x, taken as 0 where x == 0 and e >= 0 (the limit PyTorch uses).
        private static Tensor?[] PowTensorBackward(BackwardContext ctx)
        {
            Tensor g = ctx.Grad, x = ctx.Saved(0), e = ctx.Saved(1);
            Tensor? gx = ctx.Needs(0) ? Where(e.Eq(0), 0, g * (e * x.Pow(e - 1))) : null;
            Tensor? ge = null;
            if (ctx.Needs(1))
            {
                Tensor result = ctx.Saved(2);
                ge = g * Where(x.Eq(0).LogicalAnd(e.Ge(0)), 0, result * x.Log());
            }
            return [gx, ge];
        }

        // pow(number, tensor): d/de = base^e log(base); for a zero base, 0 where e >= 0.
        private static Tensor PowNumberBaseBackward(Tensor grad, Scalar baseValue, Tensor e, Tensor result)
        {
            double b = baseValue.ToDouble();
            return b == 0 ? grad * Where(e.Ge(0), 0, result * Math.Log(b)) : grad * (result * Math.Log(b));
        }

        // maximum/minimum: the gradient goes to the larger (smaller) input, split half and half
        // on ties (PyTorch's convention, so that maximum(x, x) has gradient 1 in total).
        private static Tensor?[] MaxMinBackward(BackwardContext ctx, bool isMax)
        {
            Tensor g = ctx.Grad, x = ctx.Saved(0), y = ctx.Saved(1);
            Tensor shared = Where(x.Eq(y), g / 2, g);
            return [ctx.Needs(0) ? GradDrop(shared, isMax ? x.Lt(y) : x.Gt(y)) : null,
                ctx.Needs(1) ? GradDrop(shared, isMax ? x.Gt(y) : x.Lt(y)) : null];
        }

        // fmax/fmin: no tie splitting; x takes the gradient where it wins or ties, or where y is NaN.
        private static Tensor?[] FmaxFminBackward(BackwardContext ctx, bool isMax)
        {
            Tensor g = ctx.Grad, x = ctx.Saved(0), y = ctx.Saved(1);
            Tensor selfWins = (isMax ? x.Ge(y) : x.Le(y)).LogicalOr(y.IsNan());
            return [ctx.Needs(0) ? GradDrop(g, selfWins.LogicalNot()) : null, ctx.Needs(1) ? GradDrop(g, selfWins) : null];
        }

        // remainder/fmod: x - q y with q piecewise constant (floor or trunc of x / y).
        private static Tensor?[] RemainderBackward(BackwardContext ctx, string rounding) =>
            [ctx.Needs(0) ? ctx.Grad : null, ctx.Needs(1) ? -ctx.Grad * ctx.Saved(0).Div(ctx.Saved(1), rounding) : null];

        // copysign: result / x (±1), taken as 0 where x == 0.
        private static Tensor CopysignBackward(Tensor grad, Tensor x, Tensor result) =>
            grad * GradDrop(result / x, x.Eq(0));

        // atan2(y, x) with y = this: d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2).
        private static Tensor?[] Atan2Backward(Tensor grad, Tensor self, Tensor other, bool needSelf, bool needOther)
        {
            Tensor recip = (self * self + other * other).Reciprocal();
            return [needSelf ? grad * other * recip : null, needOther ? grad * -self * recip : null];
        }
    }
}
