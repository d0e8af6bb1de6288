using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ModelDsl.Build;

/// <summary>
/// Reads and edits the symbol-version tables of a little-endian ELF64 shared library: the versions it
/// defines (<c>.gnu.version_d</c>, e.g. libstdc++'s GLIBCXX_3.4.30) and the versions it requires from its
/// dependencies (<c>.gnu.version_r</c>). Written by hand because no library available to an MSBuild task
/// edits one flag of an ELF file in place; it touches nothing but that flag.
/// </summary>
internal static class ElfVersionInfo
{
    private const uint ShtGnuVerdef = 0x6FFFFFFD;
    private const uint ShtGnuVerneed = 0x6FFFFFFE;
    /// <summary>VER_FLG_WEAK: the loader accepts a dependency that lacks this version instead of refusing to load.</summary>
    internal const ushort VerFlagWeak = 0x2;

    /// <summary>One version a library requires of one dependency (an Elf64_Vernaux entry).</summary>
    internal readonly record struct Requirement(string Library, string Version, bool Weak, int FlagsOffset);

    /// <summary>The versions <paramref name="elf"/> requires, each with the library it requires it of.</summary>
    internal static List<Requirement> RequiredVersions(byte[] elf, string file)
    {
        var result = new List<Requirement>();
        var sections = Sections(elf, file);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strtab = StringTable(sections, file, section.Link);
            long entry = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                Need(elf, file, entry, 16, "version requirement");
                var count = U16(elf, entry + 2);
                var library = String(elf, file, strtab, U32(elf, entry + 4));
                long aux = entry + U32(elf, entry + 8);
                for (var j = 0; j < count; j++)
                {
                    Need(elf, file, aux, 16, "version requirement entry");
                    var flags = U16(elf, aux + 4);
                    var name = String(elf, file, strtab, U32(elf, aux + 8));
                    result.Add(new Requirement(library, name, (flags & VerFlagWeak) != 0, checked((int)(aux + 4))));
                    var next = U32(elf, aux + 12);
                    if (next == 0) break;
                    aux += next;
                }
                var nextEntry = U32(elf, entry + 12);
                if (nextEntry == 0) break;
                entry += nextEntry;
            }
        }
        return result;
    }

    /// <summary>The versions <paramref name="elf"/> defines (for libstdc++: GLIBCXX_3.4, …, GLIBCXX_3.4.30, …).</summary>
    internal static HashSet<string> DefinedVersions(byte[] elf, string file)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var sections = Sections(elf, file);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef) continue;
            var strtab = StringTable(sections, file, section.Link);
            long entry = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                Need(elf, file, entry, 20, "version definition");
                var count = U16(elf, entry + 6);
                long aux = entry + U32(elf, entry + 12);
                // The first auxiliary entry names the version itself; later ones name its parents.
                if (count > 0)
                {
                    Need(elf, file, aux, 8, "version definition entry");
                    result.Add(String(elf, file, strtab, U32(elf, aux)));
                }
                var next = U32(elf, entry + 16);
                if (next == 0) break;
                entry += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Marks every non-weak requirement of <paramref name="version"/> weak, in place; returns how many it
    /// changed (0 when there is none, or when it is already weak: the edit is idempotent).
    /// </summary>
    internal static int RelaxRequirement(byte[] elf, string file, string version)
    {
        var changed = 0;
        foreach (var requirement in RequiredVersions(elf, file))
        {
            if (requirement.Weak || !string.Equals(requirement.Version, version, StringComparison.Ordinal)) continue;
            var flags = (ushort)(U16(elf, requirement.FlagsOffset) | VerFlagWeak);
            elf[requirement.FlagsOffset] = (byte)flags;
            elf[requirement.FlagsOffset + 1] = (byte)(flags >> 8);
            changed++;
        }
        return changed;
    }

    private readonly record struct Section(uint Type, long Offset, uint Link, uint Info);

    private static List<Section> Sections(byte[] elf, string file)
    {
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{file}: not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{file}: not a little-endian 64-bit ELF file (class {elf[4]}, data {elf[5]}).");
        var sectionHeaders = checked((long)U64(elf, 0x28));
        var entrySize = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        if (entrySize < 64) throw new InvalidDataException($"{file}: section header entries of {entrySize} bytes (expected 64).");
        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var at = sectionHeaders + (long)i * entrySize;
            Need(elf, file, at, 64, "section header");
            sections.Add(new Section(U32(elf, at + 4), checked((long)U64(elf, at + 24)), U32(elf, at + 40), U32(elf, at + 44)));
        }
        return sections;
    }

    private static long StringTable(List<Section> sections, string file, uint index)
    {
        if (index >= sections.Count) throw new InvalidDataException($"{file}: version table links to section {index} of {sections.Count}.");
        return sections[(int)index].Offset;
    }

    private static string String(byte[] elf, string file, long strtab, uint offset)
    {
        var start = strtab + offset;
        if (start < 0 || start >= elf.Length) throw new InvalidDataException($"{file}: string at {start} lies past the end ({elf.Length} bytes).");
        var end = Array.IndexOf(elf, (byte)0, (int)start);
        if (end < 0) throw new InvalidDataException($"{file}: unterminated string at {start}.");
        return Encoding.ASCII.GetString(elf, (int)start, end - (int)start);
    }

    private static void Need(byte[] elf, string file, long at, int size, string what)
    {
        if (at < 0 || at + size > elf.Length)
            throw new InvalidDataException($"{file}: {what} at byte {at} ({size} bytes) lies past the end of the file ({elf.Length} bytes): truncated or malformed.");
    }

    private static ushort U16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
    private static uint U32(byte[] b, long at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    private static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;
}
