using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Diagnostics
{
    /// <summary>A diagnostic as plain data (descriptor id, location, message arguments) for the pipeline.</summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
            => new(descriptor.Id, location, arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToEquatableArray());

        public Diagnostic ToDiagnostic()
            => Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation(), Arguments.Cast<object>().ToArray());

        public bool IsError => DiagnosticDescriptors.ById(Id).DefaultSeverity == DiagnosticSeverity.Error;
    }
}
