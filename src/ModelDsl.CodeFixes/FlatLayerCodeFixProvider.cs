using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0015 on a BatchNorm2d or Dropout2d that receives flat features after a Linear (or as a flat model's input):
    /// use the 1-D layer that was meant — <c>BatchNorm2d</c> → <c>BatchNorm1d</c>, <c>Dropout2d</c> → <c>Dropout</c>, the
    /// arguments kept (both pairs take the same ones). The replacement comes from the diagnostic's
    /// <c>Properties["Replacement"]</c>; where a Flatten precedes the layer the message says to move it instead, and no fix is offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FlatLayerCodeFixProvider)), Shared]
    public sealed class FlatLayerCodeFixProvider : NodeCodeFixProvider<AttributeSyntax>
    {
        public const string Key = "ModelDsl.UseFlatLayer";

        public FlatLayerCodeFixProvider() : base(DiagnosticIds.LayerNeedsFeatureMap) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax layer)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Replacement, out var replacement) || replacement is not ("BatchNorm1d" or "Dropout")) return;
            string current = AttributeEdits.SimpleName(layer);
            if (current is not ("BatchNorm2d" or "Dropout2d")) return;
            Offer(context, diagnostic, $"Use {replacement} on flat features", Key, layer,
                () => layer.WithName(AttributeEdits.SiblingName(layer, replacement).WithTriviaFrom(layer.Name)));
        }
    }
}
