using System.IO;

namespace ModelDsl.Build.Tests;

/// <summary>The ELF version tables of the real TorchSharp shim and of this machine's libstdc++.</summary>
public sealed class ElfVersionInfoTests
{
    private const string Needed = "GLIBCXX_3.4.32";

    [Fact]
    public void The_restored_shim_requires_GLIBCXX_3_4_32_of_libstdcxx_and_not_weakly()
    {
        var requirements = ElfVersionInfo.RequiredVersions(File.ReadAllBytes(TestFiles.CachedShim), TestFiles.CachedShim);
        var glibcxx = Assert.Single(requirements, r => r.Version == Needed);
        Assert.Equal("libstdc++.so.6", glibcxx.Library);
        Assert.False(glibcxx.Weak);
        // It asks for older GLIBCXX versions and for glibc too: the table is read as a whole, not just one entry.
        Assert.Contains(requirements, r => r.Library == "libstdc++.so.6" && r.Version == "GLIBCXX_3.4");
        Assert.Contains(requirements, r => r.Library.StartsWith("libc.so", StringComparison.Ordinal) && r.Version.StartsWith("GLIBC_2.", StringComparison.Ordinal));
    }

    [Fact]
    public void Relaxing_sets_the_weak_bit_of_that_one_requirement_and_nothing_else_and_is_idempotent()
    {
        var original = File.ReadAllBytes(TestFiles.CachedShim);
        var bytes = (byte[])original.Clone();

        Assert.Equal(1, ElfVersionInfo.RelaxRequirement(bytes, "shim", Needed));

        var differing = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != original[i]).ToList();
        var changed = Assert.Single(differing);
        Assert.Equal(ElfVersionInfo.VerFlagWeak, bytes[changed] ^ original[changed]);
        var before = ElfVersionInfo.RequiredVersions(original, "original");
        var after = ElfVersionInfo.RequiredVersions(bytes, "relaxed");
        Assert.Equal(before.Select(r => (r.Library, r.Version, Weak: r.Weak || r.Version == Needed)), after.Select(r => (r.Library, r.Version, r.Weak)));

        Assert.Equal(0, ElfVersionInfo.RelaxRequirement(bytes, "shim", Needed));
        Assert.Equal(0, ElfVersionInfo.RelaxRequirement(bytes, "shim", "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void This_machines_libstdcxx_defines_exactly_the_GLIBCXX_versions_its_strings_name()
    {
        var library = TestFiles.LibStdCxx;
        var defined = ElfVersionInfo.DefinedVersions(File.ReadAllBytes(library), library);
        Assert.Contains("GLIBCXX_3.4", defined);
        for (var minor = 10; minor <= 40; minor++)
        {
            var version = $"GLIBCXX_3.4.{minor}";
            Assert.True(defined.Contains(version) == TestFiles.ContainsString(library, version),
                $"{library}: the version table says {version} is {(defined.Contains(version) ? "" : "not ")}defined; its strings say otherwise.");
        }
    }

    [Fact]
    public void A_truncated_file_is_refused_with_its_name_and_the_offsets()
    {
        var bytes = File.ReadAllBytes(TestFiles.CachedShim)[..100_000]; // section headers sit at the end
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionInfo.RequiredVersions(bytes, "/out/libLibTorchSharp.so"));
        Assert.Contains("/out/libLibTorchSharp.so", e.Message);
        Assert.Contains("past the end of the file (100000 bytes)", e.Message);
    }

    [Fact]
    public void A_foreign_or_32_bit_file_is_refused_with_its_name()
    {
        var png = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }.Concat(new byte[100]).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionInfo.RelaxRequirement(png, "a.png", Needed));
        Assert.Equal("a.png: not an ELF file.", e.Message);

        var elf32 = File.ReadAllBytes(TestFiles.CachedShim)[..64];
        elf32[4] = 1;
        e = Assert.Throws<InvalidDataException>(() => ElfVersionInfo.DefinedVersions(elf32, "lib32.so"));
        Assert.Contains("lib32.so: not a little-endian 64-bit ELF file (class 1, data 1)", e.Message);
    }
}
