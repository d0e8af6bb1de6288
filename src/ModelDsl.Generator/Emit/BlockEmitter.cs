using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>
    /// Writes a [Block] class: a module built from its input channel count, because a block's shapes
    /// depend on where it is used. Models pass the channels (and the projection shortcut's stride) in.
    /// </summary>
    internal static class BlockEmitter
    {
        public static string Emit(AnalyzedBlock block)
        {
            var type = block.Type;
            var layers = block.Layers;
            return TypeScaffold.Wrap(type, w =>
            {
                w.Doc($"Block {type.ClassName}: {layers.Count} layers{(block.IsResidual ? ", residual" : "")}. Its shapes depend on its input and are checked wherever a model uses it.");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"ModelDsl.Generator\", \"1.0\")]");
                w.Open($"partial class {type.ClassName} : {TypeScaffold.ModuleBase}");

                foreach (var layer in layers)
                {
                    w.Doc(layer.Code.Description);
                    w.Line($"public {layer.Code.TypeName} {layer.Name} {{ get; }}");
                    w.Line();
                }
                if (block.Shortcut is not null)
                {
                    w.Doc("The 1×1 convolution + BatchNorm2d shortcut, present when the model needs a projection at this place; null for an identity shortcut.");
                    w.Line("public global::TorchSharp.Modules.Sequential? Shortcut { get; }");
                    w.Line();
                }
                if (block.Activation is { } activation)
                {
                    w.Doc($"{activation} applied after the residual addition.");
                    w.Line($"public {Layers.ActivationLayers.TypeNameOf(activation)} Activation {{ get; }}");
                    w.Line();
                }

                if (block.Shortcut is not null)
                {
                    w.Doc("Creates the block for an input with channels channels; the model passes whether a projection shortcut is needed and its stride.");
                    w.Open($"public {type.ClassName}(long channels, bool projectShortcut = false, long shortcutStrideH = 1, long shortcutStrideW = 1) : base(\"{type.ClassName}\")");
                }
                else
                {
                    w.Doc("Creates the block for an input with the given number of channels.");
                    w.Open($"public {type.ClassName}(long channels) : base(\"{type.ClassName}\")");
                }
                foreach (var layer in layers)
                    w.Line($"{layer.Name} = {layer.Code.Construction};");
                foreach (var layer in layers)
                    w.Line($"register_module({SourceWriter.Literal(layer.Key)}, {layer.Name});");
                if (block.Shortcut is { } shortcut)
                {
                    w.Open("if (projectShortcut)");
                    w.Line($"Shortcut = {Layers.Code.ProjectionSequential(shortcut.ConvCall, shortcut.BatchNormCall)};");
                    w.Line("register_module(\"Shortcut\", Shortcut);");
                    w.Close();
                }
                if (block.Activation is { } then)
                {
                    w.Line($"Activation = {Layers.ActivationLayers.ConstructWithDefaults(then)};");
                    w.Line("register_module(\"Activation\", Activation);");
                }
                w.Line("OnCreated();");
                w.Close();
                w.Line();
                w.Doc("Called at the end of the generated constructor: initialise weights or hooks here.");
                w.Line("partial void OnCreated();");
                w.Line();
                w.Doc("Does nothing: the constructor registers every layer under its name. TorchSharp calls this when the module is registered into another, and its field scan would register each property's backing field a second time (state_dict keys such as \"<Conv1>k__BackingField.weight\").");
                w.Line("protected override void RegisterComponents() { }");
                w.Line();

                string? act = block.Activation;
                w.Doc(block.IsResidual ? $"Computes {(act is not null ? act + "(" : "")}x + f(x){(act is not null ? ")" : "")}, f being the block's layers." : "Runs the block's layers in order.");
                w.Open($"public override {TypeScaffold.Tensor} forward({TypeScaffold.Tensor} input)");
                for (int i = 0; i < layers.Count; i++)
                    w.Line(i == 0 ? $"var x = {layers[i].Name}.call(input);" : $"x = global::ModelDsl.ForwardSteps.Advance(x, {layers[i].Name}.call(x), input);");
                if (block.IsResidual)
                {
                    w.Line(block.Shortcut is not null
                        ? "var sum = global::ModelDsl.ForwardSteps.AddResidual(x, Shortcut is null ? input : Shortcut.call(input), input);"
                        : "var sum = global::ModelDsl.ForwardSteps.AddResidual(x, input, input);");
                    w.Line(act is not null ? "return global::ModelDsl.ForwardSteps.Advance(sum, Activation.call(sum), input);" : "return sum;");
                }
                else w.Line("return x;");
                w.Close();

                w.Close();
            });
        }
    }
}
