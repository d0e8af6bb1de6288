using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// Writes a [Block] class: a module built from its input channel count, because a block's shapes
    /// depend on where it is used. Models pass the channels (and the projection shortcut's stride) in.
    /// </summary>
    internal static class BlockEmitter
    {
        /// <summary>Names a block's generated members take besides its layers.</summary>
        public static readonly string[] OwnMembers = { "Shortcut", "Activation" };

        public static string Emit(ModelSpec spec)
        {
            var block = spec.OwnBlock!;
            var layers = block.Layers.ToList();
            var names = LayerNaming.Assign(layers, new HashSet<string>(OwnMembers), null);

            // Channel counts are C# expressions over the constructor's `channels`.
            var inExprs = new string[layers.Count];
            var outExprs = new string[layers.Count];
            var geometries = new LayerGeometry[layers.Count];
            string current = "channels";
            for (int i = 0; i < layers.Count; i++)
            {
                geometries[i] = GeometryReader.Read(layers[i], names[i], new DiagnosticSink(new List<Diagnostics.DiagnosticInfo>()))!;
                inExprs[i] = current;
                if (layers[i].Kind is LayerKind.Conv2d or LayerKind.ConvTranspose2d && geometries[i].OutChannels > 0)
                    current = geometries[i].OutChannels.ToString(System.Globalization.CultureInfo.InvariantCulture);
                outExprs[i] = current;
            }
            bool hasActivation = block.IsResidual && block.ResidualThen != "None";

            return TypeScaffold.Wrap(spec, w =>
            {
                w.Doc($"Block {spec.ClassName}: {layers.Count} layers{(block.IsResidual ? ", residual" : "")}. Its shapes depend on its input and are checked wherever a model uses it.");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"ModelDsl.Generator\", \"1.0\")]");
                w.Open($"partial class {spec.ClassName} : {TypeScaffold.ModuleBase}");

                for (int i = 0; i < layers.Count; i++)
                {
                    w.Doc(LayerConstruction.Describe(layers[i].Kind, geometries[i], 0, 0).Replace("(0, 0, ", "(in, out, ").Replace("(0, ", "(channels, "));
                    w.Line($"public {LayerConstruction.TypeName(layers[i].Kind)} {names[i]} {{ get; }}");
                    w.Line();
                }
                if (block.Projection)
                {
                    w.Doc("The 1×1 convolution + BatchNorm2d shortcut, present when the model needs a projection at this place; null for an identity shortcut.");
                    w.Line("public global::TorchSharp.Modules.Sequential? Shortcut { get; }");
                    w.Line();
                }
                if (hasActivation)
                {
                    w.Doc($"{block.ResidualThen} applied after the residual addition.");
                    w.Line($"public global::TorchSharp.Modules.{block.ResidualThen} Activation {{ get; }}");
                    w.Line();
                }

                if (block.Projection)
                {
                    w.Doc("Creates the block for an input with <paramref name=\"channels\"/> channels; the model passes whether a projection shortcut is needed and its stride.".Replace("<paramref name=\"channels\"/>", "channels"));
                    w.Open($"public {spec.ClassName}(long channels, bool projectShortcut = false, long shortcutStrideH = 1, long shortcutStrideW = 1) : base(\"{spec.ClassName}\")");
                }
                else
                {
                    w.Doc("Creates the block for an input with the given number of channels.");
                    w.Open($"public {spec.ClassName}(long channels) : base(\"{spec.ClassName}\")");
                }
                for (int i = 0; i < layers.Count; i++)
                    w.Line($"{names[i]} = {LayerConstruction.Call(layers[i].Kind, geometries[i], inExprs[i], outExprs[i])};");
                for (int i = 0; i < layers.Count; i++)
                    w.Line($"register_module({SourceWriter.Literal(names[i])}, {names[i]});");
                if (block.Projection)
                {
                    w.Open("if (projectShortcut)");
                    string convCall = LayerConstruction.ProjectionShortcutConv("channels", current);
                    string bnCall = LayerConstruction.Call(LayerKind.BatchNorm2d, new LayerGeometry(), current, current);
                    w.Line($"Shortcut = global::TorchSharp.torch.nn.Sequential((\"Conv\", ({TypeScaffold.ModuleBase}){convCall}), (\"BatchNorm\", ({TypeScaffold.ModuleBase}){bnCall}));");
                    w.Line("register_module(\"Shortcut\", Shortcut);");
                    w.Close();
                }
                if (hasActivation)
                {
                    w.Line($"Activation = global::TorchSharp.torch.nn.{block.ResidualThen}();");
                    w.Line("register_module(\"Activation\", Activation);");
                }
                w.Line("OnCreated();");
                w.Close();
                w.Line();
                w.Doc("Called at the end of the generated constructor: initialise weights or hooks here.");
                w.Line("partial void OnCreated();");
                w.Line();

                w.Doc(block.IsResidual ? $"Computes {(hasActivation ? block.ResidualThen + "(" : "")}x + f(x){(hasActivation ? ")" : "")}, f being the block's layers." : "Runs the block's layers in order.");
                w.Open($"public override {TypeScaffold.Tensor} forward({TypeScaffold.Tensor} input)");
                for (int i = 0; i < layers.Count; i++)
                    w.Line(i == 0 ? $"var x = {names[i]}.forward(input);" : $"x = global::ModelDsl.ForwardSteps.Advance(x, {names[i]}.forward(x), input);");
                if (block.IsResidual)
                {
                    w.Line(block.Projection
                        ? "var sum = global::ModelDsl.ForwardSteps.AddResidual(x, Shortcut is null ? input : Shortcut.forward(input), input);"
                        : "var sum = global::ModelDsl.ForwardSteps.AddResidual(x, input, input);");
                    w.Line(hasActivation ? "return global::ModelDsl.ForwardSteps.Advance(sum, Activation.forward(sum), input);" : "return sum;");
                }
                else w.Line("return x;");
                w.Close();

                w.Close();
            });
        }
    }
}
