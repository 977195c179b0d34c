using System;
using System.Runtime.CompilerServices;
using Compute.Native;

namespace Compute
{
    // Unary math and activations (the pointwise-unary family): one method per PyTorch op, named
    // by the naming map (torch.sqrt -> Sqrt, x.sqrt_() -> SqrtInPlace). The activations are also
    // on Compute.NN.Functional.
    public partial class Tensor
    {
        // An in-place unary op: the native kernel, or its out-of-place op recorded (see InPlace.cs).
        private Tensor ApplyInPlace(Action<TensorHandle> op, Func<Tensor> outOfPlace, [CallerMemberName] string name = "") =>
            RecordInPlace(name, op, outOfPlace);

        /// <summary>|x| (torch.abs); integer dtypes are kept.</summary>
        public Tensor Abs() =>
            Recorder.Record(Own(NativeMethods.Abs(Handle)), "AbsBackward0", [this], [this], static ctx => [ctx.Grad * ctx.Saved(0).Sign()]);

        /// <summary>In-place Abs (abs_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AbsInPlace() => ApplyInPlace(NativeMethods.AbsInPlace, () => Abs());

        /// <summary>-1, 0 or 1 by the sign of each element (torch.sign); 0 for NaN.</summary>
        public Tensor Sign() => RecordZeroGrad(Own(NativeMethods.Sign(Handle)), "SignBackward0", [this]);

        /// <summary>In-place Sign (sign_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SignInPlace() => ApplyInPlace(NativeMethods.SignInPlace, () => Sign());

        /// <summary>Square root (torch.sqrt); integer inputs give float32.</summary>
        public Tensor Sqrt()
        {
            Tensor result = Own(NativeMethods.Sqrt(Handle));
            return Recorder.Record(result, "SqrtBackward0", [this], [result], static ctx => [ctx.Grad / (ctx.Saved(0) * 2)]);
        }

        /// <summary>In-place Sqrt (sqrt_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SqrtInPlace() => ApplyInPlace(NativeMethods.SqrtInPlace, () => Sqrt());

        /// <summary>1 / sqrt(x) (torch.rsqrt); integer inputs give float32.</summary>
        public Tensor Rsqrt() =>
            AutocastRegion.Recast(AutocastOps.Rsqrt, this)?.Rsqrt() ??
            RecordUnaryOfResult(Own(NativeMethods.Rsqrt(Handle)), "RsqrtBackward0", static (g, y) => -0.5 * g * y.Pow(3));

        /// <summary>In-place Rsqrt (rsqrt_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor RsqrtInPlace() => ApplyInPlace(NativeMethods.RsqrtInPlace, () => Rsqrt());

        /// <summary>x * x (torch.square); integer dtypes are kept, bool gives int64.</summary>
        public Tensor Square() =>
            Recorder.Record(Own(NativeMethods.Square(Handle)), "PowBackward0", [this], [this], static ctx => [PowScalarBackward(ctx, 2)]);

        /// <summary>In-place Square (square_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SquareInPlace() => ApplyInPlace(NativeMethods.SquareInPlace, () => Square());

        /// <summary>2^x (torch.exp2); integer inputs give float32.</summary>
        public Tensor Exp2() =>
            RecordUnaryOfResult(Own(NativeMethods.Exp2(Handle)), "Exp2Backward0", static (g, y) => g * y * Ln2);

        /// <summary>In-place Exp2 (exp2_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Exp2InPlace() => ApplyInPlace(NativeMethods.Exp2InPlace, () => Exp2());

        /// <summary>e^x - 1, accurate near 0 (torch.expm1); integer inputs give float32.</summary>
        public Tensor Expm1() =>
            AutocastRegion.Recast(AutocastOps.Expm1, this)?.Expm1() ??
            RecordUnaryOfResult(Own(NativeMethods.Expm1(Handle)), "Expm1Backward0", static (g, y) => g * (y + 1));

