using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0010 (a model or block, or a class containing one, is not partial): add <c>partial</c> right
    /// before the <c>class</c> keyword of the declaration the diagnostic points at.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
    public sealed class MakePartialCodeFixProvider : NodeCodeFixProvider<TypeDeclarationSyntax>
    {
        public const string Key = "ModelDsl.MakePartial";

        public MakePartialCodeFixProvider() : base(DiagnosticIds.ModelMustBePartial) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, TypeDeclarationSyntax type)
        {
            if (type.Identifier.Span != diagnostic.Location.SourceSpan || type.Modifiers.Any(SyntaxKind.PartialKeyword)) return;
            Offer(context, diagnostic, $"Make '{type.Identifier.ValueText}' partial", Key, type, () => MakePartial(type));
        }

        private static TypeDeclarationSyntax MakePartial(TypeDeclarationSyntax type)
        {
            var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (type.Modifiers.Count > 0) return type.WithModifiers(type.Modifiers.Add(partial));
            // No modifiers: 'partial' takes the keyword's place, indentation and all.
            var keyword = type.Keyword;
            return type.WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
    }
}
