using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0004 (a BatchNorm's feature count disagrees with its input): remove the count, so that the
    /// layer takes its input's channel (or feature) count — <c>BatchNorm2d(16)</c> → <c>BatchNorm2d</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BatchNormFeaturesCodeFixProvider)), Shared]
    public sealed class BatchNormFeaturesCodeFixProvider : CodeFixProvider
    {
        public const string Key = "ModelDsl.RemoveNumFeatures";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FeatureCountMismatch);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var argument = await AttributeEdits.FindAsync<AttributeArgumentSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (argument?.Parent is not AttributeArgumentListSyntax list || list.Parent is not AttributeSyntax attribute) continue;
                if (AttributeEdits.SimpleName(attribute) is not ("BatchNorm2d" or "BatchNorm1d")) continue;
                bool isCount = argument.NameEquals is null
                    ? argument.NameColon is null && list.Arguments.IndexOf(argument) == 0
                    : argument.NameEquals.Name.Identifier.ValueText == "NumFeatures";
                if (!isCount) continue;

                var document = context.Document;
                context.RegisterCodeFix(CodeAction.Create($"Remove the feature count ({AttributeEdits.SimpleName(attribute)} takes its input's)",
                    ct => AttributeEdits.ReplaceAsync(document, attribute, Without(attribute, list, argument), ct), Key), diagnostic);
            }
        }

        private static AttributeSyntax Without(AttributeSyntax attribute, AttributeArgumentListSyntax list, AttributeArgumentSyntax argument)
            => list.Arguments.Count == 1
                ? attribute.WithArgumentList(null).WithTrailingTrivia(list.GetTrailingTrivia())
                : attribute.WithArgumentList(list.WithArguments(AttributeEdits.Remove(list.Arguments, argument)));
    }
}