        /// <summary>In-place Expm1 (expm1_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Expm1InPlace() => ApplyInPlace(NativeMethods.Expm1InPlace, () => Expm1());

        /// <summary>Natural logarithm (torch.log); integer inputs give float32.</summary>
        public Tensor Log() =>
            AutocastRegion.Recast(AutocastOps.Log, this)?.Log() ??
            Recorder.Record(Own(NativeMethods.Log(Handle)), "LogBackward0", [this], [this], static ctx => [ctx.Grad / ctx.Saved(0)]);

        /// <summary>In-place Log (log_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor LogInPlace() => ApplyInPlace(NativeMethods.LogInPlace, () => Log());

        /// <summary>Base-2 logarithm (torch.log2); integer inputs give float32.</summary>
        public Tensor Log2() =>
            AutocastRegion.Recast(AutocastOps.Log2, this)?.Log2() ??
            RecordUnary(Own(NativeMethods.Log2(Handle)), "Log2Backward0", static (g, x) => g / (x * Ln2));

        /// <summary>In-place Log2 (log2_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Log2InPlace() => ApplyInPlace(NativeMethods.Log2InPlace, () => Log2());

        /// <summary>Base-10 logarithm (torch.log10); integer inputs give float32.</summary>
        public Tensor Log10() =>
            AutocastRegion.Recast(AutocastOps.Log10, this)?.Log10() ??
            RecordUnary(Own(NativeMethods.Log10(Handle)), "Log10Backward0", static (g, x) => g / (x * Ln10));

        /// <summary>In-place Log10 (log10_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Log10InPlace() => ApplyInPlace(NativeMethods.Log10InPlace, () => Log10());

        /// <summary>log(1 + x), accurate near 0 (torch.log1p); integer inputs give float32.</summary>
        public Tensor Log1p() =>
            AutocastRegion.Recast(AutocastOps.Log1p, this)?.Log1p() ??
            RecordUnary(Own(NativeMethods.Log1p(Handle)), "Log1PBackward0", static (g, x) => g / (x + 1));

        /// <summary>In-place Log1p (log1p_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Log1pInPlace() => ApplyInPlace(NativeMethods.Log1pInPlace, () => Log1p());

        /// <summary>Sine (torch.sin); integer inputs give float32.</summary>
        public Tensor Sin() =>
            Recorder.Record(Own(NativeMethods.Sin(Handle)), "SinBackward0", [this], [this], static ctx => [ctx.Grad * ctx.Saved(0).Cos()]);

        /// <summary>In-place Sin (sin_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SinInPlace() => ApplyInPlace(NativeMethods.SinInPlace, () => Sin());

        /// <summary>Cosine (torch.cos); integer inputs give float32.</summary>
        public Tensor Cos() =>
            Recorder.Record(Own(NativeMethods.Cos(Handle)), "CosBackward0", [this], [this], static ctx => [-ctx.Grad * ctx.Saved(0).Sin()]);

        /// <summary>In-place Cos (cos_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor CosInPlace() => ApplyInPlace(NativeMethods.CosInPlace, () => Cos());

        /// <summary>Tangent (torch.tan); integer inputs give float32.</summary>
        public Tensor Tan() =>
            AutocastRegion.Recast(AutocastOps.Tan, this)?.Tan() ??
            RecordUnaryOfResult(Own(NativeMethods.Tan(Handle)), "TanBackward0", static (g, y) => g * (1 + y.Pow(2)));

        /// <summary>In-place Tan (tan_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor TanInPlace() => ApplyInPlace(NativeMethods.TanInPlace, () => Tan());

        /// <summary>Arcsine (torch.asin); integer inputs give float32.</summary>
        public Tensor Asin() =>
            AutocastRegion.Recast(AutocastOps.Asin, this)?.Asin() ??
            RecordUnary(Own(NativeMethods.Asin(Handle)), "AsinBackward0", static (g, x) => g * (-x * x + 1).Rsqrt());

