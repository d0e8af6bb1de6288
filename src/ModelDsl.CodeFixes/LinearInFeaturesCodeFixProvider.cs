using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0002 (a Linear's InFeatures disagrees with its input): set InFeatures to the size the
    /// generator inferred, or remove it so that it is inferred. The inferred size comes from the
    /// diagnostic's <c>Properties["InFeatures"]</c>; without it only the removal is offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LinearInFeaturesCodeFixProvider)), Shared]
    public sealed class LinearInFeaturesCodeFixProvider : CodeFixProvider
    {
        public const string SetKey = "ModelDsl.SetInFeatures";
        public const string RemoveKey = "ModelDsl.RemoveInFeatures";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LinearInFeaturesMismatch);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var argument = await AttributeEdits.FindAsync<AttributeArgumentSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (argument?.NameEquals?.Name.Identifier.ValueText != "InFeatures") continue;
                if (argument.Parent is not AttributeArgumentListSyntax list) continue;

                if (diagnostic.Properties.TryGetValue(DiagnosticProperties.InFeatures, out var text)
                    && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long inferred) && inferred > 0 && inferred <= int.MaxValue)
                {
                    var document = context.Document;
                    context.RegisterCodeFix(CodeAction.Create($"Set InFeatures = {inferred}",
                        ct => AttributeEdits.ReplaceAsync(document, argument.Expression,
                            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal((int)inferred))
                                .WithTriviaFrom(argument.Expression), ct),
                        SetKey), diagnostic);
                }

                var doc = context.Document;
                context.RegisterCodeFix(CodeAction.Create("Remove InFeatures (inferred from the input)",
                    ct => AttributeEdits.ReplaceAsync(doc, list, list.WithArguments(AttributeEdits.Remove(list.Arguments, argument)), ct),
                    RemoveKey), diagnostic);
            }
        }
    }
}
