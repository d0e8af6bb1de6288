using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// The <c>forward</c> body of a model with taps, merges or heads. A tap is a second handle on the current
    /// tensor, kept alive until its last use (a merge, or the start of a head); every other intermediate is
    /// disposed as soon as nothing later needs it, as in a plain chain (the input is never disposed). A head
    /// continues from its tap and ends in a handle of its own, which nothing disposes: it is returned in the
    /// output record. Layers run through call() so hooks fire.
    /// </summary>
    internal static class GraphForward
    {
        private const string Steps = "global::ModelDsl.ForwardSteps.";

        /// <param name="outputType">The output record of a model with heads; null for a model with one output.</param>
        public static void Write(SourceWriter w, IReadOnlyList<ResolvedLayer> nodes, string? outputType)
        {
            // Tensors are numbered by the node that produced them (-1: the input); a tap aliases one, and a head
            // continues from its tap's. lastUse: the last node that reads a tapped tensor.
            var tapTensor = new Dictionary<string, int>(System.StringComparer.Ordinal);
            var lastUse = new Dictionary<int, int>();
            var headTaps = new HashSet<string>(System.StringComparer.Ordinal);
            int tensor = -1;
            // Upsample(SizeOf = "input") reads the model's input where no tap has that name.
            bool inputTap = !nodes.Any(n => n.Graph?.Op == GraphEdge.TapOp && n.Graph.Tap == GraphEdge.InputTap);
            if (inputTap) tapTensor[GraphEdge.InputTap] = -1;
            for (int i = 0; i < nodes.Count; i++)
            {
                var graph = nodes[i].Graph;
                if (graph?.Op == GraphEdge.TapOp) { tapTensor[graph.Tap] = tensor; continue; }
                // A chunk's part is a tensor of its own (a slice), read from the current one.
                if (graph?.Op == GraphEdge.ChunkOp) { lastUse[tensor] = i; tapTensor[graph.Tap] = i; continue; }
                if (graph?.Op == GraphEdge.HeadOp || graph?.Op == GraphEdge.FromOp)
                {
                    if (graph.Op == GraphEdge.HeadOp) headTaps.Add(graph.Tap);
                    tensor = tapTensor[graph.Tap];
                    lastUse[tensor] = i;
                    continue;
                }
                if (graph is not null) lastUse[tapTensor[graph.Tap]] = i;
                tensor = i;
            }

            var variables = new Dictionary<string, string>(System.StringComparer.Ordinal);
            if (inputTap) variables[GraphEdge.InputTap] = "input";
            var heads = new List<string>();
            int current = -1;
            bool declared = false;
            string currentVariable = "input";
            bool NeededAfter(int t, int i) => lastUse.TryGetValue(t, out int last) && last > i;
            // Taps and chunk parts share one numbering (tap1, tap2, …), after the model's input when it is tap-able.
            string KeepAs(string tap) => variables[tap] = "tap" + (variables.Count + (inputTap ? 0 : 1));
            string Assign(string expression)
            {
                string line = declared ? $"x = {expression};" : $"var x = {expression};";
                declared = true;
                currentVariable = "x";
                return line;
            }
            void EndHead()
            {
                if (outputType is null || heads.Count == 0) return;
                w.Line($"var {heads[heads.Count - 1]} = {currentVariable};");
            }

            for (int i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                var graph = node.Graph;
                if (graph?.Op == GraphEdge.TapOp)
                {
                    string variable = KeepAs(graph.Tap);
                    tapTensor[graph.Tap] = current;
                    string use = headTaps.Contains(graph.Tap) ? "kept for the heads that start from it" : "kept for a later merge";
                    w.Line($"var {variable} = {currentVariable}; // Tap(\"{graph.Tap}\"): {node.Output}, {use}");
                    continue;
                }
                if (graph?.Op == GraphEdge.ChunkOp)
                {
                    string variable = KeepAs(graph.Tap);
                    tapTensor[graph.Tap] = i;
                    w.Line($"var {variable} = {Steps}Chunk({currentVariable}{graph.Arguments}); // Chunk part \"{graph.Tap}\": {node.Output}");
                    continue;
                }
                if (graph?.Op == GraphEdge.FromOp)
                {
                    // A branch restarts from its tap. The tensor the last branch ended in is disposed here when
                    // nothing later reads it (no tap of it is used again) — unless it is the input or this very tap.
                    int from = tapTensor[graph.Tap];
                    if (current != -1 && current != from && currentVariable == "x" && !NeededAfter(current, i))
                        w.Line("x.Dispose(); // the branch before this From ends unused");
                    current = from;
                    currentVariable = current == -1 ? "input" : variables[graph.Tap];
                    w.Line($"// From(\"{graph.Tap}\"): {node.Output}");
                    continue;
                }
                if (graph?.Op == GraphEdge.HeadOp)
                {
                    EndHead();
                    heads.Add("head" + (heads.Count + 1));
                    current = tapTensor[graph.Tap];
                    currentVariable = current == -1 ? "input" : variables[graph.Tap];
                    w.Line($"// Head {node.Name}: from tap '{graph.Tap}' ({node.Output})");
                    continue;
                }
                if (graph is null)
                {
                    string call = $"{node.Name}.call({currentVariable})";
                    // The input is never disposed; a tapped tensor only after its last use.
                    bool disposable = current != -1 && !NeededAfter(current, i);
                    w.Line(disposable ? Assign($"{Steps}Advance({currentVariable}, {call}, input)") : Assign(call));
                    current = i;
                    continue;
                }

                // A merge: current ⊕ tap. Either operand is disposed here when nothing later needs it.
                int t = tapTensor[graph.Tap];
                string tap = variables[graph.Tap];
                bool tapDone = t != -1 && !NeededAfter(t, i);
                bool disposeCurrent = current != -1 && !NeededAfter(current, i);
                string operand = graph.Projected ? $"{node.Name}.call({tap})" : tap;
                // A projected operand is a fresh tensor, always disposed; the tap itself then separately.
                bool disposeOperand = graph.Projected || (tapDone && t != current);
                string helper = graph.Op; // ForwardSteps.Add, .Concat, .Multiply or .UpsampleTo
                string first = currentVariable;
                string order = graph.TapFirst ? ", tapFirst: true" : "";
                w.Line(Assign($"{Steps}{helper}({first}, {operand}, disposeCurrent: {Bool(disposeCurrent)}, disposeTap: {Bool(disposeOperand)}{order}{graph.Arguments})") + $" // {node.Name}: {node.Output}");
                if (graph.Projected && tapDone && t != current) w.Line($"{tap}.Dispose();");
                current = i;
            }
            if (outputType is not null)
            {
                EndHead();
                w.Line($"return new {outputType}({string.Join(", ", heads)});");
            }
            else w.Line(declared ? "return x;" : "return input;");
        }

        private static string Bool(bool v) => v ? "true" : "false";
    }
}
