using System.CommandLine;
using CourseNets;

// LeNet5, AlexNet and the ResBlock "Monster" as DSL declarations: summaries, Monster trained with its
// features frozen for the first half, and its first conv's filters and feature maps.
var epochs = new Option<int>("--epochs") { Description = "Epochs of Monster training (Features frozen for the first half).", DefaultValueFactory = _ => 4 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3 };
var limit = new Option<int>("--limit") { Description = "Training digits (the test split gets a quarter as many).", DefaultValueFactory = _ => 2000 };
var seed = new Option<int>("--seed") { Description = "Seed for weights and shuffling.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Folder for the filter and feature-map PNGs.", DefaultValueFactory = _ => "out" };

var root = new RootCommand("The course's LeNet5, AlexNet and Monster: summaries, staged training, filters and feature maps.") { epochs, batchSize, lr, limit, seed, output };
root.SetAction(r =>
{
    var settings = new CourseNetsSettings(r.GetValue(output)!, r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed), r.GetValue(limit));
    if (settings.Epochs < 1 || settings.BatchSize < 1 || settings.Limit < 1)
    {
        Console.Error.WriteLine("error: --epochs, --batch-size and --limit must be at least 1.");
        return 2;
    }
    try
    {
        CourseNetsJob.Run(settings, Console.Out);
        return 0;
    }
    catch (ModelDsl.Training.TrainingStoppedException stopped)
    {
        return stopped.Report(Path.GetFullPath(settings.OutputDirectory), Console.Error);
    }
});
return root.Parse(args).Invoke();
