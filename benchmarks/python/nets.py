"""The benchmark nets in PyTorch, layer for layer the ModelDsl ones (samples/CourseModels/CifarCnn.cs,
benchmarks/ModelDsl.Benchmarks/Training/SmallNet.cs)."""
import torch.nn as nn


def cifar_cnn():
    return nn.Sequential(
        nn.Sequential(  # Features
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout2d(0.05),
            nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten()),
        nn.Sequential(  # Classifier
            nn.Dropout(0.1), nn.Linear(4096, 1024), nn.ReLU(), nn.Linear(1024, 512), nn.ReLU(), nn.Dropout(0.1), nn.Linear(512, 10)))


def small_net():
    return nn.Sequential(
        nn.Sequential(nn.Conv2d(3, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten()),
        nn.Sequential(nn.Linear(800, 10)))


MODELS = {"cifar": (cifar_cnn, 1280, 128), "small": (small_net, 20000, 512)}
