using ModelDsl.Interop;
using ModelDsl.Samples;
using Xunit;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>Receptive fields as the course computes them, on the course's nets: LeNet-5 and AlexNet layer by layer.</summary>
public class ReceptiveFieldTests
{
    [Fact]
    public void LeNet5s_fields_grow_as_the_course_computes_them_and_its_classifier_sees_everything()
    {
        var rows = ReceptiveField.PerLayer(LeNet5.Graph);
        ReceptiveField At(string layer) => rows.Single(r => r.Layer == layer).Field;
        // conv 5: 5 (jump 1); pool 2: 6 (jump 2); conv 5: 6 + 4·2 = 14; pool 2: 14 + 1·2 = 16 (jump 4).
        Assert.Equal(new ReceptiveField(5, 5, 1, 1), At("Conv1"));
        Assert.Equal(new ReceptiveField(6, 6, 2, 2), At("MaxPool1"));
        Assert.Equal(new ReceptiveField(14, 14, 2, 2), At("Conv2"));
        Assert.Equal(new ReceptiveField(16, 16, 4, 4), At("MaxPool2"));
        Assert.True(ReceptiveField.Of(LeNet5.Graph).Whole);
        Assert.True(LeNet5.ReceptiveField.Whole);                 // the generated property: the output's field
        Assert.Equal("16×16 (jump 4×4)", At("MaxPool2").ToString());
        // Computed at compile time too: the layer table and the summary's column carry the same numbers.
        Assert.Equal(new ReceptiveField(16, 16, 4, 4), LeNet5.Layers.Single(l => l.Name == "MaxPool2").ReceptiveField);
        Assert.True(LeNet5.Layers.Single(l => l.Name == "Flatten1").ReceptiveField!.Whole);
        Assert.Matches(@"MaxPool2 \(MaxPool2d\)\s+Features\s+16×4×4\s+0\s+0\s+16×16 \(4×4\)", LeNet5.Summary);
        Assert.Contains("Receptive field of the output: whole input", LeNet5.Summary);
    }

    [Fact]
    public void AlexNets_last_pool_sees_195_pixels_with_a_jump_of_32()
    {
        var rows = ReceptiveField.PerLayer(AlexNet.Graph);
        var lastPool = rows.Last(r => r.Layer.Contains("Pool", StringComparison.Ordinal) && !r.Field.Whole).Field;
        Assert.Equal(new ReceptiveField(195, 195, 32, 32), lastPool);
        // A fully convolutional net's output field: the course's FCN sees 32×32 windows 4 apart.
        Assert.Equal(new ReceptiveField(32, 32, 4, 4), SmallClassifierFcn.ReceptiveField);
    }
}
