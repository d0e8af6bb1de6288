using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// Turns a [Model] or [Block] class (symbol + syntax) into a <see cref="ModelSpec"/>: attribute data
    /// in source order, structural checks (partial, generic, one declaration), nothing about shapes.
    /// </summary>
    internal static class ModelParser
    {
        private const string Ns = "ModelDsl";

        /// <summary>
        /// The analyzer's and the generator's entry (through <see cref="ModelPipeline"/>): <paramref name="declaration"/> is
        /// the declaration carrying <paramref name="attribute"/>, the [Model] or [Block] attribute.
        /// </summary>
        public static ModelSpec Parse(INamedTypeSymbol symbol, ClassDeclarationSyntax declaration, AttributeData attribute, Compilation compilation,
            bool isBlock, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            bool canEmit = true;
            var classLocation = LocationInfo.From(declaration.Identifier.GetLocation());

            // Structure: partial everywhere (the class and every containing type), non-generic, not static.
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is ClassDeclarationSyntax decl && !decl.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelMustBePartial, LocationInfo.From(decl.Identifier.GetLocation()), symbol.Name));
                    canEmit = false;
                }
            }
            var containing = new List<string>();
            bool generic = symbol.IsGenericType;
            for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                generic |= outer.IsGenericType;
                var decl = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
                if (decl is null) { canEmit = false; continue; }
                if (!decl.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelMustBePartial, LocationInfo.From(decl.Identifier.GetLocation()), outer.Name));
                    canEmit = false;
                }
                string keyword = decl is RecordDeclarationSyntax rec
                    ? "record " + (rec.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "struct" : "class")
                    : decl.Keyword.ValueText;
                containing.Insert(0, $"partial {keyword} {outer.Name}");
            }
            if (generic)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericModelNotSupported, classLocation, symbol.Name));
                canEmit = false;
            }
            if (symbol.IsStatic)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, classLocation, symbol.Name, "is static; a model or block is an instance class deriving from Module"));
                canEmit = false;
            }

            var all = symbol.GetAttributes();
            bool hasModel = all.Any(a => IsModelDsl(a, nameof(ModelAttribute)));
            bool hasBlock = all.Any(a => IsModelDsl(a, nameof(BlockAttribute)));
            if (hasModel && hasBlock)
            {
                if (isBlock) return Skipped(symbol, isBlock); // reported once, from the [Model] side
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, classLocation, symbol.Name, "has both [Model] and [Block]; a class is either a model or a block"));
                canEmit = false;
            }
            // Everything above makes a generated partial declaration of the class itself an error; what follows only
            // makes the model wrong, and a wrong model still gets its public surface (ModelSurface).
            bool canDeclare = canEmit;

            // Input shape, from [Model].
            long channels = 0, height = 0, width = 0, features = 0;
            var runtimeArgs = EquatableArray<BlockParam>.Empty;
            if (!isBlock)
            {
                var model = attribute;
                var modelLocation = LocationInfo.From(model.ApplicationSyntaxReference?.GetSyntax(ct));
                foreach (var named in model.NamedArguments)
                {
                    // [Model(Args = "NumClasses = 1000")]: the constructor's run-time arguments (checked by the shape walk).
                    if (named.Key == nameof(ModelAttribute.Args) && named.Value.Value is string args)
                        runtimeArgs = Shapes.BlockExpression.SplitTopLevel(args).Select(BlockParam.Parse).ToEquatableArray();
                    if (named.Value.Kind == TypedConstantKind.Error || named.Value.Value is not int v) continue;
                    switch (named.Key)
                    {
                        case nameof(ModelAttribute.Channels): channels = v; break;
                        case nameof(ModelAttribute.Height): height = v; break;
                        case nameof(ModelAttribute.Width): width = v; break;
                        case nameof(ModelAttribute.Features): features = v; break;
                    }
                }
                string? problem = DescribeInputProblem(channels, height, width, features);
                if (problem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, modelLocation, symbol.Name, problem));
                    canEmit = false;
                }
            }

            // Layers must sit on one declaration, so "source order" means something.
            var layerAttributes = OrderedLayerAttributes(symbol, ct);
            var owners = layerAttributes
                .Select(a => a.ApplicationSyntaxReference?.GetSyntax(ct).FirstAncestorOrSelf<ClassDeclarationSyntax>())
                .Where(d => d is not null).Distinct().ToList();
            if (owners.Count > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, classLocation, symbol.Name));
                canEmit = false;
            }

            var reader = new LayerReader(ct, diagnostics);
            int reported = diagnostics.Count;
            var layers = reader.ReadLayers(layerAttributes, isBlock, symbol.Name, depth: 0,
                isBlock ? System.Collections.Immutable.ImmutableArray.Create(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)) : default);
            canEmit &= reader.AllBound;

            BlockSpec? ownBlock = isBlock ? reader.ReadBlock(symbol, layers) : null;
            // A class whose layer attributes were all refused (each with its reason) is not also told it has none.
            if (layers.Count == 0 && canEmit && diagnostics.Count == reported)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, classLocation, symbol.Name, isBlock ? "Block" : "Model(...)"));
                canEmit = false;
            }

            var ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var hint = string.Join(".", new[] { ns }.Concat(OuterNames(symbol)).Append(symbol.Name).Where(s => !string.IsNullOrEmpty(s)));
            return new ModelSpec(new GeneratedType(ns, symbol.Name, hint + ".g.cs", containing.ToEquatableArray()), isBlock,
                channels, height, width, features, classLocation, layers.ToEquatableArray(), ownBlock,
                diagnostics.ToEquatableArray(), canEmit, ReservedNames(symbol, compilation), canDeclare, runtimeArgs);
        }

        private static ModelSpec Skipped(INamedTypeSymbol symbol, bool isBlock)
            => ModelSpec.Failed(symbol.Name, isBlock, null, EquatableArray<DiagnosticInfo>.Empty);

        private static IEnumerable<string> OuterNames(INamedTypeSymbol symbol)
        {
            var names = new List<string>();
            for (var t = symbol.ContainingType; t is not null; t = t.ContainingType) names.Insert(0, t.Name);
            return names;
        }

        private static string? DescribeInputProblem(long c, long h, long w, long f)
        {
            bool anyMap = c != 0 || h != 0 || w != 0;
            if (f != 0 && anyMap) return $"give either Channels/Height/Width or Features, not both (got Channels = {c}, Height = {h}, Width = {w}, Features = {f})";
            if (f != 0) return f > 0 ? null : $"Features = {f} must be positive";
            if (!anyMap) return "set Channels, Height and Width, e.g. [Model(Channels = 3, Height = 32, Width = 32)], or Channels alone for a net of any input size";
            // Channels alone: a fully convolutional net; the shape engine decides which sizes it accepts.
            if (c > 0 && h == 0 && w == 0) return null;
            if (c > 0 && (h == 0) != (w == 0)) return $"give both Height and Width, or neither for a net of any input size (got Height = {h}, Width = {w})";
            if (c <= 0 || h <= 0 || w <= 0) return $"Channels = {c}, Height = {h}, Width = {w} must all be positive";
            if (long.MaxValue / c / h < w) return $"{c}×{h}×{w} is more than 2^63 − 1 elements per sample, so no such tensor can exist";
            return null;
        }

        /// <summary>
        /// A member the user wrote (not a constructor, not compiler-made, not ModelDsl's own output). The analyzer sees the
        /// class with its generated members: counting those as the user's would make every layer name collide with itself.
        /// </summary>
        internal static bool IsUserMember(ISymbol member)
            => !member.IsImplicitlyDeclared && member is not IMethodSymbol { MethodKind: MethodKind.Constructor }
               && !(member.DeclaringSyntaxReferences.Length > 0 && member.DeclaringSyntaxReferences.All(r => IsModelDslOutput(r.SyntaxTree)));

        /// <summary>A file this generator wrote: Roslyn places generated trees under "{assembly}/{generator type}/{hint name}".</summary>
        private static bool IsModelDslOutput(SyntaxTree tree)
            => tree.FilePath.IndexOf(typeof(ModelGenerator).FullName, StringComparison.Ordinal) >= 0;

        /// <summary>Names the generated members may not take: TorchSharp Module members, our API members, and the user's own members.</summary>
        private static EquatableArray<string> ReservedNames(INamedTypeSymbol symbol, Compilation compilation)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal)
            {
                symbol.Name, "InputShape", "OutputShape", "ParameterCount", "Layers", "Summary", "forward", "OnCreated",
                "InputChannels", "AcceptedInput", "Accepts", "OutputShapeFor",
                "Graph", "ExportOnnx", "PyTorchSource", "ReceptiveField",
            };
            foreach (var member in symbol.GetMembers())
                if (IsUserMember(member)) names.Add(member.Name);
            // The generated class derives from Module<Tensor, Tensor>: a layer property must not hide its members.
            for (INamedTypeSymbol? t = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module`2"); t is not null; t = t.BaseType)
                foreach (var member in t.GetMembers())
                    if (member.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal && member.CanBeReferencedByName)
                        names.Add(member.Name);
            return names.ToEquatableArray();
        }

        internal static bool IsModelDsl(AttributeData attribute, string name)
            => attribute.AttributeClass is { } c && c.Name == name && c.ContainingNamespace is { Name: Ns, ContainingNamespace.IsGlobalNamespace: true };

        /// <summary>ModelDsl attributes of a class in source order (file, then position).</summary>
        internal static ImmutableArray<AttributeData> OrderedLayerAttributes(INamedTypeSymbol symbol, CancellationToken ct)
            => symbol.GetAttributes()
                .Where(a => a.AttributeClass?.ContainingNamespace is { Name: Ns, ContainingNamespace.IsGlobalNamespace: true }
                            && a.AttributeClass.Name is not (nameof(ModelAttribute) or nameof(BlockAttribute)))
                .Select((a, i) => (a, i))
                .OrderBy(x => x.a.ApplicationSyntaxReference?.SyntaxTree.FilePath ?? "", StringComparer.Ordinal)
                .ThenBy(x => x.a.ApplicationSyntaxReference?.Span.Start ?? x.i)
                .Select(x => x.a)
                .ToImmutableArray();
    }
}
