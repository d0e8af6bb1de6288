using System.Collections.Generic;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// The <c>forward</c> body of a model with taps and merges. A tap is a second handle on the current
    /// tensor, kept alive until its last merge; every other intermediate is disposed as soon as nothing
    /// later needs it, as in a plain chain (the input is never disposed). Layers run through call() so hooks fire.
    /// </summary>
    internal static class GraphForward
    {
        private const string Steps = "global::ModelDsl.ForwardSteps.";

        public static void Write(SourceWriter w, IReadOnlyList<ResolvedLayer> nodes)
        {
            // Tensors are numbered by the node that produced them (-1: the input); a tap aliases one.
            var tapTensor = new Dictionary<string, int>(System.StringComparer.Ordinal);
            var lastUse = new Dictionary<int, int>();
            int tensor = -1;
            for (int i = 0; i < nodes.Count; i++)
            {
                var graph = nodes[i].Graph;
                if (graph?.Op == GraphEdge.TapOp) { tapTensor[graph.Tap] = tensor; continue; }
                if (graph is not null) lastUse[tapTensor[graph.Tap]] = i;
                tensor = i;
            }

            var variables = new Dictionary<string, string>(System.StringComparer.Ordinal);
            int current = -1;
            bool declared = false;
            string Current() => declared ? "x" : "input";
            bool NeededAfter(int t, int i) => lastUse.TryGetValue(t, out int last) && last > i;
            string Assign(string expression)
            {
                string line = declared ? $"x = {expression};" : $"var x = {expression};";
                declared = true;
                return line;
            }

            for (int i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                var graph = node.Graph;
                if (graph?.Op == GraphEdge.TapOp)
                {
                    string variable = "tap" + (variables.Count + 1);
                    variables[graph.Tap] = variable;
                    tapTensor[graph.Tap] = current;
                    w.Line($"var {variable} = {Current()}; // Tap(\"{graph.Tap}\"): {node.Output}, kept for a later merge");
                    continue;
                }
                if (graph is null)
                {
                    string call = $"{node.Name}.call({Current()})";
                    bool disposable = declared && current != -1 && !NeededAfter(current, i);
                    w.Line(disposable ? $"x = {Steps}Advance(x, {call}, input);" : Assign(call));
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
                string helper = graph.Op == GraphEdge.AddOp ? "Add" : "Concat";
                w.Line(Assign($"{Steps}{helper}({Current()}, {operand}, disposeCurrent: {Bool(disposeCurrent)}, disposeTap: {Bool(disposeOperand)})") + $" // {node.Name}: {node.Output}");
                if (graph.Projected && tapDone && t != current) w.Line($"{tap}.Dispose();");
                current = i;
            }
            w.Line(declared ? "return x;" : "return input;");
        }

        private static string Bool(bool v) => v ? "true" : "false";
    }
}
