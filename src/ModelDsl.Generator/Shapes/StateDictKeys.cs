using System;
using System.Collections.Generic;
using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// Each layer's segment in the state_dict: the <c>Key = "…"</c> written on it (torchvision's numbered Sequential
    /// children: <c>features.0</c>), else its property name. A repeated [Use] numbers its copies from an integer Key
    /// (<c>layer1.0</c>, <c>layer1.1</c>, …). Keys are registration names only — the C# property keeps its readable name —
    /// so a key must be one segment (no dot), and unique where it is registered: its stage's Sequential, its block, or the
    /// model itself (beside the stages). Problems are MDSL0012 on the layer.
    /// </summary>
    internal static class StateDictKeys
    {
        /// <summary>The attribute argument that states a key (<see cref="LayerAttribute.Key"/>, <see cref="UseAttribute{TBlock}.Key"/>).</summary>
        public const string Argument = nameof(LayerAttribute.Key);

        /// <param name="layers">The layers in order (markers included: they get no key).</param>
        /// <param name="names">Their property names (null for markers).</param>
        /// <param name="containerOf">Where a layer is registered: its stage's name, or "" for the model or block itself.</param>
        /// <param name="reserved">Registration names the top level already holds (the stages' Sequentials, a block's Shortcut and Activation).</param>
        /// <summary>
        /// A key written as an expression (<c>Key = "(Expand != 1) + 1"</c>: torchvision's Sequential indices shift where a
        /// conditional piece is absent): allowed in a block with parameters, evaluated at each use.
        /// </summary>
        public static bool IsExpression(string key) => key.IndexOfAny(ExpressionCharacters) >= 0 && !HyphenatedName.IsMatch(key);

        /// <summary>
        /// A name with hyphens, as torchvision's RegNet writes its blocks ("block1-0", or numbered "block3-{1}"): a name, not a
        /// subtraction — a key that subtracts is written with spaces or parentheses ("Expand - 1").
        /// </summary>
        private static readonly System.Text.RegularExpressions.Regex HyphenatedName = new(@"^[A-Za-z_][A-Za-z0-9_]*(-([A-Za-z0-9_]+|\{\d{1,9}\}))+$");

        private static readonly char[] ExpressionCharacters = "()+-*/%<>=!&| ".ToCharArray();

        /// <param name="expressionsAllowed">True in a block with parameters: a key may be an expression, checked at each use.</param>
        public static string?[] Assign(IReadOnlyList<LayerSpec> layers, IReadOnlyList<string?> names, Func<LayerSpec, string> containerOf,
            ICollection<string> reserved, DiagnosticSink? sink, bool expressionsAllowed = false)
        {
            var keys = new string?[layers.Count];
            var taken = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.IsMarker || layer.IsStage || names[i] is not { } name) continue;
                string? stated = layer.Arg(Argument)?.Text;
                // The copies of one repeated [Use] are equal specs next to each other: the copy's index within them.
                int copy = 0, copies = 1;
                if (layer.IsBlock)
                {
                    while (i - copy - 1 >= 0 && Equals(layers[i - copy - 1], layer)) copy++;
                    for (int j = i + 1; j < layers.Count && Equals(layers[j], layer); j++) copies++;
                    copies += copy;
                }
                string? problem = null;
                string key = name;
                // "denselayer{1}": a numbered name, the copies of a repeated use counting from the number in braces (torchvision's ModuleDicts).
                var numbered = stated is null ? null : System.Text.RegularExpressions.Regex.Match(stated, @"\{(\d{1,9})\}");
                bool alreadyNumbered = numbered is { Success: true };
                if (alreadyNumbered)
                    stated = stated!.Replace(numbered!.Value, (long.Parse(numbered.Groups[1].Value, CultureInfo.InvariantCulture) + copy).ToString(CultureInfo.InvariantCulture));
                if (stated is not null)
                {
                    bool integer = long.TryParse(stated, NumberStyles.None, CultureInfo.InvariantCulture, out long first);
                    if (stated.Length == 0) problem = "a state_dict key cannot be empty";
                    else if (IsExpression(stated))
                    {
                        if (!expressionsAllowed) problem = "a key is a name or a number here; a key that is an expression belongs to a [Block] with parameters";
                        else { keys[i] = stated; continue; } // evaluated, and checked for clashes, at each use
                    }
                    else if (stated.IndexOf('.') >= 0) problem = "a state_dict key is one segment (no dots); nest with stages and blocks";
                    else if (copies > 1 && !integer && !alreadyNumbered) problem = $"a [Use] repeated {copies} times numbers its copies from its Key, so the Key must be an integer (torchvision's Sequential indices) or hold one in braces (\"denselayer{{1}}\")";
                    else key = copies > 1 && !alreadyNumbered ? (first + copy).ToString(CultureInfo.InvariantCulture) : stated;
                }
                string container = containerOf(layer);
                if (problem is null)
                {
                    if (!taken.TryGetValue(container, out var inContainer)) taken[container] = inContainer = new HashSet<string>(StringComparer.Ordinal);
                    if (container.Length == 0 && reserved.Contains(key)) problem = $"'{key}' is already registered here (a stage, or a block's own member)";
                    else if (!inContainer.Add(key)) problem = container.Length == 0 ? $"two layers are registered as '{key}'" : $"two layers of stage {container} are registered as '{key}'";
                }
                if (problem is not null)
                {
                    // Reported once for a repeated use (on its first copy); the copies keep their names so the rest is checked.
                    if (copy == 0 || stated is null) sink?.Report(DiagnosticDescriptors.NameNotUsable, layer.LocationOf(Argument), stated ?? key, problem);
                    key = name;
                }
                keys[i] = key;
            }
            return keys;
        }
    }
}
