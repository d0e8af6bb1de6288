using TorchSharp;

namespace ModelDsl;

/// <summary>
/// The output of a generated model with several heads (<c>[Head("Name", From = "tap")]</c>): the generated
/// <c>{Model}Output</c> record struct implements this so that code written once for any such model (a
/// Learner training <c>Module&lt;Tensor, TOutput&gt;</c>, a loss over every head, a report) can reach the
/// heads without knowing the record's properties.
/// </summary>
public interface IModelOutput
{
    /// <summary>One tensor per head, in the order the heads are declared (the record's property order).</summary>
    IReadOnlyList<torch.Tensor> Heads { get; }

    /// <summary>The heads' names, in the same order as <see cref="Heads"/>, e.g. "Classes", "Boxes".</summary>
    IReadOnlyList<string> HeadNames { get; }
}
