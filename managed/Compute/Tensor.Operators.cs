using Compute.Native;

namespace Compute
{
    public sealed partial class Tensor
    {
        /// <summary>Elementwise sum, broadcasting.</summary>
        public static Tensor operator +(Tensor a, Tensor b) => Binary(a, b, static (x, y) => NativeMethods.Add(x, y, One));

        /// <summary>Sum with a number.</summary>
        public static Tensor operator +(Tensor a, Scalar b) => Binary(a, b, static (x, y) => NativeMethods.Add(x, y, One));

        /// <summary>Sum with a number.</summary>
        public static Tensor operator +(Scalar a, Tensor b) => Binary(a, b, static (x, y) => NativeMethods.Add(x, y, One));

        /// <summary>Elementwise difference, broadcasting.</summary>
        public static Tensor operator -(Tensor a, Tensor b) => Binary(a, b, static (x, y) => NativeMethods.Sub(x, y, One));

        /// <summary>Difference with a number.</summary>
        public static Tensor operator -(Tensor a, Scalar b) => Binary(a, b, static (x, y) => NativeMethods.Sub(x, y, One));

        /// <summary>A number minus a tensor.</summary>
        public static Tensor operator -(Scalar a, Tensor b) => Binary(a, b, static (x, y) => NativeMethods.Sub(x, y, One));

        /// <summary>Elementwise product, broadcasting.</summary>
        public static Tensor operator *(Tensor a, Tensor b) => Binary(a, b, NativeMethods.Mul);

        /// <summary>Product with a number.</summary>
        public static Tensor operator *(Tensor a, Scalar b) => Binary(a, b, NativeMethods.Mul);

        /// <summary>Product with a number.</summary>
        public static Tensor operator *(Scalar a, Tensor b) => Binary(a, b, NativeMethods.Mul);

        /// <summary>True division, broadcasting.</summary>
        public static Tensor operator /(Tensor a, Tensor b) => Binary(a, b, NativeMethods.Div);

        /// <summary>True division by a number.</summary>
        public static Tensor operator /(Tensor a, Scalar b) => Binary(a, b, NativeMethods.Div);

        /// <summary>A number divided by a tensor.</summary>
        public static Tensor operator /(Scalar a, Tensor b) => Binary(a, b, NativeMethods.Div);

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
