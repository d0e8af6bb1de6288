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
    /// MDSL0016 (a classifier ends with Softmax, which cross-entropy applies itself): remove the
    /// Softmax — from its attribute list, or the whole list when it held only the Softmax.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveTrailingSoftmaxCodeFixProvider)), Shared]
    public sealed class RemoveTrailingSoftmaxCodeFixProvider : CodeFixProvider
    {
        public const string Key = "ModelDsl.RemoveTrailingSoftmax";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TrailingSoftmax);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var softmax = await AttributeEdits.FindAsync<AttributeSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (softmax is null || AttributeEdits.SimpleName(softmax) != "Softmax" || softmax.Parent is not AttributeListSyntax list) continue;
                if (list.Parent is not MemberDeclarationSyntax owner) continue;
                var document = context.Document;
                context.RegisterCodeFix(CodeAction.Create("Remove the trailing Softmax (CrossEntropyLoss applies it)",
                    ct => AttributeEdits.ReplaceAsync(document, owner, RemoveSoftmax(owner, list, softmax), ct), Key), diagnostic);
            }
        }

        private static SyntaxNode RemoveSoftmax(MemberDeclarationSyntax owner, AttributeListSyntax list, AttributeSyntax softmax)
        {
            if (list.Attributes.Count > 1)
                return owner.ReplaceNode(list, list.WithAttributes(AttributeEdits.Remove(list.Attributes, softmax)));

            // The list held only the Softmax: remove the list and its line, keeping any comment above it.
            bool hasComments = list.GetLeadingTrivia().Any(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia));
            return owner.RemoveNode(list, hasComments ? SyntaxRemoveOptions.KeepLeadingTrivia : SyntaxRemoveOptions.KeepNoTrivia) ?? owner;
        }
    }
}
