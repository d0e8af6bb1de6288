using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// The small integer expressions a block's layer arguments, its [Use] arguments and its parameters' defaults may be:
    /// integers, names (<c>In</c>, the input's channels; the block's parameters), <c>+ - * / %</c> (division floors, as
    /// Python's <c>//</c>), comparisons, <c>&amp;&amp; || !</c> (a comparison is 1 or 0), parentheses, <c>min(a, b)</c>/<c>max(a, b)</c> and
    /// torchvision's <c>make_divisible(v, d)</c> (MobileNetV3's squeeze widths).
    /// Evaluated at compile time at each use; written by hand because no library here parses C#-like integer expressions
    /// without also executing code. A probability slot (Dropout's and StochasticDepth's P) takes the same expressions over
    /// reals (<see cref="TryEvaluateReal"/>): literals such as 0.1, and a true division — torchvision's
    /// <c>stochastic_depth_prob * block_id / (total_blocks - 1)</c> is <c>"0.1 * Id / 17"</c>. Values are decimals, so the
    /// integer form keeps every 64-bit value exact.
    /// </summary>
    internal static class BlockExpression
    {
        /// <summary>The value of <paramref name="text"/> with <paramref name="names"/>; false with the reason in <paramref name="error"/>.</summary>
        public static bool TryEvaluate(string text, IReadOnlyDictionary<string, long> names, out long value, out string error)
        {
            bool ok = TryParse(text, names, real: false, out decimal exact, out error, overflow: "its value overflows a 64-bit integer");
            value = ok ? (long)exact : 0;
            return ok;
        }

        /// <summary>The real value of <paramref name="text"/> (a probability's expression); false with the reason in <paramref name="error"/>.</summary>
        public static bool TryEvaluateReal(string text, IReadOnlyDictionary<string, long> names, out double value, out string error)
        {
            bool ok = TryParse(text, names, real: true, out decimal exact, out error, overflow: "its value is out of range");
            value = ok ? (double)exact : 0;
            return ok;
        }

        private static bool TryParse(string text, IReadOnlyDictionary<string, long> names, bool real, out decimal value, out string error, string overflow)
        {
            try
            {
                value = new Parser(text, names, real).Parse();
                error = "";
                return true;
            }
            catch (FormatException e)
            {
                value = 0;
                error = e.Message;
                return false;
            }
            catch (OverflowException)
            {
                value = 0;
                error = overflow;
                return false;
            }
        }

        /// <summary>"a, b = min(1, 2), c" → ["a", "b = min(1, 2)", "c"]: the parts between commas outside parentheses, trimmed.</summary>
        public static List<string> SplitTopLevel(string text)
        {
            var parts = new List<string>();
            int depth = 0, start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] == '(') depth++;
                else if (i < text.Length && text[i] == ')') depth--;
                else if (i == text.Length || text[i] == ',' && depth == 0)
                {
                    parts.Add(text.Substring(start, i - start).Trim());
                    start = i + 1;
                }
            }
            if (parts.Count == 1 && parts[0].Length == 0) parts.Clear();
            return parts;
        }

        /// <summary>The names <paramref name="text"/> uses (for checks on a declaration, where the values are not known).</summary>
        public static List<string> Names(string text)
        {
            var names = new List<string>();
            for (int i = 0; i < text.Length;)
            {
                if (char.IsLetter(text[i]) || text[i] == '_')
                {
                    int start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    string name = text.Substring(start, i - start);
                    int next = i;
                    while (next < text.Length && text[next] == ' ') next++;
                    bool call = next < text.Length && text[next] == '(';
                    if (!call && !names.Contains(name)) names.Add(name);
                }
                else i++;
            }
            return names;
        }

        private sealed class Parser
        {
            private readonly string _text;
            private readonly IReadOnlyDictionary<string, long> _names;
            /// <summary>Real mode: literals with a fraction, a true division; else integers, a floor division, 64-bit range.</summary>
            private readonly bool _real;
            private int _at;
            // > 0 while parsing the side of && or || that the other side already decided: parsed, not evaluated (C#'s short
            // circuit), so "Stride != 1 || In != Out" has a value where only Stride is known.
            private int _skipping;

            public Parser(string text, IReadOnlyDictionary<string, long> names, bool real)
            {
                _text = text;
                _names = names;
                _real = real;
            }

            /// <summary>An intermediate value: in integer mode it must fit a 64-bit integer, as the C# it stands for would.</summary>
            private decimal Checked(decimal v)
            {
                if (!_real && (v > LongMax || v < LongMin)) throw new OverflowException();
                return v;
            }

            private const decimal LongMax = long.MaxValue, LongMin = long.MinValue;

            public decimal Parse()
            {
                if (_text.Trim().Length == 0) throw new FormatException("it is empty");
                decimal value = Or();
                Skip();
                if (_at < _text.Length) throw new FormatException($"'{_text.Substring(_at)}' cannot follow a complete expression");
                return value;
            }

            private void Skip() { while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++; }

            private bool Eat(string token)
            {
                Skip();
                if (string.CompareOrdinal(_text, _at, token, 0, token.Length) != 0) return false;
                // "<" must not eat the start of "<=", nor "=" of "==" and the like.
                if (token.Length == 1 && _at + 1 < _text.Length && "<>=!&|".IndexOf(token[0]) >= 0 && (_text[_at + 1] == '=' || (token[0] is '&' or '|') && _text[_at + 1] == token[0]))
                    return false;
                _at += token.Length;
                return true;
            }

            private decimal Or()
            {
                decimal v = And();
                while (Eat("||"))
                {
                    bool decided = v != 0;
                    if (decided) _skipping++;
                    decimal r = And();
                    if (decided) _skipping--;
                    v = decided || r != 0 ? 1 : 0;
                }
                return v;
            }

            private decimal And()
            {
                decimal v = Comparison();
                while (Eat("&&"))
                {
                    bool decided = v == 0;
                    if (decided) _skipping++;
                    decimal r = Comparison();
                    if (decided) _skipping--;
                    v = !decided && r != 0 ? 1 : 0;
                }
                return v;
            }

            private decimal Comparison()
            {
                decimal v = Sum();
                foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
                {
                    if (!Eat(op)) continue;
                    decimal r = Sum();
                    bool result = op switch { "==" => v == r, "!=" => v != r, "<=" => v <= r, ">=" => v >= r, "<" => v < r, _ => v > r };
                    return result ? 1 : 0;
                }
                return v;
            }

            private decimal Sum()
            {
                decimal v = Term();
                while (true)
                {
                    if (Eat("+")) v = Checked(v + Term());
                    else if (Eat("-")) v = Checked(v - Term());
                    else return v;
                }
            }

            private decimal Term()
            {
                decimal v = Unary();
                while (true)
                {
                    if (Eat("*")) v = Checked(v * Unary());
                    else if (Eat("/")) { decimal d = Unary(); if (d == 0) { if (_skipping > 0) continue; throw new FormatException("it divides by zero"); } v = _real ? v / d : FloorDiv(v, d); }
                    else if (Eat("%")) { decimal d = Unary(); if (d == 0) { if (_skipping > 0) continue; throw new FormatException("it divides by zero"); } v = _real ? v % d : v - FloorDiv(v, d) * d; }
                    else return v;
                }
            }

            // Exact on integers: (a − r) is a multiple of b, r the remainder taking the divisor's sign (Python's //).
            private static decimal FloorDiv(decimal a, decimal b)
            {
                decimal r = a % b;
                if (r != 0 && (r < 0) != (b < 0)) r += b;
                return (a - r) / b;
            }

            private decimal Unary()
            {
                if (Eat("-")) return Checked(-Unary());
                if (Eat("!")) return Unary() == 0 ? 1 : 0;
                return Primary();
            }

            private decimal Primary()
            {
                Skip();
                if (_at >= _text.Length) throw new FormatException("it ends where a value was expected");
                char c = _text[_at];
                if (Eat("("))
                {
                    decimal v = Or();
                    if (!Eat(")")) throw new FormatException("a '(' is not closed");
                    return v;
                }
                if (char.IsDigit(c))
                {
                    int start = _at;
                    while (_at < _text.Length && char.IsDigit(_text[_at])) _at++;
                    // A fraction only where reals are meant: "2.5" in a channel count stays an error.
                    if (_real && _at + 1 < _text.Length && _text[_at] == '.' && char.IsDigit(_text[_at + 1]))
                    {
                        _at++;
                        while (_at < _text.Length && char.IsDigit(_text[_at])) _at++;
                    }
                    return Checked(decimal.Parse(_text.Substring(start, _at - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
                }
                if (char.IsLetter(c) || c == '_')
                {
                    int start = _at;
                    while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_')) _at++;
                    string name = _text.Substring(start, _at - start);
                    if (name == "make_divisible" && Eat("("))
                    {
                        // torchvision's _make_divisible(v, d): the nearest multiple of d, at least d, not below 90 % of v.
                        decimal v = Or();
                        if (!Eat(",")) throw new FormatException("make_divisible( needs a value and a divisor");
                        decimal d = Or();
                        if (!Eat(")")) throw new FormatException("make_divisible( is not closed");
                        if (_skipping > 0) return 0;
                        if (d <= 0 || decimal.Truncate(d) != d) throw new FormatException("make_divisible's divisor must be a positive integer");
                        decimal rounded = Math.Max(d, decimal.Truncate((v + d / 2) / d) * d);
                        return Checked(rounded < 0.9m * v ? rounded + d : rounded);
                    }
                    if (name is "min" or "max" && Eat("("))
                    {
                        decimal a = Or();
                        if (!Eat(",")) throw new FormatException($"{name}( needs two values");
                        decimal b = Or();
                        if (!Eat(")")) throw new FormatException($"{name}( is not closed");
                        return name == "min" ? Math.Min(a, b) : Math.Max(a, b);
                    }
                    if (_names.TryGetValue(name, out long value)) return value;
                    if (_skipping > 0) return 0; // on the side a short circuit skips, a name need not be known
                    throw new FormatException($"'{name}' is not known here (known: {string.Join(", ", _names.Keys)})");
                }
                throw new FormatException($"'{c}' is not part of an expression");
            }
        }
    }
}
