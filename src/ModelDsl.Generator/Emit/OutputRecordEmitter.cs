using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// The <c>{Model}Output</c> record struct of a model with heads: one tensor per head in source order, and
    /// <c>ModelDsl.IModelOutput</c> so that code written for any such model (a Learner, a loss over all heads)
    /// reaches the heads without knowing their names.
    /// </summary>
    internal static class OutputRecordEmitter
    {
        public static string TypeName(AnalyzedModel m) => HeadAnalysis.OutputTypeName(m.Type.ClassName);

        public static void Write(SourceWriter w, AnalyzedModel m)
            => Write(w, m.Type.ClassName, m.Heads.Select(h => (h.Name, Describe(m, h))).ToList());

        /// <summary>The record of <paramref name="className"/>'s heads, each with its doc text (also for a model with errors, whose heads' shapes are not known).</summary>
        public static void Write(SourceWriter w, string className, IReadOnlyList<(string Name, string Doc)> heads)
        {
            string type = HeadAnalysis.OutputTypeName(className);
            string list = "global::System.Collections.Generic.IReadOnlyList";
            w.Line("/// <summary>");
            w.Line("/// " + SourceWriter.Escape($"What {className}.forward returns: one tensor per head, each with the batch dimension first."));
            w.Line("/// </summary>");
            foreach (var (name, doc) in heads)
                w.Line($"/// <param name=\"{name}\">{SourceWriter.Escape(doc)}</param>");
            w.Line(TypeScaffold.GeneratedCode);
            w.Open($"public readonly record struct {type}({string.Join(", ", heads.Select(h => $"{TypeScaffold.Tensor} {h.Name}"))}) : global::ModelDsl.IModelOutput");
            w.Line($"private static readonly {list}<string> s_headNames = global::System.Array.AsReadOnly(new[] {{ {string.Join(", ", heads.Select(h => SourceWriter.Literal(h.Name)))} }});");
            w.Line();
            w.Doc($"The heads' tensors in declaration order: {string.Join(", ", heads.Select(h => h.Name))}.");
            w.Line($"public {list}<{TypeScaffold.Tensor}> Heads => new[] {{ {string.Join(", ", heads.Select(h => h.Name))} }};");
            w.Line();
            w.Doc("The heads' names, in the order of Heads.");
            w.Line($"public {list}<string> HeadNames => s_headNames;");
            w.Close();
        }

        private static string Describe(AnalyzedModel m, HeadOutput head)
            => m.AnySize is null
                ? $"Head {head.Name}: N×{head.Output} ({head.Name}Shape)."
                : $"Head {head.Name}: N×{head.Output} at the input {m.Input}; {head.Name}ShapeFor(input) gives it for any accepted input.";
    }
}