        /// <summary>In-place Asin (asin_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AsinInPlace() => ApplyInPlace(NativeMethods.AsinInPlace, () => Asin());

        /// <summary>Arccosine (torch.acos); integer inputs give float32.</summary>
        public Tensor Acos() =>
            AutocastRegion.Recast(AutocastOps.Acos, this)?.Acos() ??
            RecordUnary(Own(NativeMethods.Acos(Handle)), "AcosBackward0", static (g, x) => g * -(-x * x + 1).Rsqrt());

        /// <summary>In-place Acos (acos_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AcosInPlace() => ApplyInPlace(NativeMethods.AcosInPlace, () => Acos());

        /// <summary>Arctangent (torch.atan); integer inputs give float32.</summary>
        public Tensor Atan() =>
            RecordUnary(Own(NativeMethods.Atan(Handle)), "AtanBackward0", static (g, x) => g / (x * x + 1));

        /// <summary>In-place Atan (atan_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AtanInPlace() => ApplyInPlace(NativeMethods.AtanInPlace, () => Atan());

        /// <summary>Hyperbolic sine (torch.sinh); integer inputs give float32.</summary>
        public Tensor Sinh() =>
            AutocastRegion.Recast(AutocastOps.Sinh, this)?.Sinh() ??
            RecordUnary(Own(NativeMethods.Sinh(Handle)), "SinhBackward0", static (g, x) => g * x.Cosh());

        /// <summary>In-place Sinh (sinh_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SinhInPlace() => ApplyInPlace(NativeMethods.SinhInPlace, () => Sinh());

        /// <summary>Hyperbolic cosine (torch.cosh); integer inputs give float32.</summary>
        public Tensor Cosh() =>
            AutocastRegion.Recast(AutocastOps.Cosh, this)?.Cosh() ??
            RecordUnary(Own(NativeMethods.Cosh(Handle)), "CoshBackward0", static (g, x) => g * x.Sinh());

        /// <summary>In-place Cosh (cosh_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor CoshInPlace() => ApplyInPlace(NativeMethods.CoshInPlace, () => Cosh());

        /// <summary>Hyperbolic tangent (torch.tanh); integer inputs give float32.</summary>
        public Tensor Tanh()
        {
            Tensor result = Own(NativeMethods.Tanh(Handle));
            return Recorder.Record(result, "TanhBackward0", [this], [result], static ctx => [TanhBackward(ctx.Grad, ctx.Saved(0))]);
        }

        /// <summary>In-place Tanh (tanh_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor TanhInPlace() => ApplyInPlace(NativeMethods.TanhInPlace, () => Tanh());

        /// <summary>Inverse hyperbolic sine (torch.asinh); integer inputs give float32.</summary>
        public Tensor Asinh() =>
            RecordUnary(Own(NativeMethods.Asinh(Handle)), "AsinhBackward0", static (g, x) => g * (x.Pow(2) + 1).Rsqrt());

        /// <summary>In-place Asinh (asinh_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AsinhInPlace() => ApplyInPlace(NativeMethods.AsinhInPlace, () => Asinh());

        /// <summary>Inverse hyperbolic cosine (torch.acosh); integer inputs give float32.</summary>
        public Tensor Acosh() =>
            RecordUnary(Own(NativeMethods.Acosh(Handle)), "AcoshBackward0", static (g, x) => g * (x.Pow(2) - 1).Rsqrt());

        /// <summary>In-place Acosh (acosh_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AcoshInPlace() => ApplyInPlace(NativeMethods.AcoshInPlace, () => Acosh());

        /// <summary>Inverse hyperbolic tangent (torch.atanh); integer inputs give float32.</summary>
        public Tensor Atanh() =>
            RecordUnary(Own(NativeMethods.Atanh(Handle)), "AtanhBackward0", static (g, x) => g / (1 - x.Pow(2)));

        /// <summary>In-place Atanh (atanh_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor AtanhInPlace() => ApplyInPlace(NativeMethods.AtanhInPlace, () => Atanh());

