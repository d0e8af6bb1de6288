using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;
using static ModelDsl.Generator.Layers.Code;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// Element-wise activations and Identity: shape-preserving, no parameters. ELU, LeakyReLU, Hardtanh and Softplus
    /// take numbers (one or two), checked here; the others none.
    /// </summary>
    internal sealed class ActivationLayers : LayerFamily
    {
        public static readonly string ReLU = KindOf(nameof(ReLUAttribute));
        public static readonly string ELU = KindOf(nameof(ELUAttribute));
        public static readonly string LeakyReLU = KindOf(nameof(LeakyReLUAttribute));
        public static readonly string Hardtanh = KindOf(nameof(HardtanhAttribute));
        public static readonly string Softplus = KindOf(nameof(SoftplusAttribute));

        private static readonly ELUAttribute EluDefaults = new();
        private static readonly LeakyReLUAttribute LeakyDefaults = new();
        private static readonly HardtanhAttribute HardtanhDefaults = new();
        private static readonly SoftplusAttribute SoftplusDefaults = new();

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
            [KindOf(nameof(ReLU6Attribute))] = "Relu6_",
            [KindOf(nameof(HardswishAttribute))] = "Hardswish",
            [KindOf(nameof(HardsigmoidAttribute))] = "Hardsigmoid",
            [KindOf(nameof(MishAttribute))] = "Mish",
            [Hardtanh] = "Hardtanh",
            [Softplus] = "Softplus",
        };

        /// <summary>
        /// ModelDsl's own modules where TorchSharp's would hurt: those taking numbers make a temporary libtorch Scalar per
        /// forward that a garbage collection can free mid-call (EluActivation explains), Mish calls such a softplus, and
        /// TorchSharp 0.107's Hardtanh returns its input unchanged. The others are TorchSharp's.
        /// </summary>
        private static readonly Dictionary<string, string> s_ownModules = new()
        {
            [ELU] = "global::ModelDsl.EluActivation",
            [LeakyReLU] = "global::ModelDsl.LeakyReluActivation",
            [Hardtanh] = "global::ModelDsl.HardtanhActivation",
            [Softplus] = "global::ModelDsl.SoftplusActivation",
            [KindOf(nameof(MishAttribute))] = "global::ModelDsl.MishActivation",
        };

        /// <summary>PyTorch's argument names of the activations that take numbers, in constructor order.</summary>
        private static readonly Dictionary<string, string[]> s_argumentNames = new()
        {
            [ELU] = new[] { "alpha" },
            [LeakyReLU] = new[] { "negative_slope" },
            [Hardtanh] = new[] { "min_val", "max_val" },
            [Softplus] = new[] { "beta", "threshold" },
        };

        public override IReadOnlyList<string> Kinds { get; } = new List<string>(s_prefixes.Keys);

        public override string NamePrefix(string kind) => s_prefixes[kind];

        public override string TypeName(string kind) => TypeNameOf(kind);

        /// <summary>The module type of <paramref name="kind"/> (also for a residual block's <c>Then</c>).</summary>
        public static string TypeNameOf(string kind) => s_ownModules.TryGetValue(kind, out var own) ? own : "global::TorchSharp.Modules." + kind;

        /// <summary>The construction of <paramref name="kind"/> with its numbers (none for most).</summary>
        private static string ConstructionOf(string kind, double[] arguments)
            => s_ownModules.TryGetValue(kind, out var own)
                ? $"new {own}({string.Join(", ", arguments.Select(Double))})"
                : $"{Nn}{kind}()";

        /// <summary>The construction of a residual block's <c>Then</c>: the module with its defaults.</summary>
        public static string ConstructWithDefaults(string kind) => ConstructionOf(kind, DefaultArguments(kind));

        private static double[] DefaultArguments(string kind)
            => kind == ELU ? new[] { EluDefaults.Alpha }
             : kind == LeakyReLU ? new[] { LeakyDefaults.NegativeSlope }
             : kind == Hardtanh ? new[] { HardtanhDefaults.MinVal, HardtanhDefaults.MaxVal }
             : kind == Softplus ? new[] { SoftplusDefaults.Beta, SoftplusDefaults.Threshold }
             : new double[0];

        /// <summary>The <c>ActivationOp</c> of <paramref name="kind"/> with its numbers (0 for those it lacks).</summary>
        public static string ExportOf(string kind, double[] arguments)
            => Notation.Record("ActivationOp", Notation.Text(kind), Double(arguments.Length > 0 ? arguments[0] : 0), Double(arguments.Length > 1 ? arguments[1] : 0));

        /// <summary>The <c>ActivationOp</c> of a residual block's <c>Then</c>: the module built with its defaults.</summary>
        public static string ExportWithDefaults(string kind) => ExportOf(kind, DefaultArguments(kind));

        public override LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink)
        {
            if (layer.Kind == ELU) return new Activation(ELU, layer.Real(nameof(ELUAttribute.Alpha), EluDefaults.Alpha));
            if (layer.Kind == LeakyReLU) return new Activation(LeakyReLU, layer.Real(nameof(LeakyReLUAttribute.NegativeSlope), LeakyDefaults.NegativeSlope));
            if (layer.Kind == Hardtanh)
            {
                double min = layer.Real(nameof(HardtanhAttribute.MinVal), HardtanhDefaults.MinVal), max = layer.Real(nameof(HardtanhAttribute.MaxVal), HardtanhDefaults.MaxVal);
                if (!(min < max))
                {
                    ArgumentChecks.Invalid(layer, name, nameof(HardtanhAttribute.MaxVal), max, $"it must be greater than MinVal ({Double(min)})", sink);
                    return null;
                }
                return new Activation(Hardtanh, min, max);
            }
            if (layer.Kind == Softplus)
            {
                double beta = layer.Real(nameof(SoftplusAttribute.Beta), SoftplusDefaults.Beta);
                if (!(beta > 0))
                {
                    ArgumentChecks.Invalid(layer, name, nameof(SoftplusAttribute.Beta), beta, "it must be positive", sink);
                    return null;
                }
                return new Activation(Softplus, beta, layer.Real(nameof(SoftplusAttribute.Threshold), SoftplusDefaults.Threshold));
            }
            return new Activation(layer.Kind);
        }

        private sealed class Activation : LayerConfig
        {
            private readonly string _kind;
            private readonly double[] _arguments;

            public Activation(string kind, params double[] arguments)
            {
                _kind = kind;
                _arguments = arguments;
            }

            public override LayerShape? Resolve(LayerInput input) => LayerShape.Preserving(input.Shape);

            public override string Construct(string inChannels, string outChannels) => ConstructionOf(_kind, _arguments);

            public override string Export(long inChannels, long outChannels) => ExportOf(_kind, _arguments);

            public override string Describe(string inChannels, string outChannels)
                => s_argumentNames.TryGetValue(_kind, out var names)
                    ? $"{_kind}({string.Join(", ", names.Select((n, i) => $"{n}={Double(_arguments[i])}"))})"
                    : $"{_kind}()";
        }
    }
}
