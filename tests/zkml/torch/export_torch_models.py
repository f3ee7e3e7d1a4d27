#!/usr/bin/python3
"""Train two small PyTorch models briefly on Fashion-MNIST and export them to
ONNX with torch.onnx.export's default settings, as a new user would.

Run with the system interpreter (Debian's python3-torch / python3-onnx):

    /usr/bin/python3 tests/zkml/torch/export_torch_models.py [name ...]   (default: every model)

Data: Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
Pixels are uint8 / 255, no normalization. Nothing is downloaded.

Models (input [1, 1, 28, 28]):
  avgpool_cnn:      Conv2d(1,4,3) ReLU AvgPool2d(2) Conv2d(4,8,3) ReLU
                    AvgPool2d(2) Flatten Linear(200,10)
  tanh_sigmoid_mlp: Flatten Linear(784,32) Tanh Linear(32,16) Sigmoid
                    Linear(16,10)
  vit_tiny:         a vision transformer: 7x7 patches by Conv2d(1,16,7,7),
                    a learned position embedding, one pre-norm encoder
                    block (LayerNorm, nn.MultiheadAttention with 2 heads,
                    residual, LayerNorm, Linear(16,32) GELU Linear(32,16),
                    residual), LayerNorm, mean over the 16 tokens,
                    Linear(16,10). The default export writes LayerNorm and
                    GELU decomposed and attention as MatMul/Softmax/Reshape/
                    Transpose/Slice subgraphs
  gelu_mlp:         Flatten Linear(784,32) GELU Linear(32,16)
                    GELU(approximate="tanh") Linear(16,10): the default
                    opset has no Gelu op, so the export writes the Erf
                    form and the tanh form as elementwise subgraphs

Writes next to this script, for each model <name>:
  <name>.onnx               default export (default opset, constant folding)
  <name>.input.json         first test image: input (784 floats, 6 decimals),
                            input_shape, float_output (torch float32 on the
                            rounded input), label, source
  <name>.calibration.json   list of 16 further test images (flat inputs)
"""

import gzip
import json
import os
import struct
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 1234
TRAIN_SUBSET = 12000
NUM_CALIB = 16


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(kind):
    x = read_idx(f"{DATA_DIR}/{kind}-images-idx3-ubyte.gz")
    y = read_idx(f"{DATA_DIR}/{kind}-labels-idx1-ubyte.gz")
    # pixels in [0, 1], rounded to the 6 decimals written to JSON
    x = np.round(x.astype(np.float64) / 255.0, 6).astype(np.float32)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y.astype(np.int64))


def avgpool_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AvgPool2d(2),
        nn.Conv2d(4, 8, 3), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(8 * 5 * 5, 10))


def tanh_sigmoid_mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 32), nn.Tanh(),
        nn.Linear(32, 16), nn.Sigmoid(), nn.Linear(16, 10))


def gelu_mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 32), nn.GELU(),
        nn.Linear(32, 16), nn.GELU(approximate="tanh"), nn.Linear(16, 10))


class EncoderBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        y = self.n1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class VitTiny(nn.Module):
    def __init__(self, d=16, heads=2, patch=7):
        super().__init__()
        self.embed = nn.Conv2d(1, d, patch, stride=patch)
        self.pos = nn.Parameter(torch.randn(1, (28 // patch) ** 2, d) * 0.1)
        self.block = EncoderBlock(d, heads)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2) + self.pos
        return self.head(self.norm(self.block(x)).mean(dim=1))


MODELS = {"avgpool_cnn": avgpool_cnn, "tanh_sigmoid_mlp": tanh_sigmoid_mlp, "gelu_mlp": gelu_mlp, "vit_tiny": VitTiny}


def flat(x):
    return [round(float(v), 6) for v in x.reshape(-1).tolist()]


def main():
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    x_train, y_train = load("train")
    x_test, y_test = load("t10k")
    for name in sys.argv[1:] or MODELS:
        make = MODELS[name]
        torch.manual_seed(SEED)
        model = make()
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        loss_fn = nn.CrossEntropyLoss()
        perm = torch.randperm(x_train.shape[0])[:TRAIN_SUBSET]
        model.train()
        for i in range(0, TRAIN_SUBSET, 64):  # one pass over the subset
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss_fn(model(x_train[idx]), y_train[idx]).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(x_test[:1000]).argmax(1) == y_test[:1000]).float().mean().item()
            x0 = x_test[0:1]
            out = model(x0)
        print(f"{name}: test accuracy on 1000 images {acc:.3f}")

        path = os.path.join(HERE, name)
        torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path + ".onnx",
                          input_names=["input"], output_names=["output"])
        sample = {
            "input": flat(x0),
            "input_shape": [1, 1, 28, 28],
            "float_output": flat(out),
            "label": int(y_test[0]),
            "source": f"tests/zkml/torch/export_torch_models.py (torch {torch.__version__})",
        }
        with open(path + ".input.json", "w") as f:
            json.dump(sample, f)
            f.write("\n")
        with open(path + ".calibration.json", "w") as f:
            json.dump([flat(x_test[k]) for k in range(1, 1 + NUM_CALIB)], f)
            f.write("\n")


if __name__ == "__main__":
    main()
