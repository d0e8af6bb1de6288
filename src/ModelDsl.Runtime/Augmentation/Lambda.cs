using TorchSharp;

namespace ModelDsl.Augmentation;

/// <summary>
/// torchvision's <c>Lambda</c>: a user's function of the batch as a step of a <see cref="Compose"/>. It should return a new
/// tensor (the input is the caller's); returning the input itself is allowed and kept apart from it. Not random: a random
/// function's state is its own business (its draws are not saved with the loader's).
/// </summary>
public sealed class Lambda(Func<torch.Tensor, torch.Tensor> function) : IAugmentation
{
    private readonly Func<torch.Tensor, torch.Tensor> _function = function ?? throw new ArgumentNullException(nameof(function));

    public torch.Tensor Apply(torch.Tensor batch)
    {
        var y = _function(batch) ?? throw new InvalidOperationException("Lambda: the function returned null instead of a batch.");
        return ReferenceEquals(y, batch) ? batch.alias() : y;
    }
}
