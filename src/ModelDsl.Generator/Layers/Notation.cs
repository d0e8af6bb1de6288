using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// Writes the notation of the generated tables (<c>Layers</c>, <c>Graph</c>) that the runtime's
    /// <c>ModelDsl.GeneratedNotation</c> decodes on first use: <c>Record(arg, …)</c> for a record's constructor,
    /// <c>[a, b]</c> for a list or shape, <c>'text'</c> for a string, a bare name for an enum member. It replaces
    /// C# object creations because the compiler binds and emits each of those in every consumer's build (the
    /// reason and the measurement: GeneratedNotation's remarks, docs/BENCHMARKS.md).
    /// </summary>
    internal static class Notation
    {
        /// <summary>A record of ModelDsl or ModelDsl.Interop built from these (already written) arguments.</summary>
        public static string Record(string name, params string[] args) => $"{name}({string.Join(", ", args)})";

        public static string Text(string? text) => text is null ? "null" : "'" + text.Replace("'", "''") + "'";

        public static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

        public static string List(IEnumerable<long> items) => List(items.Select(Code.Long));

        public static string Of(Shape shape) => List(shape.ToArray());
    }
}
