using System;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Compute.Formatting
{
    /// <summary>
    /// Python's "{:.Nf}" and "{:.Ne}" for doubles. Python rounds the exact binary value half to
    /// even; .NET's fixed-point formatting rounds ties away from zero (0.03125 prints as
    /// 0.0313 instead of 0.0312), so the digits are computed here exactly with big integers.
    /// </summary>
    internal static class PythonFloatFormat
    {
        /// <summary>Python's '{:.{precision}f}'.format(value).</summary>
        internal static string Fixed(double value, int precision)
        {
            if (!double.IsFinite(value))
            {
                return NonFinite(value);
            }
            (BigInteger num, BigInteger den) = Exact(Math.Abs(value));
            BigInteger digits = RoundHalfEven(num * BigInteger.Pow(10, precision), den);
            string text = digits.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
            var sb = new StringBuilder();
            if (double.IsNegative(value))
            {
                sb.Append('-');
            }
            sb.Append(text, 0, text.Length - precision);
            if (precision > 0)
            {
                sb.Append('.').Append(text, text.Length - precision, precision);
            }
            return sb.ToString();
        }

        /// <summary>Python's '{:.{precision}e}'.format(value).</summary>
        internal static string Scientific(double value, int precision)
        {
            if (!double.IsFinite(value))
            {
                return NonFinite(value);
            }
            string sign = double.IsNegative(value) ? "-" : "";
            if (value == 0)
            {
                return sign + "0" + (precision > 0 ? "." + new string('0', precision) : "") + "e+00";
            }
            (BigInteger num, BigInteger den) = Exact(Math.Abs(value));
            int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
            BigInteger lower = BigInteger.Pow(10, precision);
            BigInteger upper = lower * 10;
            BigInteger mantissa;
            // The logarithm's estimate can be off by one near powers of ten, and rounding can
            // carry into a new digit: adjust until the mantissa has precision + 1 digits.
            while (true)
            {
                int shift = precision - exponent;
                mantissa = shift >= 0
                    ? RoundHalfEven(num * BigInteger.Pow(10, shift), den)
                    : RoundHalfEven(num, den * BigInteger.Pow(10, -shift));
                if (mantissa >= upper)
                {
                    exponent++;
                }
                else if (mantissa < lower)
                {
                    exponent--;
                }
                else
                {
                    break;
                }
            }
            string digits = mantissa.ToString(CultureInfo.InvariantCulture);
            string body = precision > 0 ? digits[..1] + "." + digits[1..] : digits;
            string exp = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return sign + body + "e" + (exponent < 0 ? "-" : "+") + exp;
        }

        private static string NonFinite(double value) =>
            double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

        // A finite non-negative double as the exact fraction num / den.
        private static (BigInteger Num, BigInteger Den) Exact(double value)
        {
            long bits = BitConverter.DoubleToInt64Bits(value);
            int biased = (int)((bits >> 52) & 0x7FF);
            long fraction = bits & 0xFFFFFFFFFFFFFL;
            long mantissa = biased == 0 ? fraction : fraction | (1L << 52);
            int exponent = (biased == 0 ? 1 : biased) - 1075;
            return exponent >= 0
                ? (new BigInteger(mantissa) << exponent, BigInteger.One)
                : (new BigInteger(mantissa), BigInteger.One << -exponent);
        }

        private static BigInteger RoundHalfEven(BigInteger num, BigInteger den)
        {
            BigInteger quotient = BigInteger.DivRem(num, den, out BigInteger remainder);
            int cmp = (remainder * 2).CompareTo(den);
            if (cmp > 0 || (cmp == 0 && !quotient.IsEven))
            {
                quotient += 1;
            }
            return quotient;
        }
    }
}
