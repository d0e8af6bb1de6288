using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A parameterised block at one use: its parameters bound to the values the [Use] passes (positional, then named, the
    /// rest from their defaults) and <c>In</c>, its input channels; each layer argument written as an expression replaced
    /// by its value, so that the layer families read plain numbers. The arguments that may be expressions are the
    /// attribute properties typed <c>object</c> (Conv2d's OutChannels, Kernel, Stride, Padding, Dilation, Groups).
    /// </summary>
    internal static class BlockParameters
    {
        /// <summary>The name every block's expressions know: the block's input channels.</summary>
        public const string In = "In";

        private static readonly ConcurrentDictionary<(string, string), bool> s_takesExpression = new();

        /// <summary>Whether <paramref name="property"/> of the <paramref name="kind"/> attribute takes an expression string.</summary>
        public static bool TakesExpression(string kind, string property)
            => s_takesExpression.GetOrAdd((kind, property), key =>
                typeof(LayerAttribute).Assembly.GetType("ModelDsl." + key.Item1 + "Attribute")?.GetProperty(key.Item2, BindingFlags.Public | BindingFlags.Instance)?.PropertyType == typeof(object));

        private static readonly ConcurrentDictionary<(string, string), bool> s_takesReal = new();

        /// <summary>
        /// Whether <paramref name="property"/> is a real slot among the expression slots: one whose default is a double (the
        /// probabilities: Dropout's and StochasticDepth's P), evaluated by <see cref="BlockExpression.TryEvaluateReal"/>.
        /// </summary>
        public static bool TakesReal(string kind, string property)
            => s_takesReal.GetOrAdd((kind, property), key =>
            {
                if (!TakesExpression(key.Item1, key.Item2)) return false;
                var type = typeof(LayerAttribute).Assembly.GetType("ModelDsl." + key.Item1 + "Attribute");
                if (type?.GetConstructor(Type.EmptyTypes) is not { } parameterless) return false;
                return type.GetProperty(key.Item2)?.GetValue(parameterless.Invoke(null)) is double;
            });

        /// <summary>The arguments of <paramref name="layer"/> written as expressions (their text), by property.</summary>
        public static IEnumerable<LayerArg> Expressions(LayerSpec layer)
            => layer.IsMarker || layer.IsBlock ? Enumerable.Empty<LayerArg>() : layer.Args.Where(a => a.Text is not null && TakesExpression(layer.Kind, a.Name));

        /// <summary>
        /// The block's names at a use: <c>In</c> (when known) and each parameter bound from <paramref name="args"/> (evaluated with
        /// <paramref name="enclosing"/>: the model's constants, or the enclosing block's names), the rest from their defaults.
        /// Null with the reason when the arguments do not fit the parameters.
        /// </summary>
        public static Dictionary<string, long>? Bind(BlockSpec block, string? args, long? inChannels, IReadOnlyDictionary<string, long> enclosing, out string problem)
        {
            var names = new Dictionary<string, long>(StringComparer.Ordinal);
            if (inChannels is { } c) names[In] = c;
            problem = "";
            var parts = args is null ? new List<string>() : BlockExpression.SplitTopLevel(args);
            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            int position = 0;
            foreach (var part in parts)
            {
                int eq = NamedAssignment(part);
                if (eq > 0)
                {
                    string name = part.Substring(0, eq).Trim();
                    if (!block.Params.Any(p => p.Name == name)) { problem = $"{block.TypeName} has no parameter '{name}' (its parameters: {Describe(block)})"; return null; }
                    if (given.ContainsKey(name)) { problem = $"'{name}' is given twice"; return null; }
                    given[name] = part.Substring(eq + 1).Trim();
                }
                else
                {
                    if (given.Count > position) { problem = "a positional value cannot follow a named one"; return null; }
                    if (position >= block.Params.Count) { problem = $"{block.TypeName} takes {block.Params.Count} parameter(s) ({Describe(block)}), not {parts.Count}"; return null; }
                    given[block.Params[position++].Name] = part;
                }
            }
            foreach (var parameter in block.Params)
            {
                bool passed = given.TryGetValue(parameter.Name, out var text);
                if (!passed && parameter.Default is null) { problem = $"{block.TypeName} needs {parameter.Name} (its parameters: {Describe(block)})"; return null; }
                // A passed value is the user's expression in the enclosing scope; a default is the block's, over its earlier parameters.
                var scope = passed ? enclosing : names;
                if (!BlockExpression.TryEvaluate(passed ? text! : parameter.Default!, scope, out long value, out string why))
                {
                    problem = $"{parameter.Name} = {(passed ? text : parameter.Default)}: {why}";
                    return null;
                }
                names[parameter.Name] = value;
            }
            return names;
        }

        /// <summary>
        /// <paramref name="layer"/> with every expression argument replaced by its value under <paramref name="names"/>; null with
        /// the argument and the reason when one cannot be evaluated.
        /// </summary>
        public static LayerSpec? Substitute(LayerSpec layer, IReadOnlyDictionary<string, long> names, out (LayerArg Arg, string Why) problem)
        {
            problem = default;
            if (!Expressions(layer).Any()) return layer;
            var args = new List<LayerArg>();
            foreach (var arg in layer.Args)
            {
                if (arg.Text is null || !TakesExpression(layer.Kind, arg.Name)) { args.Add(arg); continue; }
                bool real = TakesReal(layer.Kind, arg.Name);
                if (IsWrongType(arg)) { problem = (arg, real ? "it takes a number or an expression string" : "it takes an integer or an expression string"); return null; }
                if (real)
                {
                    if (!BlockExpression.TryEvaluateReal(arg.Text, names, out double p, out string whyReal)) { problem = (arg, whyReal); return null; }
                    args.Add(new LayerArg(arg.Name, 0, p, null, arg.Location));
                    continue;
                }
                if (!BlockExpression.TryEvaluate(arg.Text, names, out long value, out string why)) { problem = (arg, why); return null; }
                args.Add(new LayerArg(arg.Name, value, value, null, arg.Location));
            }
            return layer with { Args = args.ToEquatableArray() };
        }

        /// <summary>A constant of another type (2.5, 3u, true, null; in a real slot, anything but a number) in a property that takes an expression string.</summary>
        public static bool IsWrongType(LayerArg arg) => arg.Text is not null && double.IsNaN(arg.Real);

        /// <summary>"Out, Stride = 1": the parameters as declared.</summary>
        public static string Describe(BlockSpec block) => Describe(block.Params);

        /// <summary>"Out, Stride = 1": parameters (or a model's run-time arguments) as declared.</summary>
        public static string Describe(IEnumerable<BlockParam> parameters) => string.Join(", ", parameters.Select(p => p.ToString()));

        /// <summary>"Out = 24, Stride = 2": the values at a use, for summaries and messages.</summary>
        public static string Values(BlockSpec block, IReadOnlyDictionary<string, long> names)
            => string.Join(", ", block.Params.Select(p => $"{p.Name} = {names[p.Name]}"));

        /// <summary>The index of the '=' of "Name = value" (not of "==", "&lt;=", …); -1 for a positional value.</summary>
        private static int NamedAssignment(string part)
        {
            int i = 0;
            while (i < part.Length && char.IsWhiteSpace(part[i])) i++;
            if (i >= part.Length || !(char.IsLetter(part[i]) || part[i] == '_')) return -1;
            while (i < part.Length && (char.IsLetterOrDigit(part[i]) || part[i] == '_')) i++;
            while (i < part.Length && char.IsWhiteSpace(part[i])) i++;
            return i < part.Length && part[i] == '=' && (i + 1 >= part.Length || part[i + 1] != '=') ? i : -1;
        }
    }
}
