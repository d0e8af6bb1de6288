using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>
/// One transform for images alone and for images with masks and boxes: a colour change passes the targets through, a flip
/// moves them by the same draw (as the paired flip does), and a transform that moves pixels but not targets is refused when
/// a paired pipeline or a dense loader is built with it, naming the one that can.
/// </summary>
public class OneAugmentationBaseTests
{
    private static DenseBatch Batch()
    {
        var images = rand(new long[] { 6, 1, 12, 16 }, generator: new Generator(5));
        var masks = randint(0, 3, new long[] { 6, 12, 16 }, generator: new Generator(6));
        var boxes = tensor(new float[] { 1, 2, 5, 9, 3, 3, 10, 11 }).view(1, 2, 4).expand(6, 2, 4).contiguous();
        var classes = tensor(new long[] { 1, -1 }).view(1, 2).expand(6, 2).contiguous();
        return new DenseBatch(images, masks, boxes, classes);
    }

    [Fact]
    public void A_colour_transform_changes_the_images_as_alone_and_passes_masks_and_boxes_through()
    {
        using var scope = NewDisposeScope();
        var batch = Batch();
        using var paired = new ColorJitter(brightness: 0.5, p: 1, seed: 2);
        using var alone = new ColorJitter(brightness: 0.5, p: 1, seed: 2);
        var y = ((IPairedAugmentation)paired).Apply(batch);
        Assert.True(y.Images.eq(alone.Apply(batch.Images)).all().item<bool>());
        Assert.False(y.Images.eq(batch.Images).all().item<bool>());
        Assert.True(y.Masks!.eq(batch.Masks!).all().item<bool>());
        Assert.True(y.Boxes!.eq(batch.Boxes!).all().item<bool>());
        Assert.True(y.Classes!.eq(batch.Classes!).all().item<bool>());
    }

    [Fact]
    public void A_flip_moves_masks_and_boxes_by_its_draw_as_the_paired_flip_does()
    {
        using var scope = NewDisposeScope();
        var batch = Batch();
        foreach (var (flip, paired) in new (IPairedAugmentation, IPairedAugmentation)[]
                 {
                     (new RandomHorizontalFlip(p: 0.5, seed: 9), new PairedHorizontalFlip(p: 0.5, seed: 9)),
                     (new RandomVerticalFlip(p: 0.5, seed: 9), new PairedVerticalFlip(p: 0.5, seed: 9)),
                 })
        {
            var a = flip.Apply(batch);
            var b = paired.Apply(batch);
            Assert.True(a.Images.sub(b.Images).abs().max().item<float>() < 1e-6f, $"{flip.GetType().Name}: images differ from the paired flip's");
            Assert.True(a.Masks!.eq(b.Masks!).all().item<bool>(), $"{flip.GetType().Name}: masks differ");
            var present = batch.Classes!.ge(0).unsqueeze(2);
            Assert.True(a.Boxes!.sub(b.Boxes!).abs().mul(present).max().item<float>() < 1e-4f, $"{flip.GetType().Name}: boxes differ");
            Assert.True(a.Boxes!.eq(batch.Boxes!).logical_or(present).all().item<bool>()); // an empty row stays as it was
            // Some samples flipped, some not (p = 0.5 over 6): the test compares real decisions.
            var changed = a.Masks!.ne(batch.Masks!).flatten(1).any(1);
            Assert.InRange(changed.sum().item<long>(), 1, 5);
        }
    }

    [Fact]
    public void A_transform_that_moves_pixels_but_not_targets_is_refused_where_a_dense_pipeline_is_built()
    {
        var e = Assert.Throws<ArgumentException>(() => new PairedSequential(new PairedHorizontalFlip(), new RandomAffine(10)));
        Assert.Contains("RandomAffine moves pixels but cannot move masks and boxes", e.Message);
        Assert.Contains("use PairedRandomAffine", e.Message);
        var data = new MemoryDenseData(8);
        var loader = Assert.Throws<ArgumentException>(() => new SegmentationDataLoader(data, 4, augmentation: new RandomPerspective(p: 1)));
        Assert.Contains("RandomPerspective", loader.Message);
        // Flips and colour changes are welcome.
        _ = new PairedSequential(new RandomHorizontalFlip(), new ColorJitter(brightness: 0.2), new PairedRandomCrop(10, 14));
    }
}
