using System;
using System.Collections.Generic;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// The taps of a graph model while its chain is walked: those defined so far (with their shape and the
    /// layer they name), and every tap name declared anywhere, so that a merge can tell "unknown" from
    /// "used before it is defined".
    /// </summary>
    internal sealed class TapScope
    {
        private readonly Dictionary<string, TapPoint> _defined = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declared;

        public TapScope(IEnumerable<string> declared) => _declared = new HashSet<string>(declared, StringComparer.Ordinal);

        /// <summary>The layer whose output flows at this point of the walk ("input" before the first layer).</summary>
        public string CurrentSource { get; set; } = "input";

        public bool IsDeclared(string name) => _declared.Contains(name);

        public bool TryGet(string name, out TapPoint tap) => _defined.TryGetValue(name, out tap!);

        public void Define(string name, Shape shape) => _defined[name] = new TapPoint(name, shape, CurrentSource);

        public IEnumerable<string> DefinedNames => _defined.Keys;
    }

    /// <summary>A defined tap: its shape and the layer whose output it names.</summary>
    internal sealed record TapPoint(string Name, Shape Shape, string Source);
}
