using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Parallel branches and gates in a model: [From] restarts the chain from a tap, Concat can put the tapped channels
/// first, Multiply broadcasts a squeeze-and-excitation gate. Each forward equals the same computation written by hand
/// with the model's own layers.
/// </summary>
public class BranchModelTests
{
    private const string Source = """
        using ModelDsl;
        namespace Zoo;
        // SqueezeNet's Fire: squeeze, then expand1x1 and expand3x3 from the squeeze, cat([e1, e3]).
        [Model(Channels = 8, Height = 6, Width = 6)]
        [Conv2d(4, 1, Name = "Squeeze"), ReLU, Tap("s")]
        [Conv2d(6, 1, Name = "Expand1"), ReLU, Tap("e1")]
        [From("s"), Conv2d(6, 3, Padding = 1, Name = "Expand3"), ReLU, Concat("e1", Order = ConcatOrder.TapFirst)]
        public partial class Fire;

        // A squeeze-and-excitation gate on a map of any size.
        [Model(Channels = 8)]
        [Tap("x"), GlobalAvgPool, Conv2d(2, 1, Name = "Reduce"), ReLU, Conv2d(8, 1, Name = "Expand"), Hardsigmoid, Multiply("x")]
        public partial class SqueezeExcite;
        """;

    private static (Type Fire, Type Se) Compile()
    {
        var run = GeneratorHarness.Run(Source);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
        var assembly = run.Load();
        return (assembly.GetType("Zoo.Fire")!, assembly.GetType("Zoo.SqueezeExcite")!);
    }

    private static nn.Module<Tensor, Tensor> Create(Type type) => (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;

    private static nn.Module<Tensor, Tensor> Layer(object model, string name) => (nn.Module<Tensor, Tensor>)model.GetType().GetProperty(name)!.GetValue(model)!;

    [Fact]
    public void Fire_runs_both_expands_from_the_squeeze_and_puts_the_first_branch_first()
    {
        var (fire, _) = Compile();
        Assert.Equal(new Shape(12, 6, 6), (Shape)fire.GetProperty("OutputShape")!.GetValue(null)!);
        using var model = Create(fire);
        model.eval();
        using var x = randn(2, 8, 6, 6, generator: new torch.Generator(7));
        using var y = model.call(x);
        using (no_grad())
        {
            var s = nn.functional.relu(Layer(model, "Squeeze").call(x));
            var e1 = nn.functional.relu(Layer(model, "Expand1").call(s));
            var e3 = nn.functional.relu(Layer(model, "Expand3").call(s));
            using var expected = cat(new[] { e1, e3 }, 1);
            Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
        }
        // The twin continues from the squeeze's tap and puts e1 first.
        string py = (string)fire.GetProperty("PyTorchSource")!.GetValue(null)!;
        Assert.Contains("x = torch.cat([tap_e1", py);
    }

    [Fact]
    public void A_squeeze_excitation_gate_multiplies_the_map_at_any_size()
    {
        var (_, se) = Compile();
        using var model = Create(se);
        model.eval();
        foreach (var (h, w) in new[] { (5, 7), (16, 16) })
        {
            using var x = randn(3, 8, h, w, generator: new torch.Generator(11));
            using var y = model.call(x);
            Assert.Equal(new long[] { 3, 8, h, w }, y.shape);
            using (no_grad())
            {
                var gate = nn.functional.adaptive_avg_pool2d(x, 1);
                gate = nn.functional.hardsigmoid(Layer(model, "Expand").call(nn.functional.relu(Layer(model, "Reduce").call(gate))));
                using var expected = x * gate;
                Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
            }
        }
    }
}
