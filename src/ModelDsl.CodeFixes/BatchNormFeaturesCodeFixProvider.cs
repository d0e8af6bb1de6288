using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0004 (a BatchNorm's feature count disagrees with its input): remove the count, so that the
    /// layer takes its input's channel (or feature) count — <c>BatchNorm2d(16)</c> → <c>BatchNorm2d</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BatchNormFeaturesCodeFixProvider)), Shared]
    public sealed class BatchNormFeaturesCodeFixProvider : NodeCodeFixProvider<AttributeArgumentSyntax>
    {
        public const string Key = "ModelDsl.RemoveNumFeatures";

        public BatchNormFeaturesCodeFixProvider() : base(DiagnosticIds.FeatureCountMismatch) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeArgumentSyntax argument)
        {
            if (argument.Parent is not AttributeArgumentListSyntax list || list.Parent is not AttributeSyntax attribute) return;
            if (AttributeEdits.SimpleName(attribute) is not ("BatchNorm2d" or "BatchNorm1d")) return;
            bool isCount = argument.NameEquals is null
                ? argument.NameColon is null && list.Arguments.IndexOf(argument) == 0
                : argument.NameEquals.Name.Identifier.ValueText == "NumFeatures";
            if (!isCount) return;
            Offer(context, diagnostic, $"Remove the feature count ({AttributeEdits.SimpleName(attribute)} takes its input's)", Key,
                attribute, () => Without(attribute, list, argument));
        }

        private static AttributeSyntax Without(AttributeSyntax attribute, AttributeArgumentListSyntax list, AttributeArgumentSyntax argument)
            => list.Arguments.Count == 1
                ? attribute.WithArgumentList(null).WithTrailingTrivia(list.GetTrailingTrivia())
                : attribute.WithArgumentList(list.WithArguments(AttributeEdits.Remove(list.Arguments, argument)));
    }
}
