using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// Reshape and Permute: per-sample dimensions (the batch stays first), as <c>x.reshape(N, *dims)</c> and
    /// <c>x.permute(0, *[d + 1 for d in dims])</c>. No parameters. Reshape keeps the element count (MDSL0035);
    /// Permute's dimensions are a permutation of the input's (MDSL0036). Both run as real modules
    /// (<c>ModelDsl.ReshapeModule</c>, <c>ModelDsl.PermuteModule</c>), so hooks fire on them.
    /// </summary>
    internal sealed class ReshapeLayers : LayerFamily
    {
        public static readonly string Reshape = KindOf(nameof(ReshapeAttribute));
        public static readonly string Permute = KindOf(nameof(PermuteAttribute));

        public override IReadOnlyList<string> Kinds { get; } = new[] { Reshape, Permute };

        public override string NamePrefix(string kind) => kind;

        public override string TypeName(string kind) => kind == Reshape ? "global::ModelDsl.ReshapeModule" : "global::ModelDsl.PermuteModule";

        // A block is built from its input channels alone; a reshape fixes every dimension.
        public override bool AllowedInBlock(string kind) => false;

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            string property = layer.Kind == Reshape ? nameof(ReshapeAttribute.Shape) : nameof(PermuteAttribute.Dims);
            var dims = layer.Arg(property)?.Values.ToArray() ?? new long[0];
            string written = string.Join(", ", dims);
            if (dims.Length < 1 || dims.Length > Shape.MaxRank)
            {
                ArgumentChecks.Invalid(layer, name, property, $"({written})", $"give 1 to {Shape.MaxRank} per-sample dimensions (without the batch)", sink);
                return null;
            }
            if (layer.Kind == Permute) return new PermuteConfig(dims);
            if (dims.Count(d => d == -1) > 1 || dims.Any(d => d == 0 || d < -1))
            {
                ArgumentChecks.Invalid(layer, name, property, $"({written})", "every dimension must be positive, except at most one -1 (inferred from the others)", sink);
                return null;
            }
            return new ReshapeConfig(dims);
        }

        private sealed class ReshapeConfig : LayerConfig
        {
            private readonly long[] _dims;
            private long[] _resolved;

            public ReshapeConfig(long[] dims) => _resolved = _dims = dims;

            /// <summary>Positions no longer map to places of the input: every output is taken to see all of it (as a Flatten).</summary>
            public override FieldStep Field(Shape input, Shape output) => FieldStep.WholeInput;

            public override LayerShape? Resolve(LayerInput input)
            {
                long elements = input.Shape.Elements;
                long known = Counts.Product("the product of its dimensions", _dims.Where(d => d != -1).ToArray());
                var resolved = (long[])_dims.Clone();
                int inferred = System.Array.IndexOf(_dims, -1L);
                string problem = "";
                if (inferred >= 0)
                {
                    if (elements % known != 0) problem = $"-1 would have to be {elements} / {known}, which is not a whole number";
                    else resolved[inferred] = elements / known;
                }
                else if (known != elements) problem = $"{Describe(_dims)} holds {known} elements";
                if (problem.Length > 0)
                {
                    input.Sink.Report(DiagnosticDescriptors.ReshapeElementCount, input.Layer.LocationOf(nameof(ReshapeAttribute.Shape)), input.Name,
                        input.Shape.ToString(), elements, Describe(_dims), problem);
                    return null;
                }
                _resolved = resolved;
                var output = Shape.Of(resolved);
                return new LayerShape(output, input.Shape[0], output[0]);
            }

            /// <summary>After MDSL0035: the stated shape, when it states every dimension (a -1 has no value to go on with).</summary>
            public override Shape? OutputDespiteError(Shape input, TapScope? taps) => _dims.Contains(-1L) ? null : Shape.Of(_dims);

            public override string Construct(string inChannels, string outChannels) => $"new global::ModelDsl.ReshapeModule({string.Join(", ", _resolved.Select(Long))})";

            public override string Describe(string inChannels, string outChannels) => $"Reshape(N, {string.Join(", ", _resolved)})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("ReshapeOp", Notation.List(_resolved));

            private static string Describe(long[] dims) => string.Join("×", dims);
        }

        private sealed class PermuteConfig : LayerConfig
        {
            private readonly long[] _dims;

            public PermuteConfig(long[] dims) => _dims = dims;

            /// <summary>Positions no longer map to places of the input: every output is taken to see all of it (as a Flatten).</summary>
            public override FieldStep Field(Shape input, Shape output) => FieldStep.WholeInput;

            public override LayerShape? Resolve(LayerInput input)
            {
                var shape = input.Shape;
                string? problem = _dims.Length != shape.Rank ? $"it names {_dims.Length} dimension(s)"
                    : _dims.Any(d => d < 0 || d >= shape.Rank) ? $"{_dims.First(d => d < 0 || d >= shape.Rank)} is no dimension of it"
                    : _dims.Distinct().Count() != _dims.Length ? $"{_dims.GroupBy(d => d).First(g => g.Count() > 1).Key} appears twice"
                    : null;
                if (problem is not null)
                {
                    // A PyTorch habit: permute(0, 2, 3, 1) counts the batch; ModelDsl's dimensions are per sample.
                    string hint = _dims.Length == shape.Rank + 1 && _dims[0] == 0 && _dims.Skip(1).All(d => d >= 1)
                        ? $"; the dimensions are per sample (without the batch), so PyTorch's permute({string.Join(", ", _dims)}) is Permute({string.Join(", ", _dims.Skip(1).Select(d => d - 1))})"
                        : "";
                    input.Sink.Report(DiagnosticDescriptors.BadPermutation, input.Layer.LocationOf(nameof(PermuteAttribute.Dims)), input.Name,
                        string.Join(", ", _dims), shape.ToString(), shape.Rank, problem + hint);
                    return null;
                }
                var output = Shape.Of(_dims.Select(d => shape[(int)d]).ToArray());
                return new LayerShape(output, shape[0], output[0]);
            }

            public override string Construct(string inChannels, string outChannels) => $"new global::ModelDsl.PermuteModule({string.Join(", ", _dims.Select(Long))})";

            public override string Describe(string inChannels, string outChannels) => $"permute(0, {string.Join(", ", _dims.Select(d => d + 1))})";

            public override string Export(long inChannels, long outChannels) => Notation.Record("PermuteOp", Notation.List(_dims));
        }
    }
}