        /// <summary>1 / (1 + e^-x) (torch.sigmoid); integer inputs give float32.</summary>
        public Tensor Sigmoid()
        {
            Tensor result = Own(NativeMethods.Sigmoid(Handle));
            return Recorder.Record(result, "SigmoidBackward0", [this], [result], static ctx => [SigmoidBackward(ctx.Grad, ctx.Saved(0))]);
        }

        /// <summary>In-place Sigmoid (sigmoid_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SigmoidInPlace() => ApplyInPlace(NativeMethods.SigmoidInPlace, () => Sigmoid());

        /// <summary>Error function (torch.erf); integer inputs give float32.</summary>
        public Tensor Erf() =>
            RecordUnary(Own(NativeMethods.Erf(Handle)), "ErfBackward0", static (g, x) => TwoOverSqrtPi * (-x.Pow(2)).Exp() * g);

        /// <summary>In-place Erf (erf_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor ErfInPlace() => ApplyInPlace(NativeMethods.ErfInPlace, () => Erf());

        /// <summary>Complementary error function (torch.erfc); integer inputs give float32.</summary>
        public Tensor Erfc() =>
            RecordUnary(Own(NativeMethods.Erfc(Handle)), "ErfcBackward0", static (g, x) => -TwoOverSqrtPi * (-x.Pow(2)).Exp() * g);

        /// <summary>In-place Erfc (erfc_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor ErfcInPlace() => ApplyInPlace(NativeMethods.ErfcInPlace, () => Erfc());

        /// <summary>Inverse error function (torch.erfinv); integer inputs give float32.</summary>
        public Tensor Erfinv() =>
            AutocastRegion.Recast(AutocastOps.Erfinv, this)?.Erfinv() ??
            RecordUnary(Own(NativeMethods.Erfinv(Handle)), "ErfinvBackward0", static (g, x) => SqrtPiOverTwo * x.Erfinv().Pow(2).Exp() * g);

        /// <summary>In-place Erfinv (erfinv_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor ErfinvInPlace() => ApplyInPlace(NativeMethods.ErfinvInPlace, () => Erfinv());

        /// <summary>log |Gamma(x)| (torch.lgamma); integer inputs give float32.</summary>
        public Tensor Lgamma() =>
            RecordUnary(Own(NativeMethods.Lgamma(Handle)), "LgammaBackward0", static (g, x) => g * x.Digamma());

        /// <summary>In-place Lgamma (lgamma_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor LgammaInPlace() => ApplyInPlace(NativeMethods.LgammaInPlace, () => Lgamma());

        /// <summary>Digamma function (torch.digamma); integer inputs give float32.</summary>
        public Tensor Digamma() =>
            RecordUnary(Own(NativeMethods.Digamma(Handle)), "DigammaBackward0", static (g, x) => g * x.Polygamma(1));

        /// <summary>In-place Digamma (digamma_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor DigammaInPlace() => ApplyInPlace(NativeMethods.DigammaInPlace, () => Digamma());

        /// <summary>
        /// The n-th derivative of digamma (x.polygamma(n), torch.polygamma(n, x)), n &gt;= 0: digamma
        /// for n = 0; +-infinity at 0 and the negative integers. Integer inputs give float32.
        /// </summary>
        public Tensor Polygamma(long n) =>
            RecordUnary(Own(NativeMethods.Polygamma(Handle, n)), "PolygammaBackward0", (g, x) => g * x.Polygamma(n + 1));

        /// <summary>torch.polygamma(n, input): see <see cref="Polygamma(long)"/>.</summary>
        public static Tensor Polygamma(long n, Tensor input) => NotNull(input).Polygamma(n);

        /// <summary>In-place Polygamma (polygamma_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor PolygammaInPlace(long n) => ApplyInPlace(h => NativeMethods.PolygammaInPlace(h, n), () => Polygamma(n));

