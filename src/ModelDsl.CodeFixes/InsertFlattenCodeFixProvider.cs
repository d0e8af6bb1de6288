using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0003 (a Linear receives a feature map): insert <c>Flatten</c> right before the Linear — in the
    /// same attribute list (<c>[Conv2d(…), Flatten, Linear(7)]</c>), or, when the Linear starts its list,
    /// as a <c>[Flatten]</c> list of its own on the line above — and, in the same step, set a stated
    /// <c>InFeatures</c> to the flattened size (the diagnostic's <c>Properties["InFeatures"]</c>), so that following
    /// the advice gives a build that passes rather than MDSL0002 next.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
    public sealed class InsertFlattenCodeFixProvider : NodeCodeFixProvider<AttributeSyntax>
    {
        public const string Key = "ModelDsl.InsertFlatten";

        public InsertFlattenCodeFixProvider() : base(DiagnosticIds.LinearNeedsFlatInput) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax linear)
        {
            if (AttributeEdits.SimpleName(linear) != "Linear" || linear.Parent is not AttributeListSyntax list || list.Parent is null) return;
            var stated = linear.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "InFeatures");
            // The size after a Flatten, from the diagnostic (0 when unknown or past an int).
            if (!TryGetInt(diagnostic, Generator.Diagnostics.DiagnosticProperties.InFeatures, out int flattened)) flattened = 0;
            // A stated InFeatures that the Flatten would make wrong is corrected in the same step (else MDSL0002 follows).
            bool correct = stated is not null && flattened > 0 && !(stated.Expression is LiteralExpressionSyntax { Token.Value: int value } && value == flattened);
            string title = correct ? $"Insert [Flatten] before Linear and set InFeatures = {flattened}" : "Insert [Flatten] before Linear";
            Offer(context, diagnostic, title, Key, list.Parent, () =>
            {
                if (!correct) return InsertFlatten(list, linear, list);
                var edited = list.ReplaceNode(stated!.Expression, Number(flattened).WithTriviaFrom(stated.Expression));
                return InsertFlatten(edited, edited.Attributes[list.Attributes.IndexOf(linear)], list);
            });
        }

        /// <param name="original">The list as it stands in the tree (<paramref name="list"/> may be an edited copy of it).</param>
        private static SyntaxNode InsertFlatten(AttributeListSyntax list, AttributeSyntax linear, AttributeListSyntax original)
        {
            var flatten = SyntaxFactory.Attribute(AttributeEdits.SiblingName(linear, "Flatten"));
            var owner = original.Parent!;
            int index = list.Attributes.IndexOf(linear);
            if (index > 0)
                return owner.ReplaceNode(original, list.WithAttributes(AttributeEdits.Insert(list.Attributes, index, flatten)));

            // The Linear starts its list: put [Flatten] on its own line above it, indented like the list.
            var indentation = list.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            var newLine = list.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var flattenList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(flatten))
                .WithLeadingTrivia(list.GetLeadingTrivia())
                .WithTrailingTrivia(newLine == default ? SyntaxFactory.Space : newLine);
            var movedList = list.WithLeadingTrivia(newLine == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
            return owner switch
            {
                MemberDeclarationSyntax member => member.WithAttributeLists(member.AttributeLists.Replace(original, movedList).Insert(member.AttributeLists.IndexOf(original), flattenList)),
                _ => owner,
            };
        }
    }
}
