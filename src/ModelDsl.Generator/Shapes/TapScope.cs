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

        public TapScope(IEnumerable<string> declared, string qualifier = "")
        {
            _declared = new HashSet<string>(declared, StringComparer.Ordinal);
            Qualifier = qualifier;
        }

        /// <summary>
        /// What a tap's name is prefixed with in the exported graph: "" for a model's taps, the use's name and "/" for a block's
        /// own ("Fire1/s"), so two uses of a block (and the model) never share a tap in ONNX or the PyTorch twin.
        /// </summary>
        public string Qualifier { get; }

        /// <summary>The input of the model (or block) being walked: what <c>SizeOf = "input"</c> refers to where no tap has that name.</summary>
        public Shape? InputShape { get; set; }

        /// <summary>The tap's name in the exported graph.</summary>
        public string Qualify(string tap) => Qualifier + tap;

        /// <summary>The layer whose output flows at this point of the walk ("input" before the first layer).</summary>
        public string CurrentSource { get; set; } = "input";

        public bool IsDeclared(string name) => _declared.Contains(name);

        public bool TryGet(string name, out TapPoint tap) => _defined.TryGetValue(name, out tap!);

        public void Define(string name, Shape shape) => _defined[name] = new TapPoint(name, shape, CurrentSource, CurrentHead);

        public IEnumerable<string> DefinedNames => _defined.Keys;

        /// <summary>The head being walked (null in the trunk). A tap defined inside a head is that head's own.</summary>
        public string? CurrentHead { get; private set; }

        /// <summary>The taps of the trunk (defined before the first head): what a head may start from.</summary>
        public IEnumerable<string> TrunkNames
        {
            get { foreach (var tap in _defined.Values) if (tap.Head is null) yield return tap.Name; }
        }

        /// <summary>
        /// Enters head <paramref name="head"/>: taps of earlier heads go out of scope (a head sees the trunk's taps
        /// and its own), so the generated forward can drop each head's tensors when it ends.
        /// </summary>
        public void EnterHead(string head)
        {
            foreach (var name in new List<string>(_defined.Keys))
                if (_defined[name].Head is not null) { _left[name] = _defined[name]; _defined.Remove(name); }
            CurrentHead = head;
        }

        /// <summary>A tap that an earlier head defined (so out of scope here), for the message; null if none.</summary>
        public TapPoint? OfEarlierHead(string name) => _left.TryGetValue(name, out var tap) ? tap : null;

        private readonly Dictionary<string, TapPoint> _left = new(StringComparer.Ordinal);
    }

    /// <summary>A defined tap: its shape, the layer whose output it names, and the head it belongs to (null: the trunk).</summary>
    internal sealed record TapPoint(string Name, Shape Shape, string Source, string? Head = null);
}
