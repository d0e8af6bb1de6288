using System.Security.Cryptography;
using System.Text;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// The checkpoint file format (version 2: magic, version, content length, SHA-256): every damaged
/// or foreign file is one <see cref="CheckpointFormatException"/> naming the file and the problem, and
/// version 1 files keep loading.
/// </summary>
[Collection("Training")]
public sealed class CheckpointFormatTests : IDisposable
{
    private readonly string _dir = TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    private string SaveOne(string name = "a.ckpt")
    {
        var path = Path.Combine(_dir, name);
        Seeding.Everything(5);
        using var data = new SyntheticData(32);
        using var model = new TinyNet();
        using var learner = new Learner(model, data.Train(), data.Valid(), Options(OptimizerSpec.AdamW()));
        learner.Fit(1, 1e-2);
        learner.SaveCheckpoint(path);
        return path;
    }

    [Fact]
    public void A_saved_file_has_the_version_2_header_with_the_content_length_and_sha256()
    {
        var bytes = File.ReadAllBytes(SaveOne());
        Assert.Equal("MDSLCKPT", Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.Equal(2, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(bytes.Length - 52, BitConverter.ToInt64(bytes, 12));
        Assert.Equal(SHA256.HashData(bytes.AsSpan(52)), bytes.AsSpan(20, 32).ToArray());
        Assert.Equal(2, Checkpoint.Load(Path.Combine(_dir, "a.ckpt")).FormatVersion);
    }

    [Theory]
    [InlineData(0.999)]
    [InlineData(0.5)]
    [InlineData(0.01)]
    public void A_truncated_file_names_the_file_and_both_lengths(double keep)
    {
        var path = SaveOne();
        var full = File.ReadAllBytes(path);
        int length = Math.Max(60, (int)(full.Length * keep));
        File.WriteAllBytes(path, full[..length]);

        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains($"{full.Length - 52:N0} bytes of content", e.Message);
        Assert.Contains($"the file has {length - 52:N0}", e.Message);
    }

    [Fact]
    public void A_file_cut_inside_its_header_is_truncated_too()
    {
        var path = SaveOne();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..30]);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains("truncated inside its header: 30 bytes", e.Message);
    }

    [Theory]
    [InlineData(60)]      // the JSON state
    [InlineData(-40)]     // the optimizer state at the end
    public void One_flipped_byte_is_a_checksum_mismatch_with_both_hashes(int offset)
    {
        var path = SaveOne();
        var bytes = File.ReadAllBytes(path);
        var expected = Convert.ToHexString(bytes.AsSpan(20, 32));
        int at = offset >= 0 ? offset : bytes.Length + offset;
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("corrupted", e.Message);
        Assert.Contains($"the header expects {expected}", e.Message);
        Assert.Contains($"SHA-256 is {Convert.ToHexString(SHA256.HashData(bytes.AsSpan(52)))}", e.Message);
    }

    [Fact]
    public void Bytes_appended_after_the_content_are_refused()
    {
        var path = SaveOne();
        File.AppendAllText(path, "tail");
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains("4 unexpected bytes after the content", e.Message);
    }

    [Fact]
    public void Foreign_files_say_they_are_not_checkpoints()
    {
        var text = Path.Combine(_dir, "notes.ckpt");
        File.WriteAllText(text, "hello, this is not a checkpoint");
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(text));
        Assert.Contains(text, e.Message);
        Assert.Contains("not a ModelDsl checkpoint: it starts with bytes 68656C6C6F2C2074, expected 4D44534C434B5054", e.Message);

        var tiny = Path.Combine(_dir, "tiny.ckpt");
        File.WriteAllBytes(tiny, [1, 2, 3]);
        Assert.Contains("3 bytes long", Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(tiny)).Message);

        var future = Path.Combine(_dir, "future.ckpt");
        File.WriteAllBytes(future, [.. Encoding.ASCII.GetBytes("MDSLCKPT"), .. BitConverter.GetBytes(7), .. new byte[64]]);
        Assert.Contains("format version 7 is unknown", Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(future)).Message);
    }

    /// <summary>A version 1 file, byte for byte as the version 1 writer laid it out: magic, version, then the content, no length or checksum.</summary>
    private static byte[] Version1File(nn.Module model, string json, bool truncateLastTensor = false)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Encoding.ASCII.GetBytes("MDSLCKPT"));
            w.Write(1);
            w.Write(json);
            var dict = model.state_dict();
            w.Write(dict.Count);
            foreach (var (name, t) in dict)
            {
                w.Write(name);
                w.Write((int)t.dtype);
                w.Write(t.shape.Length);
                foreach (var d in t.shape) w.Write(d);
                var bytes = t.bytes.ToArray();
                w.Write((long)bytes.Length);
                w.Write(bytes);
            }
            w.Write(0L);
        }
        var file = ms.ToArray();
        return truncateLastTensor ? file[..^20] : file;
    }

    [Fact]
    public void Version_1_files_still_load_and_a_truncated_one_says_where_it_ends()
    {
        Seeding.Everything(8);
        using var source = new TinyNet();
        const string json = """{"epoch":3,"step":30,"seed":8,"rng_state":null,"fit":null,"history":null,"frozen":null,"stage_lrs":null,"model_type":"TinyNet"}""";
        var path = Path.Combine(_dir, "v1.ckpt");
        File.WriteAllBytes(path, Version1File(source, json));

        var ck = Checkpoint.Load(path);
        Assert.Equal(1, ck.FormatVersion);
        Assert.Equal(3, ck.State.Epoch);
        Assert.Equal(30, ck.State.Step);
        Assert.Null(ck.State.Position);
        Assert.False(ck.HasOptimizerState);
        Seeding.Everything(9);
        using var target = new TinyNet();
        ck.LoadInto(target);
        foreach (var (k, v) in source.state_dict()) Assert.True(Same(v, target.state_dict()[k]), k);

        File.WriteAllBytes(path, Version1File(source, json, truncateLastTensor: true));
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("Head.Linear1.bias", e.Message); // the tensor it was reading
    }

    [Fact]
    public void A_stale_temporary_file_from_a_crashed_save_is_removed_by_the_next_save()
    {
        var stale = Path.Combine(_dir, ".a.ckpt.deadbeef.tmp");
        File.WriteAllBytes(stale, new byte[100]);
        SaveOne();
        Assert.Equal(new[] { "a.ckpt" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }
}
