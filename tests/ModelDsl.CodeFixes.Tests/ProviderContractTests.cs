extern alias gen;
using System.Composition;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;
using GenDescriptors = gen::ModelDsl.Generator.Diagnostics.DiagnosticDescriptors;
using GenInfo = gen::ModelDsl.Generator.Diagnostics.DiagnosticInfo;
using GenProperty = gen::ModelDsl.Generator.Diagnostics.DiagnosticProperty;
using GenProperties = gen::ModelDsl.Generator.Diagnostics.DiagnosticProperties;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>What the IDE relies on: MEF export, fixable IDs that exist, and the properties plumbing.</summary>
public class ProviderContractTests
{
    public static TheoryData<Type, string, string> Providers => new()
    {
        { typeof(LinearInFeaturesCodeFixProvider), "MDSL0002", nameof(GenDescriptors.LinearInFeaturesMismatch) },
        { typeof(InsertFlattenCodeFixProvider), "MDSL0003", nameof(GenDescriptors.LinearNeedsFlatInput) },
        { typeof(SamePaddingCodeFixProvider), "MDSL0008", nameof(GenDescriptors.SamePaddingNeedsStrideOne) },
        { typeof(RemoveTrailingSoftmaxCodeFixProvider), "MDSL0016", nameof(GenDescriptors.TrailingSoftmax) },
        { typeof(BatchNormFeaturesCodeFixProvider), "MDSL0004", nameof(GenDescriptors.FeatureCountMismatch) },
        { typeof(SingleUnitSoftmaxCodeFixProvider), "MDSL0017", nameof(GenDescriptors.SingleUnitSoftmax) },
        { typeof(MakePartialCodeFixProvider), "MDSL0010", nameof(GenDescriptors.ModelMustBePartial) },
        { typeof(CeilModeCodeFixProvider), "MDSL0018", nameof(GenDescriptors.PoolingDropsInput) },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Provider_is_exported_for_csharp_and_fixes_the_generator_descriptor(Type type, string id, string descriptorField)
    {
        var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.NotNull(export);
        Assert.Contains(LanguageNames.CSharp, export.Languages);
        Assert.NotNull(type.GetCustomAttribute<SharedAttribute>());

        var provider = (CodeFixProvider)Activator.CreateInstance(type)!;
        Assert.Equal(id, Assert.Single(provider.FixableDiagnosticIds));
        var descriptor = (DiagnosticDescriptor)typeof(GenDescriptors).GetField(descriptorField)!.GetValue(null)!;
        Assert.Equal(id, descriptor.Id);
        Assert.Same(WellKnownFixAllProviders.BatchFixer, provider.GetFixAllProvider());
    }

    [Fact]
    public void Property_keys_are_the_ones_the_generator_writes()
    {
        Assert.Equal(GenProperties.InFeatures, ModelDsl.Generator.Diagnostics.DiagnosticProperties.InFeatures);
        Assert.Equal(GenProperties.PaddingH, ModelDsl.Generator.Diagnostics.DiagnosticProperties.PaddingH);
        Assert.Equal(GenProperties.PaddingW, ModelDsl.Generator.Diagnostics.DiagnosticProperties.PaddingW);
    }

    [Fact]
    public void Pipeline_diagnostics_compare_by_their_properties_too()
    {
        var a = GenInfo.Create(GenDescriptors.LinearInFeaturesMismatch, null, "L", 1, 2, ".") with
        {
            Properties = new[] { new GenProperty("InFeatures", "2") }.ToEquatableArrayForTest(),
        };
        var same = GenInfo.Create(GenDescriptors.LinearInFeaturesMismatch, null, "L", 1, 2, ".") with
        {
            Properties = new[] { new GenProperty("InFeatures", "2") }.ToEquatableArrayForTest(),
        };
        var other = a with { Properties = new[] { new GenProperty("InFeatures", "3") }.ToEquatableArrayForTest() };
        var none = GenInfo.Create(GenDescriptors.LinearInFeaturesMismatch, null, "L", 1, 2, ".");
        Assert.Equal(a, same);
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(a, other);
        Assert.NotEqual(a, none);
        Assert.Equal("2", a.ToDiagnostic().Properties["InFeatures"]);
        Assert.Empty(none.ToDiagnostic().Properties);
    }

    [Fact]
    public async Task Diagnostics_without_a_fix_carry_no_properties()
    {
        var document = CodeFixHarness.CreateDocument("""
            using ModelDsl;
            [Model(Channels = 1, Height = 3, Width = 3)]
            [Conv2d(8, 5), Flatten, Linear(2)]
            public partial class Tiny;
            """);
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MDSL0001", d.Id);
        Assert.Empty(d.Properties);
    }

    [Fact]
    public async Task No_fix_is_offered_when_the_span_does_not_point_at_what_the_fix_expects()
    {
        // e.g. a stale diagnostic after an edit: the span now covers the class name, not an attribute.
        var document = CodeFixHarness.CreateDocument("""
            using ModelDsl;
            [Model(Features = 10)]
            [Linear(3), Softmax]
            public partial class Net;
            """);
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        var real = Assert.Single(diagnostics);
        var text = (await document.GetTextAsync(TestContext.Current.CancellationToken)).ToString();
        var nameSpan = new Microsoft.CodeAnalysis.Text.TextSpan(text.IndexOf("Net;", StringComparison.Ordinal), 3);
        var tree = (await document.GetSyntaxTreeAsync(TestContext.Current.CancellationToken))!;
        var stale = Diagnostic.Create(real.Descriptor, Location.Create(tree, nameSpan));
        foreach (var provider in new CodeFixProvider[] { new RemoveTrailingSoftmaxCodeFixProvider(), new InsertFlattenCodeFixProvider(), new LinearInFeaturesCodeFixProvider(), new SamePaddingCodeFixProvider(), new BatchNormFeaturesCodeFixProvider(), new SingleUnitSoftmaxCodeFixProvider(), new MakePartialCodeFixProvider(), new CeilModeCodeFixProvider() })
            Assert.Empty(await CodeFixHarness.ActionsAsync(provider, document, stale));
    }

    [Fact]
    public async Task Every_fix_is_offered_for_a_diagnostic_anchored_in_the_document_as_the_IDE_passes_it()
    {
        // The IDE re-creates generator diagnostics on the document's tree; the fixes must not depend on
        // the command-line form (a file path without a tree) that the other tests use.
        var document = CodeFixHarness.CreateDocument("""
            using ModelDsl;
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3, Stride = 2, Padding = Pad.Same)]
            public partial class A;
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3), Linear(2)]
            public partial class B;
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Flatten, Linear(2, InFeatures = 3)]
            public partial class C;
            [Model(Features = 4)]
            [Linear(2), Softmax]
            public partial class D;
            """);
        var tree = (await document.GetSyntaxTreeAsync(TestContext.Current.CancellationToken))!;
        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(document.Project);
        Assert.Equal(new[] { "MDSL0002", "MDSL0003", "MDSL0008", "MDSL0016" }, diagnostics.Select(d => d.Id).Order());
        var providers = new CodeFixProvider[] { new LinearInFeaturesCodeFixProvider(), new InsertFlattenCodeFixProvider(), new SamePaddingCodeFixProvider(), new RemoveTrailingSoftmaxCodeFixProvider() };
        foreach (var d in diagnostics)
        {
            var inTree = GeneratorDiagnosticProvider.InTree(d, tree);
            Assert.True(inTree.Location.IsInSource);
            var provider = providers.Single(p => p.FixableDiagnosticIds.Contains(d.Id));
            Assert.NotEmpty(await CodeFixHarness.ActionsAsync(provider, document, inTree));
        }
    }
}

internal static class EquatableArrayTestExtensions
{
    public static gen::ModelDsl.Generator.Parsing.EquatableArray<T> ToEquatableArrayForTest<T>(this IEnumerable<T> items) where T : IEquatable<T>
        => new(items);
}
