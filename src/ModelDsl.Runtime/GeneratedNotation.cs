using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace ModelDsl;

/// <summary>
/// Decodes the compile-time tables a generated model carries (<c>Layers</c>, <c>Graph</c>) from the one string
/// constant the generator writes for each, on first use.
/// </summary>
/// <remarks>
/// Why a string and not C# object creations: every <c>new Shape(…)</c>, <c>new LayerInfo(…)</c> or
/// <c>new Conv2dOp(…)</c> in generated code is bound, overload-resolved and emitted as IL by every build of every
/// consumer, and for these tables that was about a third of what the compiler spent on a generated model
/// (docs/BENCHMARKS.md, "Generator cost"). A string constant costs the compiler almost nothing; decoding happens
/// once per model type, on the first read of the property (never on the training path), and was measured at about
/// 0.5 ms for DigitUNet's two tables warm, 45–55 ms for the first decode in a process (JIT and reflection warm-up).
/// <para>
/// The notation reads like the C# it replaces: <c>Name(arg, …)</c> calls the public constructor of the record
/// <c>Name</c> (in <c>ModelDsl</c> or <c>ModelDsl.Interop</c>), <c>[a, b]</c> is a list (a <see cref="Shape"/>, a
/// <c>long[]</c> or a list of records, as the parameter declares), <c>'text'</c> a string (<c>''</c> for a quote),
/// a bare name an enum member (a trailing comma in a list is allowed), plus numbers (<c>Infinity</c> and <c>NaN</c> among them), <c>true</c>, <c>false</c> and <c>null</c>. Trailing optional
/// constructor parameters may be left out. Whitespace and line breaks are ignored. The target types come from the
/// constructors' parameter types, so a text that does not fit them is an error naming the position, never a
/// silently different table.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedNotation
{
    private static readonly Assembly Runtime = typeof(GeneratedNotation).Assembly;
    private static readonly string[] Namespaces = { "ModelDsl.", "ModelDsl.Interop." };

    // A table names the same few records many times: each name is looked up and its constructor reflected over
    // once per process, not once per row (DigitUNet's two tables, warm: 724 µs → 482 µs a decode). Null for a name
    // that is no ModelDsl record, so a bad name is refused the same way each time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Record?> Records = new();

    private sealed record Record(Type Type, ConstructorInfo Constructor, ParameterInfo[] Parameters);

    private static Record? Lookup(string name) => Records.GetOrAdd(name, static n =>
    {
        var type = Namespaces.Select(ns => Runtime.GetType(ns + n)).FirstOrDefault(t => t is not null && !t.IsAbstract && t.GetConstructors().Length > 0);
        if (type is null) return null;
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return new Record(type, constructor, constructor.GetParameters());
    });

    /// <summary>Decodes <paramref name="text"/> as a <typeparamref name="T"/>; a malformed text throws a <see cref="FormatException"/> naming where.</summary>
    public static T Decode<T>(string text)
    {
        var reader = new Reader(text);
        var value = reader.Value(typeof(T));
        reader.End();
        return (T)value!;
    }

    private sealed class Reader
    {
        private readonly string _text;
        private int _at;

        public Reader(string text) => _text = text ?? throw new ArgumentNullException(nameof(text));

        public void End()
        {
            Skip();
            if (_at < _text.Length) throw Error("the end of the text");
        }

        public object? Value(Type target)
        {
            Skip();
            if (_at >= _text.Length) throw Error("a value");
            int start = _at;
            char c = _text[_at];
            var nullable = Nullable.GetUnderlyingType(target);
            if (nullable is not null) target = nullable;
            if (c == '[') return List(target);
            if (c == '\'') return Convert(Text(), target, start);
            if (c == '-' || char.IsDigit(c)) return Number(target);
            string name = Identifier();
            Skip();
            if (_at < _text.Length && _text[_at] == '(') return Construct(name, target, start);
            switch (name)
            {
                case "null":
                    if (target.IsValueType && nullable is null) throw Error($"{Describe(target)}, not null", start);
                    return null;
                case "Infinity" or "NaN" when target == typeof(double): return double.Parse(name, CultureInfo.InvariantCulture); // a whole-input receptive field
                case "true": return Convert(true, target, start);
                case "false": return Convert(false, target, start);
            }
            if (!target.IsEnum || !Enum.IsDefined(target, name)) throw Error($"{Describe(target)}, not '{name}'", start);
            return Enum.Parse(target, name);
        }

        private object Construct(string name, Type target, int start)
        {
            var (type, constructor, parameters) = Lookup(name) ?? throw Error($"a ModelDsl record, not '{name}'", start);
            if (!target.IsAssignableFrom(type)) throw Error($"{Describe(target)}, not a {name}", start);
            var args = new List<object?>();
            Expect('(');
            foreach (var _ in Items(')'))
            {
                if (args.Count == parameters.Length) throw Error($"at most {parameters.Length} arguments for {name}");
                args.Add(Value(parameters[args.Count].ParameterType));
            }
            for (int i = args.Count; i < parameters.Length; i++)
            {
                if (!parameters[i].HasDefaultValue) throw Error($"{name}'s argument {parameters[i].Name}", start);
                args.Add(parameters[i].DefaultValue);
            }
            return constructor.Invoke(args.ToArray());
        }

        private object List(Type target)
        {
            Type element = target == typeof(Shape) ? typeof(long)
                : target.IsArray ? target.GetElementType()!
                : target.IsGenericType && target.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? target.GetGenericArguments()[0]
                : throw Error($"{Describe(target)}, not a list");
            var items = new List<object?>();
            Expect('[');
            foreach (var _ in Items(']')) items.Add(Value(element));
            var array = Array.CreateInstance(element, items.Count);
            for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            return target == typeof(Shape) ? Shape.Of((long[])array) : array;
        }

        // Yields once per comma-separated item up to the closing character (which it consumes).
        private IEnumerable<int> Items(char close)
        {
            Skip();
            if (_at < _text.Length && _text[_at] == close) { _at++; yield break; }
            for (int i = 0; ; i++)
            {
                yield return i;
                Skip();
                if (_at < _text.Length && _text[_at] == ',')
                {
                    _at++;
                    Skip();
                    // A trailing comma before the closing bracket, as the generator writes one row per line.
                    if (_at < _text.Length && _text[_at] == close) { _at++; yield break; }
                    continue;
                }
                Expect(close);
                yield break;
            }
        }

        private object Number(Type target)
        {
            int start = _at;
            if (_text[_at] == '-') _at++;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '.' or '-' or '+')) _at++;
            string token = _text.Substring(start, _at - start);
            if (target == typeof(long) && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
            if (target == typeof(int) && int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i)) return i;
            if (target == typeof(double) && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
            throw Error($"{Describe(target)}, not '{token}'", start);
        }

        private string Text()
        {
            var sb = new StringBuilder();
            int start = _at++;
            while (true)
            {
                if (_at >= _text.Length) throw Error("the closing quote of the text", start);
                char c = _text[_at++];
                if (c != '\'') { sb.Append(c); continue; }
                if (_at < _text.Length && _text[_at] == '\'') { sb.Append('\''); _at++; continue; }
                return sb.ToString();
            }
        }

        private string Identifier()
        {
            int start = _at;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_')) _at++;
            if (_at == start) throw Error("a value");
            return _text.Substring(start, _at - start);
        }

        private object Convert(object value, Type target, int start)
            => target.IsInstanceOfType(value) ? value : throw Error($"{Describe(target)}, not {Describe(value.GetType())}", start);

        private static string Describe(Type type)
            => type == typeof(long) || type == typeof(int) ? "an integer"
                : type == typeof(double) ? "a number"
                : type == typeof(bool) ? "true or false"
                : type == typeof(string) ? "a quoted text"
                : type.IsEnum ? $"a member of {type.Name}"
                : $"a {type.Name}";

        private void Expect(char c)
        {
            Skip();
            if (_at >= _text.Length || _text[_at] != c) throw Error($"'{c}'");
            _at++;
        }

        private void Skip()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
        }

        private FormatException Error(string expected, int? at = null)
        {
            int position = at ?? _at;
            string near = _text.Substring(position, Math.Min(40, _text.Length - position));
            return new FormatException($"Generated model table: expected {expected} at character {position} (near \"{near}\"). "
                + "The text comes from the ModelDsl generator: rebuild the project; if it persists, report it with the model's declaration.");
        }
    }
}
