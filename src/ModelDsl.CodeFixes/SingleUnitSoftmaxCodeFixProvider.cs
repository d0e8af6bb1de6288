using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0017 (Softmax over a single output unit, which is always 1.0): use Sigmoid, the binary
    /// counterpart — <c>Softmax</c> → <c>Sigmoid</c>, keeping a <c>Name</c> and dropping <c>Dim</c>.
    /// Offered for Softmax only; a single-unit LogSoftmax has no one-attribute equivalent.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SingleUnitSoftmaxCodeFixProvider)), Shared]
    public sealed class SingleUnitSoftmaxCodeFixProvider : NodeCodeFixProvider<AttributeSyntax>
    {
        public const string Key = "ModelDsl.SoftmaxToSigmoid";

        public SingleUnitSoftmaxCodeFixProvider() : base(DiagnosticIds.SingleUnitSoftmax) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax softmax)
        {
            if (AttributeEdits.SimpleName(softmax) != "Softmax") return;
            Offer(context, diagnostic, "Use Sigmoid for a single output unit", Key, softmax, () => ToSigmoid(softmax));
        }

        private static AttributeSyntax ToSigmoid(AttributeSyntax softmax)
        {
            var sigmoid = SyntaxFactory.Attribute(AttributeEdits.SiblingName(softmax, "Sigmoid")).WithTriviaFrom(softmax);
            var kept = softmax.ArgumentList?.Arguments.Where(a => a.NameEquals?.Name.Identifier.ValueText == "Name").ToList();
            return kept is { Count: > 0 }
                ? sigmoid.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(kept.Select(a => a.WithoutTrivia()))))
                : sigmoid;
        }
    }
}
