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
    /// as a <c>[Flatten]</c> list of its own on the line above.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
    public sealed class InsertFlattenCodeFixProvider : NodeCodeFixProvider<AttributeSyntax>
    {
        public const string Key = "ModelDsl.InsertFlatten";

        public InsertFlattenCodeFixProvider() : base(DiagnosticIds.LinearNeedsFlatInput) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax linear)
        {
            if (AttributeEdits.SimpleName(linear) != "Linear" || linear.Parent is not AttributeListSyntax list || list.Parent is null) return;
            Offer(context, diagnostic, "Insert [Flatten] before Linear", Key, list.Parent, () => InsertFlatten(list, linear));
        }

        private static SyntaxNode InsertFlatten(AttributeListSyntax list, AttributeSyntax linear)
        {
            var flatten = SyntaxFactory.Attribute(AttributeEdits.SiblingName(linear, "Flatten"));
            var owner = list.Parent!;
            int index = list.Attributes.IndexOf(linear);
            if (index > 0)
                return owner.ReplaceNode(list, list.WithAttributes(AttributeEdits.Insert(list.Attributes, index, flatten)));

            // The Linear starts its list: put [Flatten] on its own line above it, indented like the list.
            var indentation = list.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            var newLine = list.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var flattenList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(flatten))
                .WithLeadingTrivia(list.GetLeadingTrivia())
                .WithTrailingTrivia(newLine == default ? SyntaxFactory.Space : newLine);
            var movedList = list.WithLeadingTrivia(newLine == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
            return owner switch
            {
                MemberDeclarationSyntax member => member.WithAttributeLists(member.AttributeLists.Replace(list, movedList).Insert(member.AttributeLists.IndexOf(list), flattenList)),
                _ => owner,
            };
        }
    }
}
