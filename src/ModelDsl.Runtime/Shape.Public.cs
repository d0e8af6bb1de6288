namespace ModelDsl;

// The shared shape files (src/ModelDsl.Generator/Shapes/Shared) declare these types without an
// access modifier so that the generator keeps them internal; the runtime makes them public here.

public readonly partial struct Shape;

public static partial class ShapeMath;

public readonly partial struct AxisStep;

public sealed partial class AxisProgram;

public sealed partial class AxisFailure;

public sealed partial class AcceptedSizes;
