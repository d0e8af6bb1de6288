using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
    public sealed class CeilModeCodeFixProvider : CodeFixProvider
    {
        public const string Key = "ModelDsl.CeilMode";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PoolingDropsInput);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var pool = await AttributeEdits.FindAsync<AttributeSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (pool is null || AttributeEdits.SimpleName(pool) is not ("MaxPool2d" or "AvgPool2d")) continue;
                var document = context.Document;
                context.RegisterCodeFix(CodeAction.Create("Set CeilMode = true (keep the last rows and columns)",
                    ct => AttributeEdits.ReplaceAsync(document, pool, WithCeilMode(pool), ct), Key), diagnostic);
            }
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
