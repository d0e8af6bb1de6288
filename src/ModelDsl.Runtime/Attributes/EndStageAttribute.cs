using System;

namespace ModelDsl;

/// <summary>
/// Ends the current <see cref="StageAttribute">[Stage]</see>: the layers after it sit at the model's top level again, registered
/// under their own names — torchvision's <c>avgpool</c> and <c>fc</c> after <c>layer4</c> (state_dict <c>fc.weight</c>, not <c>layer4.fc.weight</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EndStageAttribute : Attribute
{
}
