using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
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
    public sealed class RemoveTrailingSoftmaxCodeFixProvider : NodeCodeFixProvider<AttributeSyntax>
    {
        public const string Key = "ModelDsl.RemoveTrailingSoftmax";

        public RemoveTrailingSoftmaxCodeFixProvider() : base(DiagnosticIds.TrailingSoftmax) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax softmax)
        {
            if (AttributeEdits.SimpleName(softmax) != "Softmax" || softmax.Parent is not AttributeListSyntax list) return;
            if (list.Parent is not MemberDeclarationSyntax owner) return;
            Offer(context, diagnostic, "Remove the trailing Softmax (CrossEntropyLoss applies it)", Key, owner, () => RemoveSoftmax(owner, list, softmax));
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
