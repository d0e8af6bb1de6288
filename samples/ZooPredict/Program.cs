using System.CommandLine;
using ZooPredict;

// One image through a zoo model with torchvision's ImageNet weights: the top classes and their probabilities.
var image = new Argument<string>("image") { Description = "A PNG, JPEG or BMP image." };
var model = new Option<string>("--model") { Description = "A zoo model: " + string.Join(", ", PredictJob.Models), DefaultValueFactory = _ => "ResNet18" };
var weights = new Option<string?>("--weights") { Description = "The published weight file, if already downloaded (checked against its published SHA-256)." };
var mirror = new Option<string?>("--mirror") { Description = "A base URL serving torchvision's weight files under their names." };
var top = new Option<int>("--top") { Description = "How many classes to print.", DefaultValueFactory = _ => 5 };
var root = new RootCommand("Classifies an image with a ModelDsl.Zoo model and torchvision's ImageNet weights (downloaded once into $MODELDSL_HOME or ~/.cache/modeldsl).")
    { image, model, weights, mirror, top };
root.SetAction(r => PredictJob.Run(r.GetValue(image)!, r.GetValue(model)!, r.GetValue(weights), r.GetValue(mirror), r.GetValue(top), Console.Out, Console.Error));
return root.Parse(args).Invoke();
