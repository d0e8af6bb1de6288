using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// What every ModelDsl code fix shares: it fixes one diagnostic ID, starts from the innermost
    /// <typeparamref name="TNode"/> at the diagnostic's location, and offers replacements of one node of
    /// the document; Fix All batches them. A derived fix only says which syntax it expects and what it writes.
    /// </summary>
    public abstract class NodeCodeFixProvider<TNode> : CodeFixProvider where TNode : SyntaxNode
    {
        private protected NodeCodeFixProvider(string diagnosticId) => FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);

        public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var node = await AttributeEdits.FindAsync<TNode>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (node is not null) RegisterFixes(context, diagnostic, node);
            }
        }

        /// <summary>Offers the fixes for <paramref name="node"/>, or none when the syntax is not what the fix expects (half-typed code).</summary>
        private protected abstract void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, TNode node);

        /// <summary>Offers to replace <paramref name="oldNode"/> by what <paramref name="replacement"/> builds (only when the fix is applied or previewed).</summary>
        /// <summary>An integer the generator put in the diagnostic's properties (a decimal without sign, as it writes them).</summary>
        private protected static bool TryGetInt(Diagnostic diagnostic, string key, out int value)
        {
            value = 0;
            return diagnostic.Properties.TryGetValue(key, out var text)
                   && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        /// <summary>An integer literal, for an argument a fix writes.</summary>
        private protected static LiteralExpressionSyntax Number(int value)
            => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

        private protected static void Offer(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey, SyntaxNode oldNode, Func<SyntaxNode> replacement)
        {
            var document = context.Document;
            context.RegisterCodeFix(CodeAction.Create(title, ct => AttributeEdits.ReplaceAsync(document, oldNode, replacement(), ct), equivalenceKey), diagnostic);
        }
    }
}
