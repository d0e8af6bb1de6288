using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// A model with a shape error still gets its public surface, so code using it compiles and the only errors are the
/// MDSL ones — not a CS0117 per use of a generated member, which an editor would offer to "fix" by adding members that
/// clash once the model is right.
/// </summary>
public class BrokenModelSurfaceTests
{
    private const string Uses = """
        public static class Uses
        {
            public static object All(TorchSharp.torch.Tensor x)
            {
                var net = new Net();
                TorchSharp.Modules.Conv2d conv = net.Conv1;
                TorchSharp.Modules.Sequential features = net.Features;
                ModelDsl.Shape input = Net.InputShape, output = Net.OutputShape;
                long parameters = Net.ParameterCount;
                string summary = Net.Summary;
                System.Collections.Generic.IReadOnlyList<ModelDsl.LayerInfo> layers = Net.Layers;
                net.ExportOnnx("net.onnx");
                string python = Net.PyTorchSource;
                return (conv, features, input, output, parameters, summary, layers, python, net.call(x));
            }
        }
        """;

    private static void AssertOnlyMdsl(GeneratorRun run, params string[] ids)
    {
        Assert.Equal(ids.Order(), run.Mdsl.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Order());
        var compiler = run.CompilationDiagnostics.ToList();
        Assert.True(compiler.Count == 0, "compiler diagnostics besides the MDSL ones:\n" + string.Join("\n", compiler));
    }

    [Fact]
    public void A_model_with_a_shape_error_yields_exactly_its_MDSL_error_and_its_uses_compile()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 3, Height = 32, Width = 32)]
            [Stage("Features")]
            [Conv2d(16, 3, Padding = 1), ReLU, MaxPool2d(2)]
            [Stage("Classifier")]
            [Flatten, Linear(10, InFeatures = 999)]
            public partial class Net;
            """, Uses);
        AssertOnlyMdsl(run, "MDSL0002");
        var surface = run.Source("Net.g.cs");
        Assert.Contains("public const long ParameterCount = -1;", surface);
        Assert.Contains("public static global::ModelDsl.Shape InputShape { get; } = new global::ModelDsl.Shape(3, 32, 32);", surface);
        Assert.Contains("public global::TorchSharp.Modules.Linear Linear1 { get; }", surface); // after the error, typed from its arguments
    }

    [Fact]
    public void The_surface_tells_the_user_what_is_wrong_when_it_runs()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            namespace N;
            [Model(Channels = 1, Height = 8, Width = 8)]
            [Conv2d(4, 9), Flatten, Linear(2)]
            public partial class Tiny;
            """);
        AssertOnlyMdsl(run, "MDSL0001");
        var type = run.Load().GetType("N.Tiny")!;
        Assert.Equal(-1L, type.GetField("ParameterCount")!.GetValue(null));
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => System.Activator.CreateInstance(type));
        var e = Assert.IsType<System.InvalidOperationException>(thrown.InnerException);
        Assert.Contains("Tiny has an error: MDSL0001 Conv2d 'Conv1' turns 8×8 into 0×0", e.Message);
    }

    [Fact]
    public void Heads_any_size_and_a_broken_block_keep_their_surfaces()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Block, Residual(Projection = true, Then = Act.ReLU)]
            [Conv2d(8, 3, Padding = -1)]
            public partial class BadBlock;

            [Model(Channels = 3)]
            [Conv2d(8, 3, Padding = 1), ReLU, Tap("t")]
            [Head("Mask", From = "t"), Conv2d(2, 1)]
            [Head("Score", From = "t"), AdaptiveAvgPool2d(1), Flatten, Linear(1, InFeatures = 5)]
            public partial class TwoHeads;

            public static class Uses
            {
                public static object All(TorchSharp.torch.Tensor x)
                {
                    var heads = new TwoHeads().call(x);
                    TorchSharp.torch.Tensor mask = heads.Mask, score = heads.Score;
                    ModelDsl.Shape s = TwoHeads.MaskShapeFor(new ModelDsl.Shape(3, 16, 16));
                    long c = TwoHeads.InputChannels;
                    var block = new BadBlock(8, projectShortcut: true);
                    return (mask, score, s, c, block.Shortcut, block.Activation);
                }
            }
            """);
        var errors = run.Mdsl.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToList();
        Assert.Contains("MDSL0002", errors);
        Assert.Contains("MDSL0007", errors); // the block's own error (a negative padding)
        var compiler = run.CompilationDiagnostics.ToList();
        Assert.True(compiler.Count == 0, "compiler diagnostics besides the MDSL ones:\n" + string.Join("\n", compiler));
    }
}
