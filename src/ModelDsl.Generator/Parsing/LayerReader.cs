using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Parsing
{
    /// <summary>
    /// Reads layer, [Stage], [Use&lt;T&gt;] and [Residual] attribute data into <see cref="LayerSpec"/>s,
    /// recording where each argument was written so diagnostics can point at it.
    /// </summary>
    internal sealed class LayerReader
    {
        private readonly CancellationToken _ct;
        private readonly List<DiagnosticInfo> _diagnostics;

        public LayerReader(CancellationToken ct, List<DiagnosticInfo> diagnostics)
        {
            _ct = ct;
            _diagnostics = diagnostics;
        }

        /// <summary>False when an attribute did not bind (the compiler reports that error itself).</summary>
        public bool AllBound { get; private set; } = true;

        /// <summary>The deepest nesting of blocks in blocks read (a guard: deeper is almost surely a mistake, and each level is a class).</summary>
        public const int MaxBlockDepth = 16;

        /// <param name="enclosing">The blocks (fully qualified) being read around these layers, this one included, outermost first: a block that contains itself is refused.</param>
        public List<LayerSpec> ReadLayers(ImmutableArray<AttributeData> attributes, bool isBlock, string owner, int depth, ImmutableArray<string> enclosing = default)
        {
            if (enclosing.IsDefault) enclosing = ImmutableArray<string>.Empty;
            var layers = new List<LayerSpec>();
            string? stage = null;
            foreach (var attribute in attributes)
            {
                _ct.ThrowIfCancellationRequested();
                var cls = attribute.AttributeClass;
                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(_ct) as AttributeSyntax;
                var location = LocationInfo.From(syntax);
                if (cls is null || cls.TypeKind == TypeKind.Error || attribute.AttributeConstructor is null
                    || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
                    || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
                {
                    AllBound = false;
                    continue;
                }

                switch (cls.Name)
                {
                    case nameof(ResidualAttribute):
                        if (!isBlock)
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner, "uses [Residual], which applies only to a [Block] class"));
                        continue;
                    case nameof(StageAttribute):
                        if (isBlock)
                        {
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner, "declares a [Stage]; stages group a model's layers, blocks cannot have them"));
                            continue;
                        }
                        stage = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
                        layers.Add(new LayerSpec(LayerSpec.StageKind, stage, stage, location, EquatableArray<LayerArg>.Empty, null));
                        continue;
                    case nameof(EndStageAttribute):
                        if (isBlock) _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner, "declares [EndStage]; stages group a model's layers, blocks cannot have them"));
                        else if (stage is not null && layers.Any(l => l.IsHead && l.Name == stage))
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner, "declares [EndStage] in head '" + stage + "'; a head's layers belong to it to the end"));
                        else stage = null; // the layers after it belong to no stage
                        continue;
                    case nameof(TapAttribute):
                        // In a block a tap is the block's own: its merges and From see it, the model does not.
                        string tap = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
                        layers.Add(new LayerSpec(LayerSpec.TapKind, tap, stage, location, EquatableArray<LayerArg>.Empty, null));
                        continue;
                    case nameof(ChunkAttribute):
                    {
                        var parts = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
                            ? attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? "").ToList() : new List<string>();
                        if (parts.Count < 2)
                        {
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, location, "Chunk", "Chunk", "taps", parts.Count.ToString(CultureInfo.InvariantCulture),
                                "name at least two taps, one per part: [Chunk(\"x1\", \"x2\")]"));
                            continue;
                        }
                        for (int i = 0; i < parts.Count; i++)
                            layers.Add(new LayerSpec(LayerSpec.ChunkKind, parts[i], stage, location, new[]
                            {
                                new LayerArg("Index", i, i, null, location), new LayerArg("Parts", parts.Count, parts.Count, null, location),
                            }.ToEquatableArray(), null));
                        continue;
                    }
                    case nameof(FromAttribute):
                        string from = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
                        layers.Add(new LayerSpec(LayerSpec.FromKind, from, stage, location, EquatableArray<LayerArg>.Empty, null));
                        continue;
                    case nameof(HeadAttribute):
                        if (isBlock)
                        {
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner, "declares a [Head]; heads are a model's outputs, a block is a chain"));
                            continue;
                        }
                        // Everything after a head, up to the next one, belongs to it: the head is their stage.
                        string head = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
                        var (headArgs, _) = ReadArguments(attribute, syntax, null);
                        layers.Add(new LayerSpec(LayerSpec.HeadKind, head, head, location, headArgs, null));
                        stage = head;
                        continue;
                    case nameof(UseAttribute<object>) when cls.IsGenericType:
                        // A block may use blocks (a squeeze-excitation inside an inverted residual), to any depth up to MaxBlockDepth.
                        AddBlockUses(attribute, syntax, location, stage, layers, owner, depth, enclosing);
                        continue;
                }

                // A LayerAttribute the catalog does not know (a newer runtime's, say) is left alone.
                string kind = cls.Name.EndsWith("Attribute", StringComparison.Ordinal) ? cls.Name.Substring(0, cls.Name.Length - "Attribute".Length) : cls.Name;
                if (!IsLayerAttribute(cls) || !LayerCatalog.TryGet(kind, out var family))
                    continue;

                var (args, name) = ReadArguments(attribute, syntax, (kind, family));
                layers.Add(new LayerSpec(kind, name, stage, location, args, null));
            }
            return layers;
        }

        public BlockSpec ReadBlock(INamedTypeSymbol block, List<LayerSpec> layers)
        {
            var residual = block.GetAttributes().FirstOrDefault(a => ModelParser.IsModelDsl(a, nameof(ResidualAttribute)));
            string then = nameof(Act.None);
            bool projection = false;
            long stride = 0;
            if (residual is not null)
            {
                foreach (var named in residual.NamedArguments)
                {
                    if (named.Key == nameof(ResidualAttribute.Then)) then = EnumMemberName(named.Value) ?? nameof(Act.None);
                    if (named.Key == nameof(ResidualAttribute.Projection) && named.Value.Value is bool p) projection = p;
                    if (named.Key == nameof(ResidualAttribute.Stride) && named.Value.Value is int s) stride = s;
                }
            }
            // The block's own member names: its layer properties are numbered around them, the same way in the
            // block class and in every model's Layers and Summary.
            var members = new SortedSet<string>(StringComparer.Ordinal) { block.Name };
            foreach (var member in block.GetMembers())
                if (ModelParser.IsUserMember(member)) members.Add(member.Name);
            // [Block(Params = "Out, Stride = 1")]: the parameters a use passes (checked by BlockAnalyzer on the declaration).
            string? parameters = block.GetAttributes().FirstOrDefault(a => ModelParser.IsModelDsl(a, nameof(BlockAttribute)))?
                .NamedArguments.FirstOrDefault(a => a.Key == nameof(BlockAttribute.Params)).Value.Value as string;
            var declared = parameters is null ? EquatableArray<BlockParam>.Empty
                : Shapes.BlockExpression.SplitTopLevel(parameters).Select(BlockParam.Parse).ToEquatableArray();
            return new BlockSpec(block.Name, block.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                layers.Where(l => !l.IsStage).ToEquatableArray(), residual is not null, then, projection, members.ToEquatableArray(), stride, declared);
        }

        private void AddBlockUses(AttributeData attribute, AttributeSyntax? syntax, LocationInfo? location, string? stage, List<LayerSpec> layers,
            string owner, int depth, ImmutableArray<string> enclosing)
        {
            var blockType = attribute.AttributeClass!.TypeArguments.FirstOrDefault() as INamedTypeSymbol;
            if (blockType is null || blockType.TypeKind == TypeKind.Error) { AllBound = false; return; }
            if (!blockType.GetAttributes().Any(a => ModelParser.IsModelDsl(a, nameof(BlockAttribute))))
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotABlock, location, blockType.Name));
                return;
            }
            string blockName = blockType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            if (enclosing.Contains(blockName))
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner,
                    $"uses block {blockType.Name}, which contains {owner}; a block cannot contain itself"));
                return;
            }
            if (depth + 1 > MaxBlockDepth)
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner,
                    $"nests blocks more than {MaxBlockDepth} deep"));
                return;
            }

            var (args, name) = ReadArguments(attribute, syntax, null);
            // The block's own layers; their argument errors are reported on the block's declaration.
            var inner = new LayerReader(_ct, new List<DiagnosticInfo>());
            var blockLayers = inner.ReadLayers(ModelParser.OrderedLayerAttributes(blockType, _ct), isBlock: true, blockType.Name, depth + 1, enclosing.Add(blockName));
            // A cycle further in (A uses B uses A) is reported on the innermost use; here it only makes this use unusable.
            if (inner._diagnostics.Any(d => d.Id == DiagnosticDescriptors.InvalidBlock.Id && d.Arguments.Count > 1 && d.Arguments[1].Contains("a block cannot contain itself")))
            {
                if (!_diagnostics.Any(d => d.Id == DiagnosticDescriptors.InvalidBlock.Id))
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBlock, location, owner, $"uses block {blockType.Name}, which contains {owner}; a block cannot contain itself"));
                return;
            }
            AllBound &= inner.AllBound;
            var block = inner.ReadBlock(blockType, blockLayers);
            long repeat = args.FirstOrDefault(a => a.Name == nameof(UseAttribute<object>.Repeat))?.Integer ?? new UseAttribute<object>().Repeat;
            // An invalid Repeat is reported by the shape engine; keep one copy so the rest is still checked.
            long copies = repeat >= 1 && repeat <= BlockUses.MaxRepeat ? repeat : 1;
            for (long i = 0; i < copies; i++)
                layers.Add(new LayerSpec(LayerSpec.BlockKind, name, stage, location, args, block));
        }

        private static bool IsLayerAttribute(INamedTypeSymbol cls)
        {
            for (var t = cls.BaseType; t is not null; t = t.BaseType)
                if (t.Name == nameof(LayerAttribute) && t.ContainingNamespace is { Name: "ModelDsl", ContainingNamespace.IsGlobalNamespace: true })
                    return true;
            return false;
        }

        /// <summary>The written arguments, by property name; <paramref name="layer"/> maps constructor parameters to properties (null: a [Use]).</summary>
        private static (EquatableArray<LayerArg> Args, string? Name) ReadArguments(AttributeData attribute, AttributeSyntax? syntax, (string Kind, LayerFamily Family)? layer)
        {
            var args = new List<LayerArg>();
            string? name = null;
            var ctorParams = attribute.AttributeConstructor!.Parameters;
            var positional = syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList() ?? new List<AttributeArgumentSyntax>();

            for (int i = 0; i < attribute.ConstructorArguments.Length && i < ctorParams.Length; i++)
            {
                var paramName = ctorParams[i].Name;
                var argSyntax = positional.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == paramName)
                                ?? (i < positional.Count && positional[i].NameColon is null ? positional[i] : null);
                // A params array spans several arguments: point at the whole attribute.
                var loc = ctorParams[i].IsParams ? LocationInfo.From(syntax) : LocationInfo.From(argSyntax);
                var properties = layer is { } l ? l.Family.PropertiesForParameter(l.Kind, paramName) : new[] { char.ToUpperInvariant(paramName[0]) + paramName.Substring(1) };
                foreach (var property in properties)
                    Add(args, property, attribute.ConstructorArguments[i], loc, layer?.Kind);
            }
            foreach (var named in attribute.NamedArguments)
            {
                var argSyntax = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named.Key);
                if (named.Key == nameof(LayerAttribute.Name))
                {
                    name = named.Value.Value as string;
                    continue;
                }
                Add(args, named.Key, named.Value, LocationInfo.From(argSyntax), layer?.Kind);
            }
            return (args.ToEquatableArray(), name);
        }

        private static void Add(List<LayerArg> args, string name, TypedConstant value, LocationInfo? location, string? kind = null)
        {
            args.RemoveAll(a => a.Name == name);
            // A property that takes an integer or an expression string is typed object, so C# accepts any constant there;
            // anything else (2.5, 3u, true, null, an enum) is kept with its type, flagged by a NaN real (MDSL0007 names it).
            // A real slot (a probability) takes any number as well.
            if (kind is not null && Shapes.BlockParameters.TakesExpression(kind, name) && value.Value is not (int or string)
                && !(value.Value is double or float && Shapes.BlockParameters.TakesReal(kind, name)))
            {
                string text = value.IsNull ? "null" : $"{value.ToCSharpString()} ({value.Type?.ToDisplayString() ?? "?"})";
                args.Add(new LayerArg(name, 0, double.NaN, text, location));
                return;
            }
            if (value.Kind == TypedConstantKind.Array)
            {
                // params int[]: the elements in order (an element that is no integer constant is left out; the compiler reports it).
                var values = value.Values.Where(v => v.Value is int or long).Select(v => System.Convert.ToInt64(v.Value, CultureInfo.InvariantCulture)).ToEquatableArray();
                args.Add(new LayerArg(name, values.Count, values.Count, null, location, values));
                return;
            }
            switch (value.Value)
            {
                case bool b: args.Add(new LayerArg(name, b ? 1 : 0, b ? 1 : 0, null, location)); break;
                case string s: args.Add(new LayerArg(name, 0, 0, s, location)); break;
                case double d: args.Add(new LayerArg(name, Truncate(d), d, null, location)); break;
                case float f: args.Add(new LayerArg(name, Truncate(f), f, null, location)); break;
                case int i when value.Kind == TypedConstantKind.Enum:
                    args.Add(new LayerArg(name, i, i, EnumMemberName(value), location)); break;
                case int i: args.Add(new LayerArg(name, i, i, null, location)); break;
                case long l: args.Add(new LayerArg(name, l, l, null, location)); break;
                default:
                    if (value.Value is IConvertible c && value.Kind is TypedConstantKind.Primitive or TypedConstantKind.Enum)
                    {
                        long n = c.ToInt64(CultureInfo.InvariantCulture);
                        args.Add(new LayerArg(name, n, n, value.Kind == TypedConstantKind.Enum ? EnumMemberName(value) : null, location));
                    }
                    break;
            }
        }

        /// <summary>A real argument's integer part, 0 when it has none in range (NaN, ±∞, 1e300): the real value is what counts.</summary>
        private static long Truncate(double value)
            => value > -9223372036854775808.0 && value < 9223372036854775808.0 ? (long)value : 0;

        private static string? EnumMemberName(TypedConstant value)
        {
            if (value.Type is not INamedTypeSymbol enumType) return null;
            foreach (var field in enumType.GetMembers().OfType<IFieldSymbol>())
                if (field.HasConstantValue && Equals(field.ConstantValue, value.Value)) return field.Name;
            return null;
        }
    }
}
