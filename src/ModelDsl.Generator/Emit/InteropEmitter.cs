using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// Writes a model's interop members: the static <c>Graph</c> (every node in forward order with the
    /// <c>LayerOp</c> its catalog family exports, its state_dict path and shapes), <c>ExportOnnx</c> and
    /// <c>PyTorchSource</c>. The runtime's exporters walk the graph; nothing here switches on a layer kind.
    /// </summary>
    internal static class InteropEmitter
    {
        private const string Interop = "global::ModelDsl.Interop.";

        public static void Write(SourceWriter w, AnalyzedModel m)
        {
            w.Doc("The layer graph as the generator knows it: every layer, tap, merge and block use in forward order, with its arguments, state_dict path and shapes. ExportOnnx and PyTorchSource walk it.");
            string open = $"ModelGraph({Notation.Text(m.Type.ClassName)}, {Notation.Of(m.Input)}, {Code.Bool(m.AnySize is not null)}, {Notation.Of(m.Output)}, [";
            ModelEmitter.WriteTable(w, $"public static {Interop}ModelGraph Graph", $"{Interop}ModelGraph", "__modelDslGraph",
                open, m.Layers.Select(layer => Node(layer, StagePrefix(m, layer))), "])");
            w.Line();
            w.Doc("Writes the network in eval mode (batch norm with its running statistics, dropout off) as an ONNX model at opset 13 or later, with a dynamic batch axis"
                + (m.AnySize is null ? "" : " and dynamic height and width") + ". A layer that cannot be exported throws a NotSupportedException naming it.");
            w.Line($"public void ExportOnnx(string path, int opset = {Interop}OnnxExport.DefaultOpset) => {Interop}OnnxExport.Write(this, {(m.RuntimeArgs.Count > 0 ? "InstanceGraph" : "Graph")}, path, opset);");
            w.Line();
            if (m.AnySize is not null)
            {
                w.Doc("Writes the network as ExportOnnx does, for inputs of this height and width only (as torch.onnx writes the size it traced): for layers no dynamic ONNX graph expresses, such as an adaptive pool to a size other than 1×1.");
                w.Line($"public void ExportOnnx(string path, int height, int width, int opset = {Interop}OnnxExport.DefaultOpset) => {Interop}OnnxExport.Write(this, {(m.RuntimeArgs.Count > 0 ? "InstanceGraph" : "Graph")}, path, opset, (height, width));");
                w.Line();
            }
            w.Doc("Python defining the same network with torch.nn, whose state_dict names equal this module's (docs/INTEROP.md).");
            w.Line($"public static string PyTorchSource => {Interop}PyTorchTwin.Source(Graph);");
            w.Line();
            w.Doc($"The receptive field of the output (the last head's, with heads), computed at compile time: per axis how many input pixels one output position sees and how far apart neighbouring ones look, as the course computes it — {m.Field.Cell}{(m.AnySize is null ? "" : $" at the input {m.Input}")}. Layers carries every layer's; ReceptiveField.PerLayer(Graph) computes the same from the graph.");
            w.Line($"public static {Interop}ReceptiveField ReceptiveField {{ get; }} = {m.Field.Source};");
            w.Line();
        }

        // Layers in a declared stage live in the stage's Sequential, so their tensors are "Stage.Layer.weight".
        private static string StagePrefix(AnalyzedModel m, ResolvedLayer layer)
            => layer.HasModule && layer.Stage is { } stage && m.Stages.Contains(stage) ? stage + "." : "";

        private static string Node(ResolvedLayer layer, string prefix)
        {
            string op = layer.Code.Export ?? Notation.Record("UnsupportedOp", Notation.Text(layer.KindName));
            // The state_dict path: the registration segments from the model down (a stated Key replaces a property's name).
            string path = layer.HasModule ? prefix + layer.Segment : "";
            var args = new List<string> { Notation.Text(layer.Name), Notation.Text(path), op, Notation.Of(layer.Input), Notation.Of(layer.Output) };
            if (layer.Children.Count > 0) args.Add(Notation.List(layer.Children.Select(c => Node(c, path + "."))));
            return Notation.Record("GraphNode", args.ToArray());
        }
    }
}
