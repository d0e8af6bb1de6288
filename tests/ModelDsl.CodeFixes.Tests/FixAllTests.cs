using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>"Fix all occurrences in document": every provider uses the batch fixer; two models fixed at once.</summary>
public class FixAllTests
{
    private static async Task<string> FixAllInDocumentAsync(CodeFixProvider provider, string source, string id, string equivalenceKey)
    {
        var document = CodeFixHarness.CreateDocument(source);
        var context = new FixAllContext(document, provider, FixAllScope.Document, equivalenceKey, new[] { id },
            new GeneratorDiagnosticProvider(), TestContext.Current.CancellationToken);
        var action = await provider.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(action);
        var operations = await action.GetOperationsAsync(TestContext.Current.CancellationToken);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        var fixedDocument = changed.GetDocument(document.Id)!;
        var (after, errors) = await CodeFixHarness.RunGeneratorAsync(fixedDocument.Project);
        Assert.Empty(after);
        Assert.Empty(errors);
        return (await fixedDocument.GetTextAsync(TestContext.Current.CancellationToken)).ToString();
    }

    [Fact]
    public async Task Removes_the_trailing_softmax_of_two_models()
    {
        const string source = """
            using ModelDsl;

            [Model(Features = 10)]
            [Linear(3), Softmax]
            public partial class A;

            [Model(Features = 10)]
            [Linear(4)]
            [Softmax]
            public partial class B;
            """;
        const string expected = """
            using ModelDsl;

            [Model(Features = 10)]
            [Linear(3)]
            public partial class A;

            [Model(Features = 10)]
            [Linear(4)]
            public partial class B;
            """;
        Assert.Equal(expected, await FixAllInDocumentAsync(new RemoveTrailingSoftmaxCodeFixProvider(), source, "MDSL0016", RemoveTrailingSoftmaxCodeFixProvider.Key));
    }

    [Fact]
    public async Task Sets_in_features_on_two_models()
    {
        const string source = """
            using ModelDsl;

            [Model(Channels = 4, Height = 4, Width = 4)]
            [Flatten, Linear(2, InFeatures = 60)]
            public partial class A;

            [Model(Features = 9)]
            [Linear(2, InFeatures = 10)]
            public partial class B;
            """;
        var result = await FixAllInDocumentAsync(new LinearInFeaturesCodeFixProvider(), source, "MDSL0002", LinearInFeaturesCodeFixProvider.SetKey);
        Assert.Equal(source.Replace("InFeatures = 60", "InFeatures = 64").Replace("InFeatures = 10", "InFeatures = 9"), result);
    }

    [Fact]
    public async Task Inserts_flatten_and_explicit_padding_across_models()
    {
        const string flattenSource = """
            using ModelDsl;

            [Model(Channels = 2, Height = 4, Width = 4)]
            [ReLU, Linear(2)]
            public partial class A;

            [Model(Channels = 2, Height = 4, Width = 4)]
            [Linear(2)]
            public partial class B;
            """;
        var flattened = await FixAllInDocumentAsync(new InsertFlattenCodeFixProvider(), flattenSource, "MDSL0003", InsertFlattenCodeFixProvider.Key);
        Assert.Equal(flattenSource.Replace("[ReLU, Linear(2)]", "[ReLU, Flatten, Linear(2)]").Replace(")]\n[Linear(2)]", ")]\n[Flatten]\n[Linear(2)]"), flattened);

        const string paddingSource = """
            using ModelDsl;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(4, 3, Stride = 2, Padding = Pad.Same)]
            public partial class C;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(4, 5, Stride = 2, Padding = Pad.Same)]
            public partial class D;
            """;
        var padded = await FixAllInDocumentAsync(new SamePaddingCodeFixProvider(), paddingSource, "MDSL0008", SamePaddingCodeFixProvider.Key);
        Assert.Equal(paddingSource.Replace("Conv2d(4, 3, Stride = 2, Padding = Pad.Same)", "Conv2d(4, 3, Stride = 2, Padding = 1)")
            .Replace("Conv2d(4, 5, Stride = 2, Padding = Pad.Same)", "Conv2d(4, 5, Stride = 2, Padding = 2)"), padded);
    }
}
