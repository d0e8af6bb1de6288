using System.CommandLine;
using Localization;

// Overfeat-style localisation, as the course defines it: a two-head DSL net on canvases holding one MNIST digit at a random
// scale and position, trained first as a classifier, then — backbone frozen — its box head by an L2 loss; prints class
// accuracy, mean IoU and localisation accuracy (right digit and IoU ≥ 0.5), and writes localization.png.
var trainCount = new Option<int>("--train") { Description = "Training canvases.", DefaultValueFactory = _ => 8000 };
var testCount = new Option<int>("--test") { Description = "Test canvases.", DefaultValueFactory = _ => 2000 };
var classifierEpochs = new Option<int>("--classifier-epochs") { Description = "Phase 1: epochs of the classifier.", DefaultValueFactory = _ => 4 };
var boxEpochs = new Option<int>("--box-epochs") { Description = "Phase 2: epochs of the box head on the frozen backbone.", DefaultValueFactory = _ => 2 };
var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
var lr = new Option<double>("--lr") { Description = "Phase 1: peak learning rate of the one-cycle schedule (Adam).", DefaultValueFactory = _ => 2e-3 };
var boxLr = new Option<double>("--box-lr") { Description = "Phase 2: peak learning rate of the one-cycle schedule (Adam).", DefaultValueFactory = _ => 5e-3 };
var seed = new Option<int>("--seed") { Description = "Seed for the canvases, weights and shuffling.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Folder for localization.png.", DefaultValueFactory = _ => "out-localization" };

var root = new RootCommand("Overfeat-style localisation of one MNIST digit per 64×64 canvas: a classifier, then a box regressor on its frozen backbone.")
    { trainCount, testCount, classifierEpochs, boxEpochs, batchSize, lr, boxLr, seed, output };
root.SetAction(r => LocalizationJob.Run(new LocalizationSettings(r.GetValue(trainCount), r.GetValue(testCount), r.GetValue(classifierEpochs),
    r.GetValue(boxEpochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(boxLr), r.GetValue(seed), r.GetValue(output)!), Console.Out, Console.Error));
return root.Parse(args).Invoke();
