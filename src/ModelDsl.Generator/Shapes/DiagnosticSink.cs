using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// Collects diagnostics during analysis. Inside a block use, every problem is reported at the
    /// [Use&lt;T&gt;] attribute (that is where the shapes come from) and argument errors are left to
    /// the block's own declaration, which reports them once.
    /// </summary>
    internal sealed class DiagnosticSink
    {
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly LocationInfo? _override;
        private readonly bool _reportArgumentErrors;

        public DiagnosticSink(List<DiagnosticInfo> diagnostics, LocationInfo? locationOverride = null, bool reportArgumentErrors = true)
        {
            _diagnostics = diagnostics;
            _override = locationOverride;
            _reportArgumentErrors = reportArgumentErrors;
        }

        /// <param name="argumentsDependOnUse">A block with parameters: its arguments' values are this use's, so their errors are reported here too.</param>
        public DiagnosticSink ForBlockUse(LocationInfo? useLocation, bool argumentsDependOnUse = false)
            => new(_diagnostics, _override ?? useLocation, reportArgumentErrors: argumentsDependOnUse);

        /// <summary>
        /// The sink for a layer's shape rule at its input: what it finds (channels a Chunk or GroupNorm cannot divide, a PReLU
        /// count, a reflection past the edge) depends on the input at this use, so it is reported here even where argument
        /// errors are left to the block's declaration (which cannot see the input).
        /// </summary>
        public DiagnosticSink AtInput => _reportArgumentErrors ? this : new(_diagnostics, _override, reportArgumentErrors: true);

        public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] args)
            => ReportWithProperties(descriptor, location, EquatableArray<DiagnosticProperty>.Empty, args);

        /// <summary>Reports a diagnostic whose <c>Properties</c> carry data for a code fix (see <see cref="DiagnosticProperties"/>).</summary>
        public void ReportWithProperties(DiagnosticDescriptor descriptor, LocationInfo? location, EquatableArray<DiagnosticProperty> properties, params object[] args)
        {
            bool argumentError = descriptor == DiagnosticDescriptors.InvalidLayerArgument
                                 || descriptor == DiagnosticDescriptors.SamePaddingNeedsStrideOne
                                 || descriptor == DiagnosticDescriptors.PoolPaddingTooLarge;
            if (argumentError && !_reportArgumentErrors) return;
            var diagnostic = DiagnosticInfo.Create(descriptor, _override ?? location, args) with { Properties = properties };
            if (!_diagnostics.Contains(diagnostic)) _diagnostics.Add(diagnostic);
        }
    }
}
