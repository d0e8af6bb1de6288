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
    /// MDSL0003 (a Linear receives a feature map): insert <c>Flatten</c> right before the Linear — in the
    /// same attribute list (<c>[Conv2d(…), Flatten, Linear(7)]</c>), or, when the Linear starts its list,
    /// as a <c>[Flatten]</c> list of its own on the line above.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
    public sealed class InsertFlattenCodeFixProvider : CodeFixProvider
    {
        public const string Key = "ModelDsl.InsertFlatten";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LinearNeedsFlatInput);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var linear = await AttributeEdits.FindAsync<AttributeSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (linear is null || AttributeEdits.SimpleName(linear) != "Linear" || linear.Parent is not AttributeListSyntax list) continue;
                var document = context.Document;
                context.RegisterCodeFix(CodeAction.Create("Insert [Flatten] before Linear",
                    ct => AttributeEdits.ReplaceAsync(document, list.Parent!, InsertFlatten(list, linear), ct), Key), diagnostic);
            }
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
