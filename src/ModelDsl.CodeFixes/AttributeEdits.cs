using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ModelDsl.CodeFixes
{
    /// <summary>Syntax helpers shared by the code fixes: find what a diagnostic points at, edit attribute lists.</summary>
    internal static class AttributeEdits
    {
        /// <summary>The innermost node of type <typeparamref name="T"/> that contains the span, or null.</summary>
        public static async Task<T?> FindAsync<T>(Document document, TextSpan span, CancellationToken ct) where T : SyntaxNode
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            if (root is null || span.End > root.FullSpan.End) return null;
            return root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<T>();
        }

        public static async Task<Document> ReplaceAsync(Document document, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode));
        }

        /// <summary>The attribute's simple name without namespace, alias or the "Attribute" suffix.</summary>
        public static string SimpleName(AttributeSyntax attribute)
        {
            string name = attribute.Name switch
            {
                QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                SimpleNameSyntax s => s.Identifier.ValueText,
                _ => attribute.Name.ToString(),
            };
            return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        /// <summary>
        /// The name of a sibling attribute written the way <paramref name="like"/> is written: same
        /// qualification (<c>ModelDsl.Linear</c> → <c>ModelDsl.Flatten</c>) and same suffix style.
        /// </summary>
        public static NameSyntax SiblingName(AttributeSyntax like, string simpleName)
        {
            bool suffixed = like.Name switch
            {
                QualifiedNameSyntax q => q.Right.Identifier.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal),
                AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal),
                SimpleNameSyntax s => s.Identifier.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal),
                _ => false,
            };
            var right = SyntaxFactory.IdentifierName(suffixed ? simpleName + "Attribute" : simpleName);
            return like.Name switch
            {
                QualifiedNameSyntax q => SyntaxFactory.QualifiedName(q.Left.WithoutTrivia(), right),
                AliasQualifiedNameSyntax a => SyntaxFactory.AliasQualifiedName(a.Alias.WithoutTrivia(), right),
                _ => right,
            };
        }

        /// <summary>", " — the separator the DSL examples use between attributes and arguments.</summary>
        public static SyntaxToken Comma() => SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);

        /// <summary>Inserts <paramref name="node"/> at <paramref name="index"/> of a separated list, with ", " separators.</summary>
        public static SeparatedSyntaxList<TNode> Insert<TNode>(SeparatedSyntaxList<TNode> list, int index, TNode node) where TNode : SyntaxNode
        {
            var nodes = list.ToList();
            var separators = list.GetSeparators().ToList();
            nodes.Insert(index, node);
            if (index < list.Count) separators.Insert(index, Comma());   // node goes before an existing one
            else if (list.Count > 0) separators.Add(Comma());             // appended: separator before it
            return SyntaxFactory.SeparatedList(nodes, separators);
        }

        /// <summary>
        /// Removes <paramref name="node"/> from a separated list: with the separator after it, or, for the
        /// last element, the one before it, so that "A, B, C" loses exactly "B, " or ", C".
        /// </summary>
        public static SeparatedSyntaxList<TNode> Remove<TNode>(SeparatedSyntaxList<TNode> list, TNode node) where TNode : SyntaxNode
        {
            int index = list.IndexOf(node);
            var nodes = list.ToList();
            var separators = list.GetSeparators().ToList();
            nodes.RemoveAt(index);
            if (separators.Count > 0) separators.RemoveAt(index < separators.Count ? index : separators.Count - 1);
            // The separator before the removed last element carried no trivia worth keeping; one before a
            // kept element keeps the kept element's spacing because that spacing is the separator's trailing trivia.
            return SyntaxFactory.SeparatedList(nodes, separators);
        }
    }
}
