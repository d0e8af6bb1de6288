using System.Linq;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// Writes the public surface of a model or block whose analysis found errors (<see cref="ModelSurface"/>): the same
    /// members <see cref="ModelEmitter"/> and <see cref="BlockEmitter"/> write, with the values known without the shapes
    /// (the input shape, the layers' types) and, for the rest, a documented marker: <c>ParameterCount</c> is −1, and every
    /// member that needs the analysis — the constructor, <c>forward</c>, the output shapes, the layer table — throws an
    /// InvalidOperationException naming the errors. So the user's code that uses the class keeps compiling while the
    /// model is being fixed, and the only errors on screen are the MDSL ones (no CS0117 per use, and no editor offering to
    /// "generate" members that would clash once the model is right).
    /// </summary>
    internal static class ModelSurfaceEmitter
    {
        private const string Exception = "global::System.InvalidOperationException";
        private const string Interop = "global::ModelDsl.Interop.";

        public static string Emit(ModelSurface s) => TypeScaffold.Wrap(s.Type, w =>
        {
            string thrown = $"throw new {Exception}({SourceWriter.Literal(s.Problem + ". Fix the MDSL errors to generate it.")})";
            w.Doc($"{s.Problem}.\nOnly the public surface is generated until the errors are fixed: the members that need the shapes throw; ParameterCount is −1.");
            w.Line(TypeScaffold.GeneratedCode);
            string output = HeadAnalysis.OutputTypeName(s.Type.ClassName);
            w.Open($"partial class {s.Type.ClassName} : {(s.Heads.Count > 0 ? $"global::TorchSharp.torch.nn.Module<{TypeScaffold.Tensor}, {output}>" : TypeScaffold.ModuleBase)}");
            if (!s.IsBlock) WriteModelMetadata(w, s, thrown);
            foreach (var member in s.Members)
            {
                w.Doc($"{member.Description} (the model has errors: not constructed).");
                w.Line($"public {member.TypeName} {member.Name} {{ get; }}");
                w.Line();
            }
            if (s.BlockShortcut)
            {
                w.Doc("The 1×1 convolution + BatchNorm2d shortcut (the block has errors: not constructed).");
                w.Line("public global::TorchSharp.Modules.Sequential? Shortcut { get; }");
                w.Line();
            }
            if (s.BlockActivation is { } activation)
            {
                w.Doc("The activation after the residual addition (the block has errors: not constructed).");
                w.Line($"public {activation} Activation {{ get; }}");
                w.Line();
            }
            string parameters = !s.IsBlock ? "" : s.BlockShortcut ? "long channels, bool projectShortcut = false, long shortcutStrideH = 1, long shortcutStrideW = 1" : "long channels";
            w.Doc("Throws: the declaration has errors.");
            w.Line($"public {s.Type.ClassName}({parameters}) : base(\"{s.Type.ClassName}\") => {thrown};");
            w.Line();
            w.Doc("Called at the end of the generated constructor: initialise weights or hooks here.");
            w.Line("partial void OnCreated();");
            w.Line();
            w.Doc("Does nothing: nothing is constructed while the declaration has errors.");
            w.Line("protected override void RegisterComponents() { }");
            w.Line();
            w.Doc("Throws: the declaration has errors.");
            w.Line($"public override {(s.Heads.Count > 0 ? output : TypeScaffold.Tensor)} forward({TypeScaffold.Tensor} input) => {thrown};");
            if (!s.IsBlock)
            {
                w.Line();
                w.Doc("Throws: the model has errors.");
                w.Line($"public static {Interop}ModelGraph Graph => {thrown};");
                w.Line();
                w.Doc("Throws: the model has errors.");
                w.Line($"public void ExportOnnx(string path, int opset = {Interop}OnnxExport.DefaultOpset) => {thrown};");
                w.Line();
                w.Doc("Throws: the model has errors.");
                w.Line($"public static string PyTorchSource => {thrown};");
                w.Line();
                w.Doc("Throws: the model has errors.");
                w.Line($"public static {Interop}ReceptiveField ReceptiveField => {thrown};");
            }
            w.Close();
            if (s.Heads.Count > 0)
            {
                w.Line();
                OutputRecordEmitter.Write(w, s.Type.ClassName, s.Heads.Select(h => (h, $"Head {h} (the model has errors: its shape is not known).")).ToList());
            }
        });

        private static void WriteModelMetadata(SourceWriter w, ModelSurface s, string thrown)
        {
            const string shape = "global::ModelDsl.Shape";
            if (s.AnySizeChannels > 0)
            {
                w.Doc("Input channels.");
                w.Line($"public const long InputChannels = {s.AnySizeChannels};");
                w.Line();
                w.Doc("Which input sizes work: not known while the model has errors.");
                w.Line($"public const string Accepts = {SourceWriter.Literal("not known: " + s.Problem)};");
                w.Line();
                w.Doc("Throws: the model has errors.");
                w.Line($"public static global::ModelDsl.AnySizeInput AcceptedInput => {thrown};");
                w.Line();
                foreach (string member in s.Heads.Count == 0 ? new[] { "OutputShapeFor" } : s.Heads.Select(h => h + "ShapeFor").ToArray())
                {
                    w.Doc("Throws: the model has errors.");
                    w.Line($"public static {shape} {member}({shape} input) => {thrown};");
                    w.Line();
                }
            }
            else
            {
                w.Doc(s.Input is { } known ? $"Per-sample input shape (no batch dimension): {known}." : "Throws: the model's input shape is invalid.");
                w.Line(s.Input is { } input
                    ? $"public static {shape} InputShape {{ get; }} = {ModelEmitter.ShapeExpr(input)};"
                    : $"public static {shape} InputShape => {thrown};");
                w.Line();
                foreach (string member in s.Heads.Count == 0 ? new[] { "OutputShape" } : s.Heads.Select(h => h + "Shape").ToArray())
                {
                    w.Doc("Throws: the model has errors, so its output shape is not known.");
                    w.Line($"public static {shape} {member} => {thrown};");
                    w.Line();
                }
            }
            w.Doc("−1: not computed, the model has errors (a valid model's count is never negative).");
            w.Line("public const long ParameterCount = -1;");
            w.Line();
            w.Doc("Throws: the model has errors.");
            w.Line($"public static global::System.Collections.Generic.IReadOnlyList<global::ModelDsl.LayerInfo> Layers => {thrown};");
            w.Line();
            w.Doc("The errors, in place of the layer table.");
            w.Line($"public const string Summary = {SourceWriter.Literal(s.Problem)};");
            w.Line();
        }
    }
}
