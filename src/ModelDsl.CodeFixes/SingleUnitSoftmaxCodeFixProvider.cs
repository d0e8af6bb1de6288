using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0017 (Softmax over a single output unit, which is always 1.0): use Sigmoid, the binary
    /// counterpart — <c>Softmax</c> → <c>Sigmoid</c>, keeping a <c>Name</c> and dropping <c>Dim</c>.
    /// Offered for Softmax only; a single-unit LogSoftmax has no one-attribute equivalent.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SingleUnitSoftmaxCodeFixProvider)), Shared]
    public sealed class SingleUnitSoftmaxCodeFixProvider : CodeFixProvider
    {
        public const string Key = "ModelDsl.SoftmaxToSigmoid";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.SingleUnitSoftmax);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var softmax = await AttributeEdits.FindAsync<AttributeSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (softmax is null || AttributeEdits.SimpleName(softmax) != "Softmax") continue;
                var document = context.Document;
                context.RegisterCodeFix(CodeAction.Create("Use Sigmoid for a single output unit",
                    ct => AttributeEdits.ReplaceAsync(document, softmax, ToSigmoid(softmax), ct), Key), diagnostic);
            }
        }

        private static AttributeSyntax ToSigmoid(AttributeSyntax softmax)
        {
            var sigmoid = SyntaxFactory.Attribute(AttributeEdits.SiblingName(softmax, "Sigmoid")).WithTriviaFrom(softmax);
            var kept = softmax.ArgumentList?.Arguments.Where(a => a.NameEquals?.Name.Identifier.ValueText == "Name").ToList();
            return kept is { Count: > 0 }
                ? sigmoid.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(kept.Select(a => a.WithoutTrivia()))))
                : sigmoid;
        }
    }
}
