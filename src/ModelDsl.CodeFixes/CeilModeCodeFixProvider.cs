using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0018 (floor-mode pooling drops the last rows/columns): set <c>CeilMode = true</c> so the tail
    /// gets a window of its own (PyTorch's <c>ceil_mode=True</c>). The output grows by one row/column,
    /// which the generator then checks downstream like any other edit.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CeilModeCodeFixProvider)), Shared]
    public sealed class CeilModeCodeFixProvider : NodeCodeFixProvider<AttributeSyntax>
    {
        public const string Key = "ModelDsl.CeilMode";

        public CeilModeCodeFixProvider() : base(DiagnosticIds.PoolingDropsInput) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax pool)
        {
            if (AttributeEdits.SimpleName(pool) is not ("MaxPool2d" or "AvgPool2d")) return;
            Offer(context, diagnostic, "Set CeilMode = true (keep the last rows and columns)", Key, pool, () => WithCeilMode(pool));
        }

        private static AttributeSyntax WithCeilMode(AttributeSyntax pool)
        {
            var ceil = SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("CeilMode")), null,
                SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression));
            var list = pool.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            foreach (var argument in list.Arguments)
                if (argument.NameEquals?.Name.Identifier.ValueText == "CeilMode")
                    return pool.WithArgumentList(list.WithArguments(list.Arguments.Replace(argument, argument.WithExpression(ceil.Expression.WithTriviaFrom(argument.Expression)))));
            var arguments = AttributeEdits.Insert(list.Arguments, list.Arguments.Count, ceil);
            return pool.ArgumentList is null
                ? pool.WithName(pool.Name.WithoutTrailingTrivia()).WithArgumentList(list.WithArguments(arguments).WithTrailingTrivia(pool.Name.GetTrailingTrivia()))
                : pool.WithArgumentList(list.WithArguments(arguments));
        }
    }
}
