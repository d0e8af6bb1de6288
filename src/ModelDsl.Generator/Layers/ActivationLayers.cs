using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>Element-wise activations and Identity: shape-preserving, no parameters; ELU and LeakyReLU take one number.</summary>
    internal sealed class ActivationLayers : LayerFamily
    {
        public static readonly string ReLU = KindOf(nameof(ReLUAttribute));
        public static readonly string ELU = KindOf(nameof(ELUAttribute));
        public static readonly string LeakyReLU = KindOf(nameof(LeakyReLUAttribute));

        private static readonly ELUAttribute EluDefaults = new();
        private static readonly LeakyReLUAttribute LeakyDefaults = new();

        private static readonly Dictionary<string, string> s_prefixes = new()
        {
            [ReLU] = "Relu",
            [ELU] = "Elu",
            [LeakyReLU] = "LeakyRelu",
            [KindOf(nameof(SigmoidAttribute))] = "Sigmoid",
            [KindOf(nameof(TanhAttribute))] = "Tanh",
            [KindOf(nameof(GELUAttribute))] = "Gelu",
            [KindOf(nameof(SiLUAttribute))] = "Silu",
            [KindOf(nameof(IdentityAttribute))] = "Identity",
        };

        public override IReadOnlyList<string> Kinds { get; } = new List<string>(s_prefixes.Keys);

        public override string NamePrefix(string kind) => s_prefixes[kind];

        /// <summary>
        /// ModelDsl's own modules for the activations that take a number: TorchSharp's ELU and LeakyReLU make a temporary
        /// libtorch Scalar per forward that a garbage collection can free mid-call (EluActivation explains); the others
        /// are TorchSharp's.
        /// </summary>
        private static readonly Dictionary<string, string> s_ownModules = new()
        {
            [ELU] = "global::ModelDsl.EluActivation",
            [LeakyReLU] = "global::ModelDsl.LeakyReluActivation",
        };

        public override string TypeName(string kind) => TypeNameOf(kind);

        /// <summary>The module type of <paramref name="kind"/> (also for a residual block's <c>Then</c>).</summary>
        public static string TypeNameOf(string kind) => s_ownModules.TryGetValue(kind, out var own) ? own : "global::TorchSharp.Modules." + kind;

        /// <summary>The construction of <paramref name="kind"/> with its one number (ignored by those without).</summary>
        private static string ConstructionOf(string kind, double argument)
            => s_ownModules.TryGetValue(kind, out var own) ? $"new {own}({Double(argument)})" : $"{Nn}{kind}()";

        /// <summary>The construction of a residual block's <c>Then</c>: the module with its defaults.</summary>
        public static string ConstructWithDefaults(string kind) => ConstructionOf(kind, DefaultArgument(kind));

        private static double DefaultArgument(string kind) => kind == ELU ? EluDefaults.Alpha : kind == LeakyReLU ? LeakyDefaults.NegativeSlope : 0;

        /// <summary>The <c>ActivationOp</c> of <paramref name="kind"/> with its one number (0 for those without).</summary>
        public static string ExportOf(string kind, double argument) => Notation.Record("ActivationOp", Notation.Text(kind), Double(argument));

        /// <summary>The <c>ActivationOp</c> of a residual block's <c>Then</c>: the module built with its defaults.</summary>
        public static string ExportWithDefaults(string kind)
            => ExportOf(kind, DefaultArgument(kind));

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            if (layer.Kind == ELU) return new Activation(ELU, $"alpha={{0}}", layer.Real(nameof(ELUAttribute.Alpha), EluDefaults.Alpha));
            if (layer.Kind == LeakyReLU) return new Activation(LeakyReLU, $"negative_slope={{0}}", layer.Real(nameof(LeakyReLUAttribute.NegativeSlope), LeakyDefaults.NegativeSlope));
            return new Activation(layer.Kind, null, 0);
        }

        private sealed class Activation : LayerConfig
        {
            private readonly string _kind;
            /// <summary>How the repr names the one argument ("alpha={0}"), or null for none.</summary>
            private readonly string? _reprArgument;
            private readonly double _argument;

            public Activation(string kind, string? reprArgument, double argument)
            {
                _kind = kind;
                _reprArgument = reprArgument;
                _argument = argument;
            }

            public override LayerShape? Resolve(LayerInput input) => LayerShape.Preserving(input.Shape);

            public override string Construct(string inChannels, string outChannels) => ConstructionOf(_kind, _argument);

            public override string Export(long inChannels, long outChannels) => ExportOf(_kind, _reprArgument is null ? 0 : _argument);

            public override string Describe(string inChannels, string outChannels)
                => _reprArgument is null ? $"{_kind}()" : $"{_kind}({string.Format(_reprArgument, Double(_argument))})";
        }
    }
}
