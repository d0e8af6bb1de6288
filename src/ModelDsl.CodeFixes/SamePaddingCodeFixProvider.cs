using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0008 (<c>Padding = Pad.Same</c> with a stride other than 1): write the explicit padding that
    /// Same amounts to, <c>dilation·(kernel − 1)/2</c> per side — <c>Padding = p</c>, or
    /// <c>Padding = h, PaddingW = w</c> for a rectangular kernel. The numbers come from the diagnostic's
    /// <c>Properties["PaddingH"]</c> and <c>["PaddingW"]</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SamePaddingCodeFixProvider)), Shared]
    public sealed class SamePaddingCodeFixProvider : NodeCodeFixProvider<AttributeArgumentSyntax>
    {
        public const string Key = "ModelDsl.ExplicitPadding";

        public SamePaddingCodeFixProvider() : base(DiagnosticIds.SamePaddingNeedsStrideOne) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeArgumentSyntax argument)
        {
            if (!TryGetInt(diagnostic, DiagnosticProperties.PaddingH, out int h) || !TryGetInt(diagnostic, DiagnosticProperties.PaddingW, out int w)) return;
            if (argument.NameEquals?.Name.Identifier.ValueText != "Padding" || argument.Parent is not AttributeArgumentListSyntax list) return;
            string title = h == w ? $"Use Padding = {h}" : $"Use Padding = {h}, PaddingW = {w}";
            Offer(context, diagnostic, title, Key, list, () => Explicit(list, argument, h, w));
        }

        private static AttributeArgumentListSyntax Explicit(AttributeArgumentListSyntax list, AttributeArgumentSyntax padding, int h, int w)
        {
            var arguments = list.Arguments.Replace(padding, padding.WithExpression(Number(h).WithTriviaFrom(padding.Expression)));
            if (h != w)
            {
                var paddingW = SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("PaddingW")), null, Number(w));
                arguments = AttributeEdits.Insert(arguments, arguments.IndexOf(a => a.NameEquals?.Name.Identifier.ValueText == "Padding") + 1, paddingW);
            }
            return list.WithArguments(arguments);
        }
    }
}
