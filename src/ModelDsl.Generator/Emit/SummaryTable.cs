using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit
{
    /// <summary>The torchinfo/Keras-style table behind a model's <c>Summary</c>, computed at compile time.</summary>
    internal static class SummaryTable
    {
        public static string Build(AnalyzedModel model)
        {
            // Graph models get Keras's "Connected to" column: each row's inputs (a merge has two).
            bool graph = model.Layers.Any(l => l.Graph is not null);
            var rows = new List<string[]>();
            string previous = "input";
            foreach (var layer in model.Layers)
            {
                if (layer.Graph?.Op is GraphEdge.TapOp or GraphEdge.FromOp or GraphEdge.ChunkOp) continue;
                if (layer.Graph is { Op: GraphEdge.HeadOp } head)
                {
                    // A head's row marks where its branch starts; its first layer reads the tapped layer's output.
                    rows.Add(new[] { $"{layer.Name} (Head)", layer.Stage ?? "", layer.Output.ToString(), "", "", Field(layer), $"{head.Source} (tap '{head.Tap}')" });
                    previous = head.Source;
                    continue;
                }
                string connected = layer.Graph is { } edge ? $"{previous}, {edge.Source}" : previous;
                rows.Add(new[] { $"{layer.Name} ({layer.TypeText})", layer.Stage ?? "", layer.Output.ToString(), N(layer.Parameters), N(layer.MultiplyAdds), Field(layer), connected });
                Children(layer, "  ");
                previous = layer.Name;
            }
            // A block use's parts, indented one step per level of nesting (torchinfo's depth); a block's taps and From add no row.
            void Children(ResolvedLayer parent, string indent)
            {
                foreach (var child in parent.Children)
                {
                    if (child.Graph?.Op is GraphEdge.TapOp or GraphEdge.FromOp or GraphEdge.ChunkOp) continue;
                    rows.Add(new[] { $"{indent}{child.Name.Substring(parent.Name.Length + 1)} ({child.TypeText})", "", child.Output.ToString(), N(child.Parameters), N(child.MultiplyAdds), Field(child), "" });
                    Children(child, indent + "  ");
                }
            }
            // The receptive field (size and, in parentheses, jump per axis), as the course computes it; no anchor (torchinfo, Keras) shows it.
            var header = new[] { "Layer (type)", "Stage", "Output shape", "Param #", "Mult-adds", "Receptive field (jump)", "Connected to" };
            bool anyStage = model.Stages.Count > 0;
            var columns = Enumerable.Range(0, header.Length).Where(c => (c != 1 || anyStage) && (c != 6 || graph)).ToArray();
            var widths = columns.Select(c => Math.Max(header[c].Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length)) + 3).ToArray();
            int total = widths.Sum();
            var sb = new StringBuilder();
            string heavy = new string('=', total), light = new string('-', total);

            sb.Append(heavy).Append('\n');
            string outputs = model.HasHeads ? string.Join(", ", model.Heads.Select(h => $"{h.Name} {h.Output}")) : model.Output.ToString();
            sb.Append($"{model.Type.ClassName}: {model.Input} -> {outputs}").Append('\n');
            // A net of any input size is shown at its reference input; the sizes it accepts come first.
            if (model.AnySize is { } any) sb.Append($"Accepts {model.Input.Channels}×H×W, {any.Accepts}; shapes below at {model.Input}").Append('\n');
            sb.Append(heavy).Append('\n');
            Row(sb, columns.Select(c => header[c]).ToArray(), columns, widths);
            sb.Append(light).Append('\n');
            foreach (var row in rows) Row(sb, columns.Select(c => row[c]).ToArray(), columns, widths);
            sb.Append(heavy).Append('\n');
            sb.Append($"Total params: {N(model.ParameterCount)}").Append('\n');
            sb.Append($"Trainable params: {N(model.ParameterCount)}").Append('\n');
            sb.Append($"Receptive field of the output: {model.Field.Cell}").Append('\n');
            sb.Append($"Total mult-adds (M): {(model.MultiplyAdds / 1e6).ToString("F2", CultureInfo.InvariantCulture)}").Append('\n');
            sb.Append($"Input size per sample (MB): {(model.Input.Elements * 4.0 / 1e6).ToString("F2", CultureInfo.InvariantCulture)}").Append('\n');
            sb.Append($"Params size (MB): {(model.ParameterCount * 4.0 / 1e6).ToString("F2", CultureInfo.InvariantCulture)}").Append('\n');
            sb.Append(heavy).Append('\n');
            return sb.ToString();
        }

        private static string Field(ResolvedLayer layer) => layer.Field?.Cell ?? "";

        private static void Row(StringBuilder sb, string[] cells, int[] columns, int[] widths)
        {
            var line = new StringBuilder();
            for (int i = 0; i < cells.Length; i++)
            {
                // Numbers (Param #, Mult-adds) right-aligned, text left-aligned, like torchinfo.
                bool numeric = columns[i] is 3 or 4;
                line.Append(numeric ? cells[i].PadLeft(widths[i] - 3).PadRight(widths[i]) : cells[i].PadRight(widths[i]));
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }

        public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
