using System;

namespace ModelDsl;

/// <summary>
/// <c>nn.ChannelShuffle(groups)</c>: the channels regrouped as <c>groups × (C / groups)</c> and transposed, so ShuffleNet's
/// branches exchange information. Keeps the shape; the channel count must divide into the groups.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ChannelShuffleAttribute : LayerAttribute
{
    public ChannelShuffleAttribute(int groups) => Groups = groups;

    /// <summary>The number of groups (ShuffleNetV2: 2).</summary>
    public int Groups { get; }
}
