using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain data (descriptor id, location, message arguments and, for the ones a code
    /// fix needs, <see cref="Diagnostic.Properties"/>) for the pipeline.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments,
        EquatableArray<DiagnosticProperty> Properties = default)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
            => new(descriptor.Id, location, arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToEquatableArray());

        public Diagnostic ToDiagnostic() => ToDiagnostic(Location?.ToLocation());

        /// <summary>The diagnostic at <paramref name="location"/> (the analyzer's: a location in the compilation's own tree).</summary>
        public Diagnostic ToDiagnostic(Location? location)
            => Diagnostic.Create(DiagnosticDescriptors.ById(Id), location,
                Properties.Count == 0 ? null : Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value),
                Arguments.Cast<object>().ToArray());

        public bool IsError => DiagnosticDescriptors.ById(Id).DefaultSeverity == DiagnosticSeverity.Error;
    }

    /// <summary>One key/value pair of a diagnostic's properties (keys in <see cref="DiagnosticProperties"/>), as equatable pipeline data.</summary>
    internal sealed record DiagnosticProperty(string Key, string Value);
}
