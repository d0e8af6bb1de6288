using System.Collections.Generic;
using System.Linq;
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
            if (block.IsGraph) return EmitGraph(block);
            var type = block.Type;
            var layers = block.Layers;
            return TypeScaffold.Wrap(type, w =>
            {
                w.Doc($"Block {type.ClassName}: {layers.Count} layers{(block.IsResidual ? ", residual" : "")}. Its shapes depend on its input and are checked wherever a model uses it.");
                w.Line(TypeScaffold.GeneratedCode);
                w.Open($"partial class {type.ClassName} : {TypeScaffold.ModuleBase}");

                foreach (var layer in layers)
                {
                    w.Doc(layer.Code.Description);
                    w.Line($"public {layer.Code.TypeName} {layer.Name} {{ get; }}");
                    w.Line();
                }
                WriteResidualMembers(w, block);

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
                TypeScaffold.EndConstructor(w, layers.Any(l => Layers.LayerScaleLayer.IsLayerScale(l.Code.TypeName)));
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

        /// <summary>A residual block's Shortcut (where it allows a projection) and Activation properties, for both kinds of block.</summary>
        private static void WriteResidualMembers(SourceWriter w, AnalyzedBlock block)
        {
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
        }

        private const string Steps = "global::ModelDsl.ForwardSteps.";

        /// <summary>
        /// A graph block (taps, From, merges, blocks in it): typed properties, a parts constructor the model calls with the
        /// members it built for one use (a projection a use does not need is null), and a forward that runs the steps. Its
        /// intermediate tensors live in a dispose scope of their own, so taps kept for a later merge are freed with the block.
        /// </summary>
        private static string EmitGraph(AnalyzedBlock block)
        {
            var type = block.Type;
            var members = block.Layers;
            return TypeScaffold.Wrap(type, w =>
            {
                w.Doc($"Block {type.ClassName}: a graph of {members.Count} parts{(block.IsResidual ? ", residual" : "")}. Its shapes depend on its input and are checked wherever a model uses it; the model builds its parts for each use.");
                w.Line(TypeScaffold.GeneratedCode);
                w.Open($"partial class {type.ClassName} : {TypeScaffold.ModuleBase}");
                foreach (var member in members)
                {
                    w.Doc(member.Code.Description + (member.Optional ? " Null where a use has none." : ""));
                    w.Line($"public {member.Code.TypeName}{(member.Optional ? "?" : "")} {member.Name} {{ get; }}");
                    w.Line();
                }
                WriteResidualMembers(w, block);
                var parameters = members.Select(m => $"{m.Code.TypeName}{(m.Optional ? "?" : "")} @{m.Name}").ToList();
                if (block.DynamicKeys) parameters.Add("string[]? keys = null");
                if (block.Shortcut is not null) parameters.Add("global::TorchSharp.Modules.Sequential? shortcut = null");
                w.Doc("Creates the block from its parts, as a model builds them for one use (each registered under its state_dict key).");
                w.Open($"public {type.ClassName}({string.Join(", ", parameters)}) : base(\"{type.ClassName}\")");
                foreach (var member in members) w.Line($"this.{member.Name} = @{member.Name};"); // a parameter has its part's name: "this." is the property
                int registered = 0;
                foreach (var member in members.Where(m => !m.IsFlag))
                {
                    // With computed keys the model passes each use's (keys[k]); a member's own name stands in for a missing one.
                    string key = !block.DynamicKeys ? SourceWriter.Literal(member.Key)
                        : $"keys?[{registered}] ?? {SourceWriter.Literal(StateDictKeys.IsExpression(member.Key) ? member.Name : member.Key)}";
                    registered++;
                    w.Line(member.Optional ? $"if ({member.Name} is not null) register_module({key}, {member.Name});" : $"register_module({key}, {member.Name});");
                }
                if (block.Shortcut is not null)
                {
                    w.Line("Shortcut = shortcut;");
                    w.Line("if (Shortcut is not null) register_module(\"Shortcut\", Shortcut);");
                }
                if (block.Activation is { } then)
                {
                    w.Line($"Activation = {Layers.ActivationLayers.ConstructWithDefaults(then)};");
                    w.Line("register_module(\"Activation\", Activation);");
                }
                TypeScaffold.EndConstructor(w, members.Any(m => Layers.LayerScaleLayer.IsLayerScale(m.Code.TypeName)));
                w.Line();

                w.Doc("Runs the block's steps: its layers and blocks, its taps, From and merges" + (block.IsResidual ? ", then the residual addition." : "."));
                w.Open($"public override {TypeScaffold.Tensor} forward({TypeScaffold.Tensor} input)");
                w.Line("using var scope = global::TorchSharp.torch.NewDisposeScope();");
                w.Line("var x = input;");
                var taps = new Dictionary<string, string>(System.StringComparer.Ordinal);
                string If(BlockStep step) => step.Flag is { } flag ? $"if ({flag}) " : "";
                string Tap(string name) => taps.TryGetValue(name, out var v) ? v : taps[name] = "tap" + taps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (var step in block.Graph)
                {
                    switch (step.Kind)
                    {
                        case BlockStep.Tap: w.Line($"var {Tap(step.TapName!)} = x;"); break;
                        case BlockStep.Chunk: w.Line($"var {Tap(step.TapName!)} = {Steps}Chunk(x, {step.Arguments});"); break;
                        case BlockStep.From: w.Line($"x = {Tap(step.TapName!)};"); break;
                        case BlockStep.Module: w.Line(step.Optional ? $"if ({step.Member} is not null) x = {step.Member}.call(x);" : $"x = {step.Member}.call(x);"); break;
                        case BlockStep.Add:
                            string operand = step.Member is { } projection ? $"{projection} is null ? {Tap(step.TapName!)} : {projection}.call({Tap(step.TapName!)})" : Tap(step.TapName!);
                            w.Line($"{If(step)}x = {Steps}Add(x, {operand}, false, false);");
                            break;
                        case BlockStep.Concat: w.Line($"{If(step)}x = {Steps}Concat(x, {Tap(step.TapName!)}, false, false, tapFirst: {(step.TapFirst ? "true" : "false")});"); break;
                        case BlockStep.Multiply: w.Line($"{If(step)}x = {Steps}Multiply(x, {Tap(step.TapName!)}, false, false);"); break;
                        case BlockStep.UpsampleTo:
                        case BlockStep.PadTo:
                            // "input" is the block's input where no tap of the block has that name.
                            string reference = taps.ContainsKey(step.TapName!) || block.Graph.Any(s => s.Kind == BlockStep.Tap && s.TapName == step.TapName) ? Tap(step.TapName!) : "input";
                            w.Line($"{If(step)}x = {Steps}{(step.Kind == BlockStep.PadTo ? "PadTo" : "UpsampleTo")}(x, {reference}, false, false, {step.Arguments});");
                            break;
                    }
                }
                if (block.IsResidual)
                {
                    w.Line($"x = {Steps}Add(x, {(block.Shortcut is not null ? "Shortcut is null ? input : Shortcut.call(input)" : "input")}, false, false);");
                    if (block.Activation is not null) w.Line("x = Activation.call(x);");
                }
                // The result outlives the block's scope; the input is the caller's.
                w.Line("return ReferenceEquals(x, input) ? x : x.MoveToOuterDisposeScope();");
                w.Close();

                w.Close();
            });
        }
    }
}
