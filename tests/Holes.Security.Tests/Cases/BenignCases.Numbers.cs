using Holes.Security.Tests.Harness;

namespace Holes.Security.Tests.Cases;

public static partial class BenignCases
{
    /// <summary>Generic math (static abstract members), BigInteger, decimal, dates and times, matrices, statistics.</summary>
    private static IEnumerable<BenignCase> Numbers()
    {
        static BenignCase B(string name, string code, string expected) => new("numbers/" + name, BenignGroup.Numbers, code, expected);

        yield return B("generic-math-sum", """static T Sum<T>(IEnumerable<T> xs) where T : System.Numerics.INumber<T> { var s = T.Zero; foreach (var x in xs) s += x; return s; } return $"{Sum(new[] { 1, 2, 3 })}|{Sum(new[] { 1.5, 2.5 })}";""", "6|4");
        yield return B("generic-iparsable", """static T ParseAll<T>(string s) where T : IParsable<T> => T.Parse(s, System.Globalization.CultureInfo.InvariantCulture); return (ParseAll<int>("40") + ParseAll<int>("2")).ToString();""", "42");
        yield return B("generic-clamp", """static T Clamp<T>(T v, T lo, T hi) where T : System.Numerics.INumber<T> => T.Clamp(v, lo, hi); return $"{Clamp(15, 0, 10)}{Clamp(-3L, 0L, 10L)}";""", "100");
        yield return B("generic-average", """static TResult Average<T, TResult>(IReadOnlyList<T> xs) where T : System.Numerics.INumber<T> where TResult : System.Numerics.INumber<TResult> { var sum = TResult.Zero; foreach (var x in xs) sum += TResult.CreateChecked(x); return sum / TResult.CreateChecked(xs.Count); } return Average<int, double>(new[] { 1, 2, 3, 4 }).ToString(System.Globalization.CultureInfo.InvariantCulture);""", "2.5");
        yield return B("biginteger-factorial", """var f = System.Numerics.BigInteger.One; for (var i = 2; i <= 30; i++) { f *= i; } return f.ToString();""", "265252859812191058636308480000000");
        yield return B("biginteger-fibonacci", """System.Numerics.BigInteger a = 0, b = 1; for (var i = 0; i < 100; i++) { (a, b) = (b, a + b); } return a.ToString();""", "354224848179261915075");
        yield return B("biginteger-modpow", """return System.Numerics.BigInteger.ModPow(2, 100, 1_000_000_007).ToString();""", "976371285");
        yield return B("math-functions", """return $"{Math.Round(Math.Sqrt(2), 4).ToString(System.Globalization.CultureInfo.InvariantCulture)}|{Math.Pow(2, 10)}|{Math.Abs(-5)}|{Math.Floor(-1.5)}";""", "1.4142|1024|5|-2");
        yield return B("decimal-rounding", """var total = decimal.Round(19.99m * 3 * 1.08m, 2, MidpointRounding.AwayFromZero); return total.ToString(System.Globalization.CultureInfo.InvariantCulture);""", "64.77");
        yield return B("decimal-result", """return orders.Sum(o => o.Quantity * o.Price);""", "23.00") with { Type = "decimal", Values = "orders" };
        yield return B("checked-overflow", """try { checked { var x = int.MaxValue; x++; } return "no"; } catch (OverflowException) { return "overflow"; }""", "overflow");
        yield return B("dateonly", """var d = new DateOnly(2024, 2, 28).AddDays(1); return $"{d.Year}-{d.Month:00}-{d.Day:00}|{d.DayOfWeek}";""", "2024-02-29|Thursday");
        yield return B("dateonly-result", """return DateOnly.ParseExact("2024-12-31", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(1);""", "01/01/2025") with { Type = "dateonly" };
        yield return B("timeonly-wraps", """var t = new TimeOnly(22, 30).Add(TimeSpan.FromHours(3)); return t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);""", "01:30");
        yield return B("datetime-difference", """var a = new DateTime(2024, 1, 1); var b = new DateTime(2024, 3, 1); return (b - a).TotalDays.ToString(System.Globalization.CultureInfo.InvariantCulture);""", "60");
        yield return B("datetimeoffset-utc", """var d = DateTimeOffset.Parse("2024-05-06T10:00:00+02:00", System.Globalization.CultureInfo.InvariantCulture); return d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);""", "2024-05-06 08:00");
        yield return B("timespan-format", """var ts = TimeSpan.FromSeconds(3725); return ts.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);""", "01:02:05");
        yield return B("iso-week", """return System.Globalization.ISOWeek.GetWeekOfYear(new DateTime(2024, 12, 30)).ToString();""", "1");
        yield return B("business-days", """var start = new DateOnly(2024, 5, 1); var days = Enumerable.Range(0, 14).Select(i => start.AddDays(i)).Count(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)); return days.ToString();""", "10");
        yield return B("matrix-multiply", """int[,] a = { { 1, 2 }, { 3, 4 } }; int[,] b = { { 5, 6 }, { 7, 8 } }; var c = new int[2, 2]; for (var i = 0; i < 2; i++) for (var j = 0; j < 2; j++) for (var k = 0; k < 2; k++) c[i, j] += a[i, k] * b[k, j]; return $"{c[0, 0]},{c[0, 1]},{c[1, 0]},{c[1, 1]}";""", "19,22,43,50");
        yield return B("matrix-transpose", """var t = Enumerable.Range(0, 3).Select(j => matrix.Select(r => r[j]).ToArray()).ToArray(); return string.Join(";", t.Select(r => string.Join(",", r)));""", "1,4,7;2,5,8;3,6,9") with { Values = "matrix" };
        yield return B("matrix-diagonals", """var n = matrix.Length; var main = Enumerable.Range(0, n).Sum(i => matrix[i][i]); var anti = Enumerable.Range(0, n).Sum(i => matrix[i][n - 1 - i]); return $"{main}/{anti}";""", "15/15") with { Values = "matrix" };
        yield return B("determinant-3x3", """double[,] m = { { 2, 0, 1 }, { 1, 3, 2 }, { 1, 1, 1 } }; var det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]); return det.ToString(System.Globalization.CultureInfo.InvariantCulture);""", "0");
        yield return B("vector2-length", """var v = new System.Numerics.Vector2(3, 4); return v.Length().ToString(System.Globalization.CultureInfo.InvariantCulture);""", "5");
        yield return B("complex-square", """var z = new System.Numerics.Complex(0, 1); var w = z * z; return $"{w.Real}|{w.Imaginary}";""", "-1|0");
        yield return B("host-pure-static", """return Host.HostMath.Gcd(84, 36).ToString();""", "12");
        yield return B("statistics-invariant", """var xs = new[] { 2.0, 4, 4, 4, 5, 5, 7, 9 }; var mean = xs.Average(); var sd = Math.Sqrt(xs.Select(x => (x - mean) * (x - mean)).Average()); var sorted = xs.Order().ToArray(); var median = (sorted[3] + sorted[4]) / 2; return FormattableString.Invariant($"{mean}|{sd}|{median}");""", "5|2|4.5");
        yield return B("seeded-random", """var r = new Random(42); var rolls = Enumerable.Range(0, 1000).Select(_ => r.Next(1, 7)).ToList(); return (rolls.Min() == 1 && rolls.Max() == 6 && rolls.Distinct().Count() == 6).ToString();""", "True");
        yield return B("bit-operations", """return $"{System.Numerics.BitOperations.IsPow2(64)}{System.Numerics.BitOperations.Log2(1024)}{System.Numerics.BitOperations.PopCount(255u)}";""", "True108");
        yield return B("unit-conversion", """double ToMeters(double v, string unit) => unit switch { "km" => v * 1000, "cm" => v / 100, "m" => v, _ => throw new ArgumentException(unit) }; return ToMeters(1.5, "km").ToString(System.Globalization.CultureInfo.InvariantCulture);""", "1500");
        yield return B("throw-expression-local-function", """int Fail(string why) => throw new InvalidOperationException(why); int Checked(int x) => x >= 0 ? x : Fail("negative"); return Checked(5).ToString();""", "5");
        yield return B("int-result", """return xs.Aggregate((a, b) => a * b % 1000);""", "160") with { Type = "int", Values = "xs" };
        yield return B("long-result", """return Enumerable.Range(1, 20).Aggregate(1L, (acc, x) => acc * x / (long)System.Numerics.BigInteger.GreatestCommonDivisor(acc, x));""", "232792560") with { Type = "long" };
        yield return B("double-result", """return Math.Round(xs.Average(), 3);""", "4.667") with { Type = "double", Values = "xs" };
        yield return B("percentages-invariant", """var total = orders.Sum(o => o.Quantity * o.Price); return string.Join(",", orders.Select(o => (o.Quantity * o.Price / total).ToString("P1", System.Globalization.CultureInfo.InvariantCulture)));""", "19.6 %,30.4 %,37.0 %,13.0 %")
            with { Values = "orders" };
    }
}
