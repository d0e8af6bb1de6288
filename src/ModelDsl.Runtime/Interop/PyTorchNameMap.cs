using System.Globalization;

namespace ModelDsl.Interop;

/// <summary>
/// How the names in a PyTorch state_dict become the names of a ModelDsl model's state_dict, for
/// <see cref="PyTorchWeights.LoadFromPyTorch"/>. Three kinds of rule, tried in this order for each PyTorch name:
/// <list type="number">
/// <item>an exact name: <c>new PyTorchNameMap { ["features.0.weight"] = "Features.Conv1.weight" }</c>;</item>
/// <item>a module prefix, the longest that matches: <c>.Prefix("features.0", "Features.Conv1")</c> maps
/// <c>features.0.weight</c> and <c>features.0.bias</c> (a BatchNorm's running stats too);</item>
/// <item>a numbered <c>nn.Sequential</c> onto a stage, by position: <c>.Sequential("features", "Features")</c>
/// pairs the k-th child of <c>features</c> that has tensors (torchvision's <c>features.0</c>, <c>features.3</c>, …,
/// in numeric order) with the k-th layer of <c>Features</c> that has tensors (in the model's order).</item>
/// </list>
/// A name no rule matches keeps its name (so a twin with equal names needs no map), and <see cref="Skip"/>
/// leaves PyTorch tensors out on purpose (a pretrained 1000-class head when fine-tuning to 7 classes).
/// </summary>
public sealed class PyTorchNameMap
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<(string From, string To)> _prefixes = [];
    private readonly List<(string From, string To)> _sequentials = [];
    private readonly List<string> _skipped = [];

    /// <summary>The model name for one PyTorch name (exact match, highest precedence).</summary>
    public string this[string pytorchName]
    {
        get => _names[pytorchName];
        set => _names[pytorchName] = value;
    }

    /// <summary>Maps every tensor under the PyTorch module <paramref name="pytorchModule"/> to the same suffix under <paramref name="modelModule"/>.</summary>
    public PyTorchNameMap Prefix(string pytorchModule, string modelModule)
    {
        _prefixes.Add((Trim(pytorchModule), Trim(modelModule)));
        return this;
    }

    /// <summary>
    /// Maps the numbered children of the PyTorch <c>nn.Sequential</c> <paramref name="pytorchSequential"/> that hold
    /// tensors, in numeric order, onto the layers of <paramref name="modelStage"/> that hold tensors, in the model's
    /// order. The two must have as many such layers; otherwise loading names both lists.
    /// </summary>
    public PyTorchNameMap Sequential(string pytorchSequential, string modelStage)
    {
        _sequentials.Add((Trim(pytorchSequential), Trim(modelStage)));
        return this;
    }

    /// <summary>Leaves out the PyTorch tensor <paramref name="pytorchNameOrModule"/> (or every tensor under that module).</summary>
    public PyTorchNameMap Skip(string pytorchNameOrModule)
    {
        _skipped.Add(Trim(pytorchNameOrModule));
        return this;
    }

    private static string Trim(string module) => module.TrimEnd('.');

    private static bool Under(string name, string module) =>
        module.Length == 0 || name == module || (name.StartsWith(module, StringComparison.Ordinal) && name.Length > module.Length && name[module.Length] == '.');

    private static string Replace(string name, string from, string to)
    {
        var rest = from.Length == 0 ? name : name[from.Length..].TrimStart('.');
        return to.Length == 0 ? rest : rest.Length == 0 ? to : to + "." + rest;
    }

    /// <summary>
    /// Resolves every PyTorch name to a model name (null: skipped on purpose). Rules that cannot be applied (a
    /// Sequential whose layer count differs from the stage's, two PyTorch names onto one model name) are added to
    /// <paramref name="problems"/> rather than thrown, so the caller reports them with the other differences.
    /// </summary>
    internal Dictionary<string, string?> Resolve(IReadOnlyCollection<string> pytorchNames, IReadOnlyList<string> modelNames, List<string> problems)
    {
        var sequentialPrefixes = ResolveSequentials(pytorchNames, modelNames, problems);
        var prefixes = _prefixes.Concat(sequentialPrefixes).OrderByDescending(p => p.From.Length).ToList();
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in pytorchNames)
        {
            if (_names.TryGetValue(name, out var exact)) result[name] = exact;
            else if (_skipped.Any(s => Under(name, s))) result[name] = null;
            else if (prefixes.FirstOrDefault(p => Under(name, p.From)) is { From: not null } rule) result[name] = Replace(name, rule.From, rule.To);
            else result[name] = name;
        }
        foreach (var clash in result.Where(r => r.Value is not null).GroupBy(r => r.Value!, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"several PyTorch tensors map to {clash.Key}: {string.Join(", ", clash.Select(c => c.Key).Order(StringComparer.Ordinal))}");
        return result;
    }

    /// <summary>Each Sequential rule as the module prefixes it stands for: <c>features.3</c> → <c>Features.Conv2</c>, ….</summary>
    private List<(string From, string To)> ResolveSequentials(IReadOnlyCollection<string> pytorchNames, IReadOnlyList<string> modelNames, List<string> problems)
    {
        var prefixes = new List<(string, string)>();
        foreach (var (from, to) in _sequentials)
        {
            var children = pytorchNames.Where(n => Under(n, from) && n != from).Select(n => ChildOf(n, from)).Distinct().ToList();
            var unnumbered = children.Where(c => !int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToList();
            if (unnumbered.Count > 0)
            {
                problems.Add($"Sequential(\"{from}\", \"{to}\"): the PyTorch module {from} has children that are not numbered ({string.Join(", ", unnumbered)}); map them with Prefix or exact names");
                continue;
            }
            var source = children.OrderBy(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
            var target = modelNames.Where(n => Under(n, to) && n != to).Select(n => ChildOf(n, to)).Distinct().ToList();
            if (source.Count != target.Count)
            {
                problems.Add($"Sequential(\"{from}\", \"{to}\"): PyTorch's {from} has {source.Count} layer(s) with tensors ({string.Join(", ", source.Select(c => from + "." + c))}), " +
                             $"the model's {to} has {target.Count} ({string.Join(", ", target.Select(c => Join(to, c)))})");
                continue;
            }
            for (int i = 0; i < source.Count; i++) prefixes.Add((from.Length == 0 ? source[i] : from + "." + source[i], Join(to, target[i])));
        }
        return prefixes;
    }

    private static string ChildOf(string name, string module)
    {
        var rest = module.Length == 0 ? name : name[(module.Length + 1)..];
        int dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private static string Join(string module, string child) => module.Length == 0 ? child : module + "." + child;
}
