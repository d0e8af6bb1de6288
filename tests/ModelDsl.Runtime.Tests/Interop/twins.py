# Hand-written torch.nn twins of four course models (samples/CourseModels). Their state_dict names equal the
# generated .NET modules' (stages are nn.Sequential children named like the stage; layers are named by kind and
# count: Conv1, BatchNorm1, Linear1, ConvT1), which is all that weights both ways need; the generator's own
# {Model}.PyTorchSource twin follows the same naming.
from collections import OrderedDict

import torch
from torch import nn


def seq(*layers):
    return nn.Sequential(OrderedDict(layers))


class MnistNet(nn.Module):
    """Conv2d(1,16,5) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(2304,3), no stages."""

    def __init__(self):
        super().__init__()
        self.Conv1 = nn.Conv2d(1, 16, 5)
        self.Linear1 = nn.Linear(2304, 3)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.Conv1(x)), 2)
        return self.Linear1(torch.flatten(x, 1))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.Features = seq(
            ("Conv1", nn.Conv2d(1, 6, 5)), ("Relu1", nn.ReLU()), ("MaxPool1", nn.MaxPool2d(2)),
            ("Conv2", nn.Conv2d(6, 16, 5)), ("Relu2", nn.ReLU()), ("MaxPool2", nn.MaxPool2d(2)),
            ("Flatten1", nn.Flatten()))
        self.Classifier = seq(
            ("Linear1", nn.Linear(256, 120)), ("Relu3", nn.ReLU()),
            ("Linear2", nn.Linear(120, 84)), ("Relu4", nn.ReLU()),
            ("Linear3", nn.Linear(84, 10)))

    def forward(self, x):
        return self.Classifier(self.Features(x))


class CifarCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.Features = seq(
            ("Conv1", nn.Conv2d(3, 32, 3, padding=1)), ("BatchNorm1", nn.BatchNorm2d(32)), ("Relu1", nn.ReLU()),
            ("Conv2", nn.Conv2d(32, 64, 3, padding=1)), ("Relu2", nn.ReLU()), ("MaxPool1", nn.MaxPool2d(2)),
            ("Conv3", nn.Conv2d(64, 128, 3, padding=1)), ("BatchNorm2", nn.BatchNorm2d(128)), ("Relu3", nn.ReLU()),
            ("Conv4", nn.Conv2d(128, 128, 3, padding=1)), ("Relu4", nn.ReLU()), ("MaxPool2", nn.MaxPool2d(2)),
            ("Dropout2d1", nn.Dropout2d(0.05)),
            ("Conv5", nn.Conv2d(128, 256, 3, padding=1)), ("BatchNorm3", nn.BatchNorm2d(256)), ("Relu5", nn.ReLU()),
            ("Conv6", nn.Conv2d(256, 256, 3, padding=1)), ("Relu6", nn.ReLU()), ("MaxPool3", nn.MaxPool2d(2)),
            ("Flatten1", nn.Flatten()))
        self.Classifier = seq(
            ("Dropout1", nn.Dropout(0.1)), ("Linear1", nn.Linear(4096, 1024)), ("Relu7", nn.ReLU()),
            ("Linear2", nn.Linear(1024, 512)), ("Relu8", nn.ReLU()), ("Dropout2", nn.Dropout(0.1)),
            ("Linear3", nn.Linear(512, 10)))

    def forward(self, x):
        return self.Classifier(self.Features(x))


class DigitUNet(nn.Module):
    """The U-Net graph: taps before each pool, transposed convs concatenated with the tap of their size."""

    def __init__(self):
        super().__init__()
        self.Down1 = seq(("Conv1", nn.Conv2d(1, 16, 3, padding=1)), ("Conv2", nn.Conv2d(16, 16, 3, padding=1)))
        self.Down2 = seq(("Conv3", nn.Conv2d(16, 32, 3, padding=1)))
        self.Bottom = seq(("Conv4", nn.Conv2d(32, 64, 3, padding=1)))
        self.Up2 = seq(("ConvT1", nn.ConvTranspose2d(64, 32, 2, stride=2)), ("Conv5", nn.Conv2d(64, 32, 3, padding=1)))
        self.Up1 = seq(("ConvT2", nn.ConvTranspose2d(32, 16, 2, stride=2)), ("Conv6", nn.Conv2d(32, 16, 3, padding=1)),
                       ("Conv7", nn.Conv2d(16, 11, 1)))

    def forward(self, x):
        skip1 = torch.relu(self.Down1.Conv2(torch.relu(self.Down1.Conv1(x))))
        skip2 = torch.relu(self.Down2.Conv3(torch.max_pool2d(skip1, 2)))
        x = torch.relu(self.Bottom.Conv4(torch.max_pool2d(skip2, 2)))
        x = torch.relu(self.Up2.Conv5(torch.cat([self.Up2.ConvT1(x), skip2], 1)))
        x = torch.relu(self.Up1.Conv6(torch.cat([self.Up1.ConvT2(x), skip1], 1)))
        return self.Up1.Conv7(x)
