using SkiaSharp;

namespace ModelDsl.Benchmarks.Data;

/// <summary>
/// Makes (once) the benchmark's image folder: N 32×32 RGB PNGs (or JPEGs) in 10 class folders, each a
/// smooth gradient plus noise so that compression is realistic (neither flat nor pure noise). The folder
/// is kept so the PyTorch script (benchmarks/python/data_pipeline.py) reads the very same files.
/// </summary>
internal static class BenchImages
{
    public static string DefaultDir(string ext) => Path.Combine(Path.GetTempPath(), $"modeldsl-bench-{ext}-32");

    public static string Ensure(string dir, int count = 2000, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        string ext = format == SKEncodedImageFormat.Png ? ".png" : ".jpg";
        if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*" + ext, SearchOption.AllDirectories).Count() == count) return dir;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var rng = new Random(1234);
        for (int i = 0; i < count; i++)
        {
            using var bmp = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Opaque));
            int c = i % 10;
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    bmp.SetPixel(x, y, new SKColor((byte)Math.Clamp(8 * x + 20 * c + rng.Next(-20, 20), 0, 255),
                                                   (byte)Math.Clamp(8 * y + rng.Next(-20, 20), 0, 255),
                                                   (byte)Math.Clamp(128 + 4 * (x - y) + rng.Next(-20, 20), 0, 255)));
            var path = Path.Combine(dir, $"class{c}", $"{i:D5}{ext}");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var data = bmp.Encode(format, 90);
            File.WriteAllBytes(path, data.ToArray());
        }
        return dir;
    }

    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
