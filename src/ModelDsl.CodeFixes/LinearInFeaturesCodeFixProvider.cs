using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.CodeFixes
{
    /// <summary>
    /// MDSL0002 (a Linear's InFeatures disagrees with its input): set InFeatures to the size the
    /// generator inferred, or remove it so that it is inferred. The inferred size comes from the
    /// diagnostic's <c>Properties["InFeatures"]</c>; without it only the removal is offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LinearInFeaturesCodeFixProvider)), Shared]
    public sealed class LinearInFeaturesCodeFixProvider : NodeCodeFixProvider<AttributeArgumentSyntax>
    {
        public const string SetKey = "ModelDsl.SetInFeatures";
        public const string RemoveKey = "ModelDsl.RemoveInFeatures";

        public LinearInFeaturesCodeFixProvider() : base(DiagnosticIds.LinearInFeaturesMismatch) { }

        private protected override void RegisterFixes(CodeFixContext context, Diagnostic diagnostic, AttributeArgumentSyntax argument)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText != "InFeatures" || argument.Parent is not AttributeArgumentListSyntax list) return;

            if (TryGetInt(diagnostic, DiagnosticProperties.InFeatures, out int inferred) && inferred > 0)
                Offer(context, diagnostic, $"Set InFeatures = {inferred}", SetKey, argument.Expression, () => Number(inferred).WithTriviaFrom(argument.Expression));
            Offer(context, diagnostic, "Remove InFeatures (inferred from the input)", RemoveKey, list,
                () => list.WithArguments(AttributeEdits.Remove(list.Arguments, argument)));
        }
    }
}
