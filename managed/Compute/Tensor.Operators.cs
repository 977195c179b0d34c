using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        private static Tensor NotNull(Tensor t)
        {
            System.ArgumentNullException.ThrowIfNull(t);
            return t;
        }

        /// <summary>Elementwise sum, broadcasting.</summary>
        public static Tensor operator +(Tensor a, Tensor b) => NotNull(a).Add(b);

        /// <summary>Sum with a number.</summary>
        public static Tensor operator +(Tensor a, Scalar b) => NotNull(a).Add(b);

        /// <summary>Sum with a number.</summary>
        public static Tensor operator +(Scalar a, Tensor b) =>
            Recorder.Record(Binary(a, b, static (x, y) => NativeMethods.Add(x, y, One)), "AddBackward0", [b], null, static ctx => [ctx.Grad]);

        /// <summary>Elementwise difference, broadcasting.</summary>
        public static Tensor operator -(Tensor a, Tensor b) => NotNull(a).Sub(b);

        /// <summary>Difference with a number.</summary>
        public static Tensor operator -(Tensor a, Scalar b) => NotNull(a).Sub(b);

        /// <summary>A number minus a tensor.</summary>
        public static Tensor operator -(Scalar a, Tensor b) =>
            Recorder.Record(Binary(a, b, static (x, y) => NativeMethods.Sub(x, y, One)), "RsubBackward1", [b], null, static ctx => [-ctx.Grad]);

        /// <summary>Elementwise product, broadcasting.</summary>
        public static Tensor operator *(Tensor a, Tensor b) => NotNull(a).Mul(b);

        /// <summary>Product with a number.</summary>
        public static Tensor operator *(Tensor a, Scalar b) => NotNull(a).Mul(b);

        /// <summary>Product with a number.</summary>
        public static Tensor operator *(Scalar a, Tensor b) =>
            Recorder.Record(Binary(a, b, NativeMethods.Mul), "MulBackward0", [b], null, ctx => [ctx.Grad * a]);

        /// <summary>True division, broadcasting.</summary>
        public static Tensor operator /(Tensor a, Tensor b) => NotNull(a).Div(b);

        /// <summary>True division by a number.</summary>
        public static Tensor operator /(Tensor a, Scalar b) => NotNull(a).Div(b);

        /// <summary>A number divided by a tensor.</summary>
        public static Tensor operator /(Scalar a, Tensor b)
        {
            Tensor result = Binary(a, b, NativeMethods.Div);
            return Recorder.Record(result, "DivBackward2", [b], [b, result], static ctx => [-ctx.Grad * ctx.Saved(1) / ctx.Saved(0)]);
        }

        /// <summary>Negation.</summary>
        public static Tensor operator -(Tensor a)
        {
            System.ArgumentNullException.ThrowIfNull(a);
            return a.Neg();
        }

        /// <summary>a &lt; b elementwise (bool tensor).</summary>
        public static Tensor operator <(Tensor a, Tensor b) => Binary(a, b, NativeMethods.Lt);

        /// <summary>a &gt; b elementwise (bool tensor).</summary>
        public static Tensor operator >(Tensor a, Tensor b) => Binary(a, b, NativeMethods.Gt);

        /// <summary>a &lt;= b elementwise (bool tensor).</summary>
        public static Tensor operator <=(Tensor a, Tensor b) => Binary(a, b, NativeMethods.Le);

        /// <summary>a &gt;= b elementwise (bool tensor).</summary>
        public static Tensor operator >=(Tensor a, Tensor b) => Binary(a, b, NativeMethods.Ge);

        /// <summary>a &lt; b elementwise (bool tensor).</summary>
        public static Tensor operator <(Tensor a, Scalar b) => Binary(a, b, NativeMethods.Lt);

        /// <summary>a &gt; b elementwise (bool tensor).</summary>
        public static Tensor operator >(Tensor a, Scalar b) => Binary(a, b, NativeMethods.Gt);

        /// <summary>a &lt;= b elementwise (bool tensor).</summary>
        public static Tensor operator <=(Tensor a, Scalar b) => Binary(a, b, NativeMethods.Le);

        /// <summary>a &gt;= b elementwise (bool tensor).</summary>
        public static Tensor operator >=(Tensor a, Scalar b) => Binary(a, b, NativeMethods.Ge);

        /// <summary>a &lt; b elementwise (bool tensor).</summary>
        public static Tensor operator <(Scalar a, Tensor b) => Binary(a, b, NativeMethods.Lt);

        /// <summary>a &gt; b elementwise (bool tensor).</summary>
        public static Tensor operator >(Scalar a, Tensor b) => Binary(a, b, NativeMethods.Gt);

        /// <summary>a &lt;= b elementwise (bool tensor).</summary>
        public static Tensor operator <=(Scalar a, Tensor b) => Binary(a, b, NativeMethods.Le);

        /// <summary>a &gt;= b elementwise (bool tensor).</summary>
        public static Tensor operator >=(Scalar a, Tensor b) => Binary(a, b, NativeMethods.Ge);
    }
}
