namespace ModelDsl.Generator.Parsing
{
    /// <summary>Where a generated class goes: its namespace, name, file hint name and the partial types around it.</summary>
    internal sealed record GeneratedType(string? Namespace, string ClassName, string HintName, EquatableArray<string> ContainingTypes);
}
