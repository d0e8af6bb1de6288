namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 code use records and init accessors (the type ships in net5.0+ only).</summary>
    internal static class IsExternalInit { }
}
