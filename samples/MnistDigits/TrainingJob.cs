using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>Data → model → one-cycle training → test report → files. Returns the process exit code.</summary>
public static class TrainingJob
{
    /// <summary>Exit code after an interrupt (Ctrl+C, SIGTERM): the checkpoint is written, <c>--resume</c> continues. 128 + SIGINT, as shells report it.</summary>
    public const int InterruptedExitCode = 130;

    /// <param name="interrupt">Cancelled on Ctrl+C: the job checkpoints at the next batch end and returns <see cref="InterruptedExitCode"/>.</param>
    public static int Run(JobSettings settings, TextWriter console, TextWriter errors, CancellationToken interrupt = default)
    {
        try
        {
            return RunOrThrow(settings, console, interrupt) ? 0 : InterruptedExitCode;
        }
        // Bad input (a missing or malformed dataset, no CUDA when asked for it) is the user's to fix:
        // one clear line, no stack trace. Anything else is a bug and keeps its stack trace.
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException or CheckpointMismatchException or ResumeMismatchException)
        {
            errors.WriteLine($"error: {e.Message}");
            return 1;
        }
        // The NaN guard stopped the fit: one line, metrics.json with "stopped", exit code 1.
        catch (TrainingStoppedException stopped)
        {
            return stopped.Report(Path.GetFullPath(settings.OutputDirectory), errors);
        }
    }

    /// <summary>False when an interrupt stopped training (after writing the checkpoint).</summary>
    private static bool RunOrThrow(JobSettings settings, TextWriter console, CancellationToken interrupt)
    {
        // --resume continues the checkpoint's run: options left out take its values; different ones are refused before any work.
        var previous = settings.ResumeFrom is { } resumeFrom ? RunRecord.FromNotes(Checkpoint.Load(resumeFrom).State.Notes) : null;
        if (previous is not null)
        {
            settings = previous.Fill(settings);
            RefuseDifferences(settings, previous, RunRecord.Of(settings));
            if (previous.Taken(settings) is { Length: > 0 } taken) console.WriteLine($"resuming with the checkpoint's {taken}");
        }
        var device = ChooseDevice(settings.Device);
        torch.manual_seed(settings.Seed);
        var choice = DataChoice.From(settings);
        var classNames = choice.Train.ClassNames;
        var record = RunRecord.Of(settings, $"{choice.Train.Count:N0} training images in {classNames.Count} classes ({string.Join(", ", classNames.Take(12))}{(classNames.Count > 12 ? ", …" : "")})");
        if (previous is not null) RefuseDifferences(settings, previous, record); // the same folder may hold other images now
        console.WriteLine($"data: {choice.Description}: {choice.Train.Count:N0} train, {choice.Test.Count:N0} test, {classNames.Count} classes; device: {device.type}");
        foreach (var line in choice.Choices ?? []) console.WriteLine($"  {line}");

        // Normalise with the training set's own statistics, the same way for every split.
        var stats = ChannelStats.Compute(choice.Train);
        var normalize = new Normalize(stats.Mean, stats.Std);
        var trainAugmentation = new Compose(choice.TrainAugmentation(settings.Seed).Append(normalize).ToArray());
        // In-memory datasets on CUDA live on the GPU whole; image folders decode on worker threads.
        bool inMemory = choice.Train is TensorDataset;
        bool resident = inMemory && device.type == DeviceType.CUDA;
        int workers = inMemory ? 0 : settings.Workers;
        using var train = new DataLoader(choice.Train, settings.BatchSize, shuffle: true, seed: settings.Seed, workers: workers,
            device: device, deviceResident: resident, augmentation: trainAugmentation);
        using var test = new DataLoader(choice.Test, 256, workers: workers, device: device, deviceResident: resident, augmentation: normalize);

        using var model = choice.CreateModel();
        console.WriteLine(SummaryOf(model));
        using var accuracy = new Accuracy(classNames.Count);
        var onInterrupt = new CheckpointOnInterrupt(settings.CheckpointPath, interrupt);
        using var learner = new Learner(model, train, test, new LearnerOptions
        {
            Loss = Loss.CrossEntropy(),
            Optimizer = OptimizerSpec.AdamW(weightDecay: 0.01),
            Metrics = { accuracy },
            Device = device,
            Seed = settings.Seed,
            Writer = console,
            Callbacks =
            {
                settings.CheckpointEvery > 0 ? new CheckpointEverySteps(settings.CheckpointPath, settings.CheckpointEvery) : new CheckpointEveryEpoch(settings.CheckpointPath),
                onInterrupt,
            },
        });
        learner.CheckpointNotes[RunRecord.NoteKey] = record.ToJson();
        var history = Train(learner, settings, console);
        learner.ThrowIfFailed();
        if (onInterrupt.Interrupted) return false; // its line was printed by the Learner when it stopped

        var (logits, targets) = learner.GetPredictions(test);
        using (logits)
        using (targets)
        using (var report = new ClassificationReport(classNames))
        {
            report.Update(logits, targets);
            var result = report.Compute();
            console.WriteLine();
            console.WriteLine($"test accuracy: {result.Accuracy:F4}");
            console.WriteLine();
            console.WriteLine(result.ToString());

            var outputs = new JobOutputs(Path.GetFullPath(settings.OutputDirectory));
            outputs.WriteMetrics(result);
            outputs.WritePredictions(logits, targets, classNames);
            history.SaveCsv(outputs.PathOf("history.csv"));
            history.SaveJson(outputs.PathOf("history.json"));
            learner.SaveCheckpoint(settings.CheckpointPath);
            outputs.WritePlots(learner, history, result, choice.Test, test, logits, targets, classNames, stats);
            bool onnx = ExportOnnx(model, outputs.PathOf("model.onnx"));
            console.WriteLine($"wrote metrics.json, predictions.csv, history, plots, checkpoint.bin{(onnx ? " and model.onnx" : "")} to {outputs.Directory}");
            if (!onnx) console.WriteLine($"model.onnx: not written: {OnnxSkipReason(model)}.");
        }
        return true;
    }

    private static void RefuseDifferences(JobSettings settings, RunRecord previous, RunRecord now)
    {
        var differences = previous.Differences(now);
        if (differences.Count > 0)
            throw new ResumeMismatchException($"--resume {settings.ResumeFrom} continues a run with other settings: {string.Join("; ", differences)}. "
                + "Leave these options out to use the checkpoint's, or start a new run without --resume.");
    }

    /// <summary>A fresh one-cycle fit, or the rest of the one in <see cref="JobSettings.ResumeFrom"/>.</summary>
    private static History Train(Learner learner, JobSettings settings, TextWriter console)
    {
        if (settings.ResumeFrom is not { } path) return learner.FitOneCycle(settings.Epochs, settings.LearningRate);
        var state = Checkpoint.Load(path).State;
        console.WriteLine(state.Fit is { } fit && state.Epoch < fit.FirstEpoch + fit.Epochs
            ? $"resuming {path}: step {state.Step:N0} of {fit.TotalSteps:N0} (epoch {state.Epoch + 1} of {fit.FirstEpoch + fit.Epochs}" + (state.Position is { } p ? $", batch {p.Batch} of {fit.StepsPerEpoch})" : ")")
            : $"resuming {path}: its training had finished; reporting on its weights.");
        return learner.Resume(path);
    }

    private static Device ChooseDevice(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when !cuda.is_available() => throw new NotSupportedException("--device cuda: no CUDA device is visible to libtorch (is the TorchSharp-cuda backend installed? see README)."),
        "cuda" => CUDA,
        _ => Learner.DefaultDevice,
    };

    /// <summary>Writes the trained net as ONNX for serving (docs/INTEROP.md); false for a net that is not one generated model.</summary>
    private static bool ExportOnnx(nn.Module<Tensor, Tensor> model, string path)
    {
        switch (model)
        {
            case DigitNet digits: digits.ExportOnnx(path); return true;
            case CifarNet cifar: cifar.ExportOnnx(path); return true;
            default: return false;
        }
    }

    /// <summary>Why <see cref="ExportOnnx"/> writes nothing for <paramref name="model"/>: what the model is, in words.</summary>
    private static string OnnxSkipReason(nn.Module<Tensor, Tensor> model) => model switch
    {
        ImageFolderClassifier folder => $"the image-folder net is the generated {folder.Net.Name} plus a Linear({folder.Net.Features} → {folder.Classes}) head "
            + "made at run time for this folder's classes, and ExportOnnx writes one generated model's graph; the checkpoint holds both",
        _ => $"{model.GetName()} is not a generated model",
    };

    private static string SummaryOf(nn.Module<Tensor, Tensor> model) => model switch
    {
        DigitNet => DigitNet.Summary,
        CifarNet => CifarNet.Summary,
        ImageFolderClassifier folder => folder.Net.Summary + "(+ Linear head for the dataset's classes)",
        _ => model.GetName(),
    };
}