        /// <summary>Rounds down (torch.floor); integer dtypes are kept.</summary>
        public Tensor Floor() => RecordZeroGrad(Own(NativeMethods.Floor(Handle)), "FloorBackward0", [this]);

        /// <summary>In-place Floor (floor_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor FloorInPlace() => ApplyInPlace(NativeMethods.FloorInPlace, () => Floor());

        /// <summary>Rounds up (torch.ceil); integer dtypes are kept.</summary>
        public Tensor Ceil() => RecordZeroGrad(Own(NativeMethods.Ceil(Handle)), "CeilBackward0", [this]);

        /// <summary>In-place Ceil (ceil_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor CeilInPlace() => ApplyInPlace(NativeMethods.CeilInPlace, () => Ceil());

        /// <summary>Rounds toward zero (torch.trunc); integer dtypes are kept.</summary>
        public Tensor Trunc() => RecordZeroGrad(Own(NativeMethods.Trunc(Handle)), "TruncBackward0", [this]);

        /// <summary>In-place Trunc (trunc_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor TruncInPlace() => ApplyInPlace(NativeMethods.TruncInPlace, () => Trunc());

        /// <summary>x - trunc(x) (torch.frac); floating dtypes only.</summary>
        public Tensor Frac() =>
            Recorder.Record(Own(NativeMethods.Frac(Handle)), "FracBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>In-place Frac (frac_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor FracInPlace() => ApplyInPlace(NativeMethods.FracInPlace, () => Frac());

        /// <summary>1 / x (torch.reciprocal); integer inputs give float32.</summary>
        public Tensor Reciprocal() =>
            AutocastRegion.Recast(AutocastOps.Reciprocal, this)?.Reciprocal() ??
            RecordUnaryOfResult(Own(NativeMethods.Reciprocal(Handle)), "ReciprocalBackward0", static (g, y) => -g * (y * y));

        /// <summary>In-place Reciprocal (reciprocal_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor ReciprocalInPlace() => ApplyInPlace(NativeMethods.ReciprocalInPlace, () => Reciprocal());

        /// <summary>max(x, 0) (torch.relu); integer dtypes are kept.</summary>
        public Tensor Relu()
        {
            Tensor result = Own(NativeMethods.Relu(Handle));
            return Recorder.Record(result, "ReluBackward0", [this], [result], static ctx => [ctx.Grad * ctx.Saved(0).Gt(0)]);
        }

        /// <summary>In-place Relu (relu_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor ReluInPlace() => ApplyInPlace(NativeMethods.ReluInPlace, () => Relu());

        /// <summary>min(max(x, 0), 6) (torch.nn.functional.relu6).</summary>
        public Tensor Relu6() =>
            RecordUnary(Own(NativeMethods.Relu6(Handle)), "HardtanhBackward0", static (g, x) => HardtanhBackward(g, x, 0, 6));

        /// <summary>In-place Relu6 (relu6_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Relu6InPlace() => ApplyInPlace(NativeMethods.Relu6InPlace, () => Relu6());

        /// <summary>x * sigmoid(x) (torch.nn.functional.silu).</summary>
        public Tensor Silu() =>
            RecordUnary(Own(NativeMethods.Silu(Handle)), "SiluBackward0", static (g, x) => SiluBackward(g, x));

        /// <summary>In-place Silu (silu_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SiluInPlace() => ApplyInPlace(NativeMethods.SiluInPlace, () => Silu());

        /// <summary>x * tanh(softplus(x)) (torch.nn.functional.mish).</summary>
        public Tensor Mish() =>
            RecordUnary(Own(NativeMethods.Mish(Handle)), "MishBackward0", static (g, x) => MishBackward(g, x));

        /// <summary>In-place Mish (mish_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor MishInPlace() => ApplyInPlace(NativeMethods.MishInPlace, () => Mish());

        /// <summary>SELU activation (torch.selu).</summary>
        public Tensor Selu() =>
            RecordUnary(Own(NativeMethods.Selu(Handle)), "EluBackward0", static (g, x) => EluBackward(g, x, SeluAlpha, SeluScale, 1));

        /// <summary>In-place Selu (selu_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor SeluInPlace() => ApplyInPlace(NativeMethods.SeluInPlace, () => Selu());

        /// <summary>min(max(x/6 + 1/2, 0), 1) (torch.nn.functional.hardsigmoid).</summary>
        public Tensor Hardsigmoid() =>
            RecordUnary(Own(NativeMethods.Hardsigmoid(Handle)), "HardsigmoidBackward0", static (g, x) => HardsigmoidBackward(g, x));

        /// <summary>In-place Hardsigmoid (hardsigmoid_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor HardsigmoidInPlace() => ApplyInPlace(NativeMethods.HardsigmoidInPlace, () => Hardsigmoid());

        /// <summary>x * hardsigmoid(x) (torch.nn.functional.hardswish).</summary>
        public Tensor Hardswish() =>
            RecordUnary(Own(NativeMethods.Hardswish(Handle)), "HardswishBackward0", static (g, x) => HardswishBackward(g, x));

        /// <summary>In-place Hardswish (hardswish_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor HardswishInPlace() => ApplyInPlace(NativeMethods.HardswishInPlace, () => Hardswish());

        /// <summary>log(sigmoid(x)) without overflow (torch.nn.functional.logsigmoid).</summary>
        public Tensor LogSigmoid() =>
            RecordUnary(Own(NativeMethods.Logsigmoid(Handle)), "LogSigmoidBackward0", static (g, x) => LogSigmoidBackward(g, x));

        /// <summary>~x for integers, logical not for bool (torch.bitwise_not).</summary>
        public Tensor BitwiseNot() => Own(NativeMethods.BitwiseNot(Handle));

        /// <summary>In-place BitwiseNot (bitwisenot_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor BitwiseNotInPlace() => ApplyInPlace(NativeMethods.BitwiseNotInPlace, () => BitwiseNot());

        /// <summary>Whether each element is NaN, as a bool tensor (torch.isnan).</summary>
        public Tensor IsNan() => Own(NativeMethods.Isnan(Handle));

        /// <summary>Whether each element is infinite, as a bool tensor (torch.isinf).</summary>
        public Tensor IsInf() => Own(NativeMethods.Isinf(Handle));

        /// <summary>Whether each element is finite, as a bool tensor (torch.isfinite).</summary>
        public Tensor IsFinite() => Own(NativeMethods.Isfinite(Handle));

        /// <summary>x == 0 as a bool tensor (torch.logical_not).</summary>
        public Tensor LogicalNot() => Own(NativeMethods.LogicalNot(Handle));

        /// <summary>log(x / (1 - x)) (torch.logit); with <paramref name="eps"/>, x is first clamped to [eps, 1 - eps].</summary>
        public Tensor Logit(double? eps = null) =>
            RecordUnary(Own(NativeMethods.Logit(Handle, EpsArg(eps))), "LogitBackward0", (g, x) => LogitBackward(g, x, eps));

        /// <summary>In-place Logit (logit_). Returns this tensor.</summary>
        public Tensor LogitInPlace(double? eps = null) => ApplyInPlace(h => NativeMethods.LogitInPlace(h, EpsArg(eps)), () => Logit(eps));

        // PyTorch's eps=None is a negative eps in the C ABI; a given eps must not be negative.
        private static double EpsArg(double? eps)
        {
            if (eps is < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "logit: eps must not be negative");
            return eps ?? -1.0;
        }

        /// <summary>Rounds half to even, to <paramref name="decimals"/> decimal places (torch.round); integer dtypes are kept when decimals is 0.</summary>
        public Tensor Round(long decimals = 0) =>
            RecordZeroGrad(Own(NativeMethods.Round(Handle, decimals)), decimals == 0 ? "RoundBackward0" : "RoundBackward1", [this]);

        /// <summary>In-place Round (round_). Returns this tensor.</summary>
        public Tensor RoundInPlace(long decimals = 0) => ApplyInPlace(h => NativeMethods.RoundInPlace(h, decimals), () => Round(decimals));

        /// <summary>GELU (torch.nn.functional.gelu): <paramref name="approximate"/> is "none" (exact) or "tanh".</summary>
        public Tensor Gelu(string approximate = "none") =>
            RecordUnary(Own(NativeMethods.Gelu(Handle, GeluMode(approximate))), "GeluBackward0", (g, x) => GeluBackward(g, x, approximate));

        private static int GeluMode(string approximate) => approximate switch
        {
            "none" => 0,
            "tanh" => 1,
            _ => throw new ArgumentException($"gelu: approximate must be 'none' or 'tanh', got '{approximate}'", nameof(approximate)),
        };

        /// <summary>log(1 + e^(beta x)) / beta, or x where beta x &gt; threshold (torch.nn.functional.softplus).</summary>
        public Tensor Softplus(double beta = 1.0, double threshold = 20.0) =>
            AutocastRegion.Recast(AutocastOps.Softplus, this)?.Softplus(beta, threshold) ??
            RecordUnary(Own(NativeMethods.Softplus(Handle, beta, threshold)), "SoftplusBackward0",
                (g, x) => SoftplusBackward(g, x, beta, threshold));

        /// <summary>ELU: x where x &gt; 0, else alpha (e^x - 1) (torch.nn.functional.elu).</summary>
        public Tensor Elu(double alpha = 1.0) =>
            RecordUnary(Own(NativeMethods.Elu(Handle, alpha)), "EluBackward0", (g, x) => EluBackward(g, x, alpha, 1, 1));

        /// <summary>In-place Elu (elu_). Returns this tensor.</summary>
        public Tensor EluInPlace(double alpha = 1.0) => ApplyInPlace(h => NativeMethods.EluInPlace(h, alpha), () => Elu(alpha));

        /// <summary>CELU: max(0, x) + min(0, alpha (e^(x/alpha) - 1)) (torch.celu); alpha must not be 0.</summary>
        public Tensor Celu(double alpha = 1.0) =>
            RecordUnary(Own(NativeMethods.Celu(Handle, alpha)), "CeluBackward0", (g, x) => EluBackward(g, x, alpha, 1, 1 / alpha));

        /// <summary>In-place Celu (celu_). Returns this tensor.</summary>
        public Tensor CeluInPlace(double alpha = 1.0) => ApplyInPlace(h => NativeMethods.CeluInPlace(h, alpha), () => Celu(alpha));

        /// <summary>x where x &gt; 0, else negativeSlope x (torch.nn.functional.leaky_relu).</summary>
        public Tensor LeakyRelu(double negativeSlope = 0.01) =>
            RecordUnary(Own(NativeMethods.LeakyRelu(Handle, negativeSlope)), "LeakyReluBackward0",
                (g, x) => LeakyReluBackward(g, x, negativeSlope));

        /// <summary>In-place LeakyRelu (leaky_relu_). Returns this tensor.</summary>
        public Tensor LeakyReluInPlace(double negativeSlope = 0.01) => ApplyInPlace(h => NativeMethods.LeakyReluInPlace(h, negativeSlope), () => LeakyRelu(negativeSlope));

        /// <summary>min(max(x, minVal), maxVal) (torch.nn.functional.hardtanh); integer dtypes are kept.</summary>
        public Tensor Hardtanh(double minVal = -1.0, double maxVal = 1.0) =>
            RecordUnary(Own(NativeMethods.Hardtanh(Handle, minVal, maxVal)), "HardtanhBackward0",
                (g, x) => HardtanhBackward(g, x, minVal, maxVal));

        /// <summary>In-place Hardtanh (hardtanh_). Returns this tensor.</summary>
        public Tensor HardtanhInPlace(double minVal = -1.0, double maxVal = 1.0) =>
            ApplyInPlace(h => NativeMethods.HardtanhInPlace(h, minVal, maxVal), () => Hardtanh(minVal, maxVal));

        /// <summary>Replaces NaN, +inf and -inf (torch.nan_to_num); posinf/neginf default to the dtype's largest/lowest finite value.</summary>
        public Tensor NanToNum(double nan = 0.0, double? posinf = null, double? neginf = null)
        {
            ReadOnlySpan<double> pos = posinf is double p ? new[] { p } : default;
            ReadOnlySpan<double> neg = neginf is double n ? new[] { n } : default;
            return RecordUnary(Own(NativeMethods.NanToNum(Handle, nan, pos, neg)), "NanToNumBackward0", static (g, x) => g * x.IsFinite());
        }

        /// <summary>In-place NanToNum (nan_to_num_). Returns this tensor.</summary>
        public Tensor NanToNumInPlace(double nan = 0.0, double? posinf = null, double? neginf = null)
        {
            // Arrays, not spans: the lambda keeps them (a null array is an absent bound).
            double[]? posArg = posinf is double p ? new[] { p } : null, negArg = neginf is double n ? new[] { n } : null;
            return RecordInPlace(nameof(NanToNumInPlace), h => NativeMethods.NanToNumInPlace(h, nan, posArg, negArg), () => NanToNum(nan, posinf, neginf));
        }

        /// <summary>
        /// min(max(x, min), max) with number bounds (torch.clamp); either may be null but not both.
        /// The bounds take part in type promotion like Python numbers (an int tensor clamped to 0.5 is float32).
        /// </summary>
        public Tensor Clamp(Scalar? min = null, Scalar? max = null)
        {
            ReadOnlySpan<NativeScalar> lo = min is Scalar a ? new[] { a.Native } : default;
            ReadOnlySpan<NativeScalar> hi = max is Scalar b ? new[] { b.Native } : default;
            return RecordUnary(Own(NativeMethods.Clamp(Handle, lo, hi)), "ClampBackward1", (g, x) => ClampBackward(g, x, min, max));
        }

        /// <summary>In-place Clamp with number bounds (clamp_). Returns this tensor.</summary>
        public Tensor ClampInPlace(Scalar? min = null, Scalar? max = null)
        {
            NativeScalar[]? loArg = min is Scalar a ? new[] { a.Native } : null, hiArg = max is Scalar b ? new[] { b.Native } : null;
            return RecordInPlace(nameof(ClampInPlace), h => NativeMethods.ClampInPlace(h, loArg, hiArg), () => Clamp(min, max));
        }

        /// <summary>min(max(x, min), max) with tensor bounds, broadcast and promoted together (torch.clamp); either may be null but not both. NaN anywhere gives NaN.</summary>
        public Tensor Clamp(Tensor? min = null, Tensor? max = null)
        {
            if (min is null && max is null)
                throw new ArgumentException("clamp: At least one of 'min' or 'max' must not be None");
            Tensor result = max is null ? Own(NativeMethods.ClampMinTensor(Handle, min!.Handle))
                : min is null ? Own(NativeMethods.ClampMaxTensor(Handle, max.Handle))
                : Own(NativeMethods.ClampTensor(Handle, min.Handle, max.Handle));
            bool hasMin = min is not null, hasMax = max is not null;
            Tensor[] saved = hasMin && hasMax ? [this, min!, max!] : [this, (min ?? max)!];
            return Recorder.Record(result, "ClampBackward0", [this, min, max], saved, ctx => ClampTensorBackward(ctx, hasMin, hasMax));
        }

        /// <summary>In-place Clamp with tensor bounds (clamp_). Returns this tensor.</summary>
        public Tensor ClampInPlace(Tensor min, Tensor max)
        {
            ArgumentNullException.ThrowIfNull(min);
            ArgumentNullException.ThrowIfNull(max);
            return RecordInPlace(nameof(ClampInPlace), h => NativeMethods.ClampTensorInPlace(h, min.Handle, max.Handle), () => Clamp(min, max), min, max);
        }
    }
}
