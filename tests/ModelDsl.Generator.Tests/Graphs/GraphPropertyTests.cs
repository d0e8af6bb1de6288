using System.Text;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Random graph models (convs, pools, transposed convs, batch norm, taps, Concat, Add with and without
/// projection, an optional pooled classifier head), each declared twice: at a fixed 32×32 input and at any
/// size. Compile-time output shapes and parameter counts must equal TorchSharp's forward and parameters();
/// the any-size twin is run at three accepted sizes and refuses a size it does not accept.
/// </summary>
public class GraphPropertyTests
{
    private const int Nets = 40;

    [Fact]
    public void Random_graph_models_match_TorchSharp_at_a_fixed_size_and_at_three_accepted_sizes()
    {
        var random = new Random(20261202);
        var source = new StringBuilder("using ModelDsl;\nnamespace Graphs;\n");
        for (int i = 0; i < Nets; i++)
        {
            var (layers, channels) = RandomGraph.Next(random);
            source.Append($"[Model(Channels = {channels}, Height = 32, Width = 32)]\n{layers}\npublic partial class Fixed{i};\n");
            source.Append($"[Model(Channels = {channels})]\n{layers}\npublic partial class Any{i};\n");
        }
        var run = GeneratorHarness.Run(source.ToString());
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
        var assembly = run.Load();

        int anySizeRuns = 0, merges = 0;
        for (int i = 0; i < Nets; i++)
        {
            var fixedType = assembly.GetType($"Graphs.Fixed{i}")!;
            var anyType = assembly.GetType($"Graphs.Any{i}")!;
            merges += Count(fixedType, "Concat") + Count(fixedType, "Add");
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();

            using var fixedNet = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(fixedType)!;
            fixedNet.eval();
            var input = (Shape)fixedType.GetProperty("InputShape")!.GetValue(null)!;
            Assert.Equal(((Shape)fixedType.GetProperty("OutputShape")!.GetValue(null)!).WithBatch(2), fixedNet.forward(randn(input.WithBatch(2))).shape);
            Assert.Equal((long)fixedType.GetField("ParameterCount")!.GetValue(null)!, fixedNet.parameters().Sum(p => p.numel()));

            using var anyNet = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(anyType)!;
            anyNet.eval();
            Assert.Equal((long)fixedType.GetField("ParameterCount")!.GetValue(null)!, (long)anyType.GetField("ParameterCount")!.GetValue(null)!);
            var accepted = (AnySizeInput)anyType.GetProperty("AcceptedInput")!.GetValue(null)!;
            Assert.True(accepted.AcceptedHeights.Contains(32), $"Any{i} refuses 32, which Fixed{i} takes: {accepted.Describe()}");
            var sizes = accepted.AcceptedHeights.Sizes;
            foreach (long h in new[] { sizes[0], sizes[Math.Min(2, sizes.Count - 1)], sizes[Math.Min(7, sizes.Count - 1)] })
            {
                long w = accepted.AcceptedWidths.Sizes[Math.Min(3, accepted.AcceptedWidths.Sizes.Count - 1)];
                var shape = new Shape(input.Channels, h, w);
                var expected = (Shape)anyType.GetMethod("OutputShapeFor")!.Invoke(null, new object[] { shape })!;
                Assert.Equal(expected.WithBatch(1), anyNet.forward(randn(shape.WithBatch(1))).shape);
                anySizeRuns++;
            }
            long rejected = Enumerable.Range(1, 64).Select(n => (long)n).FirstOrDefault(n => !accepted.AcceptedHeights.Contains(n));
            if (rejected > 0)
                Assert.Throws<ArgumentException>(() => anyNet.forward(zeros(1, input.Channels, rejected, 32)));
        }
        Assert.True(merges > Nets, $"only {merges} merges in {Nets} nets");
        Assert.Equal(3 * Nets, anySizeRuns);
    }

    private static int Count(Type model, string kind)
        => ((string)model.GetField("Summary")!.GetValue(null)!).Split('\n').Count(l => l.Contains($"({kind})"));
}
