using System.CommandLine;
using FineTune;

// Transfer learning as fastai teaches it, on the bundled digits: a zoo model trained on digits 0–4, its backbone fine-tuned
// (frozen first) to digits 5–9 from few examples, against the same net trained from scratch with the same budget.
var perClass = new Option<int>("--per-class") { Description = "Training images per class of the target task (digits 5–9).", DefaultValueFactory = _ => 40 };
var sourceEpochs = new Option<int>("--source-epochs") { Description = "Epochs on digits 0–4.", DefaultValueFactory = _ => 3 };
var epochs = new Option<int>("--epochs") { Description = "Epochs on digits 5–9 after the frozen one (the scratch run gets one more).", DefaultValueFactory = _ => 6 };
var seed = new Option<int>("--seed") { Description = "Seed for weights, shuffling and the target sample.", DefaultValueFactory = _ => 42 };
var root = new RootCommand("Fine-tunes a ModelDsl.Zoo ShuffleNetV2 trained on digits 0–4 to digits 5–9 and compares it with training from scratch.")
    { perClass, sourceEpochs, epochs, seed };
root.SetAction(r => FineTuneJob.Run(new FineTuneSettings(r.GetValue(perClass), r.GetValue(sourceEpochs), r.GetValue(epochs), r.GetValue(seed)), Console.Out));
return root.Parse(args).Invoke();
