using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Hovering a generated member answers the question it stands for: the XML documentation an editor shows (read here
/// from the compiled symbols, as an editor reads it) states the computed numbers.
/// </summary>
public class HoverDocumentationTests
{
    [Fact]
    public void ParameterCount_shapes_and_each_layer_property_state_their_numbers()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            namespace N;
            [Model(Channels = 3, Height = 64, Width = 64)]
            [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
            [Flatten, Linear(7)]
            public partial class SevenClass;
            """);
        Assert.Empty(run.CompilationDiagnostics);
        var type = run.Output.GetTypeByMetadataName("N.SevenClass")!;
        string Doc(string member) => type.GetMembers(member).Single().GetDocumentationCommentXml() ?? "";

        Assert.Contains("230,279 trainable parameters", Doc("ParameterCount"));
        Assert.Contains("3,768,320 multiply-adds per sample", Doc("ParameterCount"));
        Assert.Contains("3×64×64", Doc("InputShape"));
        Assert.Contains("7", Doc("OutputShape"));
        var conv = Doc("Conv1");
        Assert.Contains("3×64×64 → 32×64×64", conv);
        Assert.Contains("896 parameters", conv);
        Assert.Contains("3,538,944 multiply-adds per sample", conv);
        Assert.Contains("32768 → 7, 229,383 parameters, 229,376 multiply-adds", Doc("Linear1"));
    }
}
