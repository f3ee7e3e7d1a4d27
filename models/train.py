#!/usr/bin/python3
"""Train the example models on Fashion-MNIST and export them as ONNX.

Run with the system interpreter (Debian's python3-torch / python3-onnx are only
visible to it):

    bash models/setup_python.sh && /usr/bin/python3 models/train.py

Data: Zalando's Fashion-MNIST from the Debian package dataset-fashion-mnist
(idx files under /usr/share/datasets/fashion-mnist). Nothing is downloaded.

Models (both take the raw image with pixels scaled to [0, 1], no mean/std
normalization, so the ONNX input is exactly what the prover receives):

  mlp: input [1, 784] (the 28x28 image flattened row-major)
       Gemm 784->32, Relu, Gemm 32->10
  cnn: input [1, 1, 28, 28]
       Conv 4x3x3, Relu, MaxPool 2, Conv 8x3x3, Relu, AveragePool 2,
       Flatten, Gemm 200->10
  resnet: input [1, 1, 28, 28]; a ResNet: stem Conv 3x3 stride 2 -
       BatchNorm - ReLU, a residual block (two Conv-BatchNorm, identity
       shortcut), a residual block with stride 2 and a 1x1 strided
       projection shortcut, adaptive average pooling, Linear
  vit: input [1, 1, 28, 28]; a vision transformer: 7x7 patches by a
       strided Conv, a class token, a learned position embedding, two
       pre-norm encoder blocks (LayerNorm, nn.MultiheadAttention, LayerNorm,
       Linear-GELU-Linear MLP, residuals), LayerNorm, Linear head on the
       class token

mlp and cnn are exported at opset 13 (they predate the others and their
circuits are pinned by tests); resnet and vit with torch.onnx.export's
defaults, as a user would (opset 14 with Debian's torch 1.13).

Outputs (next to this script unless --out-dir is given):
  <name>.onnx, <name>.json (metadata, test accuracy),
  inputs/<name>_sample<k>.json for the first 3 test images,
  inputs/<name>_calibration.json for resnet and vit: 32 training images
  (a calibration set that is not the proved input).
"""

import argparse
import gzip
import hashlib
import json
import os
import random
import struct
import sys
import time

# OpenMP threads that spin while waiting slow tiny ops down badly when the
# two cores are shared with other work; passive waiting avoids that. Must be
# set before torch loads its OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 20240601
THREADS = 2
OPSET = 13
NUM_SAMPLES = 3
NUM_CALIBRATION = 32
RESNET_WIDTH = 16   # channels of the stem and first block (the second has twice as many)
RESNET_EPOCHS = 15
VIT_DIM = 32

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


# ---------------------------------------------------------------- data

def read_idx(path):
    """Read a gzip-compressed idx file (the MNIST format) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte idx file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: size {arr.size} does not match header {dims}")
    return arr.reshape(dims)


def load_fashion_mnist(data_dir):
    def load(kind):
        x = read_idx(os.path.join(data_dir, f"{kind}-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(data_dir, f"{kind}-labels-idx1-ubyte.gz"))
        # Pixels scaled to [0, 1] as float32: x / 255. This is the only
        # preprocessing; the sample inputs use exactly the same values.
        x = x.astype(np.float32) / np.float32(255.0)
        return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y.astype(np.int64))
    missing = [p for p in ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz")
               if not os.path.exists(os.path.join(data_dir, p))]
    if missing:
        sys.exit(f"train.py: {data_dir} lacks {missing}; run models/setup_python.sh "
                 "(Debian package dataset-fashion-mnist)")
    return load("train"), load("t10k")


# ---------------------------------------------------------------- models

class MLP(nn.Module):
    input_shape = [1, 784]

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 32)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))

    @staticmethod
    def prepare(x):  # [N, 1, 28, 28] -> [N, 784], row-major
        return x.reshape(x.shape[0], 784)


class CNN(nn.Module):
    input_shape = [1, 1, 28, 28]

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3)   # -> 4x26x26
        self.pool1 = nn.MaxPool2d(2)                  # -> 4x13x13
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3)   # -> 8x11x11
        # count_include_pad=False: same result without padding, and keeps
        # torch 1.13 from inserting an all-zero Pad node before AveragePool
        self.pool2 = nn.AvgPool2d(2, count_include_pad=False)  # -> 8x5x5 (floor)
        self.fc = nn.Linear(8 * 5 * 5, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.pool1(self.relu(self.conv1(x)))
        x = self.pool2(self.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))

    @staticmethod
    def prepare(x):
        return x


class ResidualBlock(nn.Module):
    """Conv-BN-ReLU, Conv-BN, plus the shortcut (identity, or a strided 1x1
    Conv-BN projection when the shape changes), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.relu = nn.ReLU()

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    input_shape = [1, 1, 28, 28]
    WIDTH = RESNET_WIDTH

    def __init__(self):
        super().__init__()
        w = self.WIDTH
        self.stem = nn.Sequential(nn.Conv2d(1, w, 3, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU())  # -> w x 14 x 14
        self.block1 = ResidualBlock(w, w, 1)           # -> w x 14 x 14
        self.block2 = ResidualBlock(w, 2 * w, 2)       # -> 2w x 7 x 7, projection shortcut
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2 * w, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.block2(self.block1(self.stem(x)))), 1))

    @staticmethod
    def prepare(x):
        return x


class EncoderBlock(nn.Module):
    """Pre-norm transformer encoder block."""

    def __init__(self, d, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    input_shape = [1, 1, 28, 28]
    DIM, HEADS, DEPTH, PATCH = VIT_DIM, 2, 2, 7

    def __init__(self):
        super().__init__()
        d, n = self.DIM, (28 // self.PATCH) ** 2
        self.embed = nn.Conv2d(1, d, self.PATCH, stride=self.PATCH)  # 16 patches of 7x7
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.randn(1, n + 1, d) * 0.02)
        self.blocks = nn.Sequential(*[EncoderBlock(d, self.HEADS) for _ in range(self.DEPTH)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        return self.head(self.norm(self.blocks(x))[:, 0])

    @staticmethod
    def prepare(x):
        return x


MODELS = {
    # name: (class, epochs, batch size, learning rate, recipe, export opset (None: torch's default))
    "mlp": (MLP, 4, 128, 3e-3, "adam-cosine", OPSET),
    "cnn": (CNN, 3, 128, 8e-3, "adam-cosine", OPSET),
    "resnet": (ResNet, RESNET_EPOCHS, 128, 3e-3, "adamw-onecycle", None),
    "vit": (ViT, 12, 128, 2e-3, "adamw-onecycle", None),
}


# ---------------------------------------------------------------- training

def set_determinism(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)


@torch.no_grad()
def evaluate(model, prepare, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], batch):
        logits = model(prepare(x[i:i + batch]))
        correct += int((logits.argmax(1) == y[i:i + batch]).sum())
    return correct / x.shape[0]


def make_optimizer(recipe, model, lr, steps):
    """adam-cosine: Adam, cosine annealing to 0 (mlp, cnn). adamw-onecycle:
    AdamW (weight decay 1e-4) with the one-cycle schedule (resnet, vit)."""
    if recipe == "adam-cosine":
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        return opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    return opt, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)


def train_one(name, train, test, out_dir):
    cls, epochs, batch, lr, recipe, opset = MODELS[name]
    set_determinism(SEED)
    model = cls()
    prepare = cls.prepare
    x_train, y_train = train
    x_test, y_test = test
    opt, sched = make_optimizer(recipe, model, lr, epochs * ((x_train.shape[0] + batch - 1) // batch))
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)

    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(x_train.shape[0], generator=gen)
        total = 0.0
        for i in range(0, x_train.shape[0], batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(prepare(x_train[idx])), y_train[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * idx.shape[0]
        print(f"[{name}] epoch {epoch + 1}/{epochs} loss {total / x_train.shape[0]:.4f} "
              f"({time.time() - t0:.1f} s)", flush=True)
    train_seconds = time.time() - t0

    model.eval()
    test_acc = evaluate(model, prepare, x_test, y_test)
    train_acc = evaluate(model, prepare, x_train, y_train)
    print(f"[{name}] test accuracy {test_acc:.4f}, train accuracy {train_acc:.4f}, "
          f"training {train_seconds:.1f} s", flush=True)

    # ---- ONNX export, batch size 1: mlp and cnn at opset 13 in eval mode
    # with constant folding (all spelled out); resnet and vit with the
    # defaults (only the tensor names given).
    onnx_path = os.path.join(out_dir, f"{name}.onnx")
    dummy = torch.zeros(cls.input_shape, dtype=torch.float32)
    if opset is not None:
        torch.onnx.export(model, dummy, onnx_path, opset_version=opset,
                          do_constant_folding=True, input_names=["input"],
                          output_names=["logits"], export_params=True,
                          training=torch.onnx.TrainingMode.EVAL)
    else:
        torch.onnx.export(model, dummy, onnx_path, input_names=["input"], output_names=["logits"])
    opset_used = opset if opset is not None else torch.onnx._constants.ONNX_DEFAULT_OPSET
    with open(onnx_path, "rb") as f:
        onnx_bytes = f.read()

    # ---- sample inputs: the first test images, with the float logits.
    inputs_dir = os.path.join(out_dir, "inputs")
    os.makedirs(inputs_dir, exist_ok=True)
    samples = []
    with torch.no_grad():
        for k in range(NUM_SAMPLES):
            xk = prepare(x_test[k:k + 1]).reshape(cls.input_shape)
            logits = model(xk).reshape(-1)
            sample = {
                "input": [[float(v) for v in xk.reshape(-1).tolist()]],
                "input_shape": list(cls.input_shape),
                "label": int(y_test[k]),
                "label_name": CLASSES[int(y_test[k])],
                "float_logits": [float(v) for v in logits.tolist()],
                "float_argmax": int(logits.argmax()),
                "test_index": k,
            }
            path = os.path.join(inputs_dir, f"{name}_sample{k}.json")
            with open(path, "w") as f:
                json.dump(sample, f)
                f.write("\n")
            samples.append(os.path.relpath(path, out_dir))
    calibration = None
    if opset is None:  # a calibration set of training images: the proved test images are not in it
        calibration = os.path.join(inputs_dir, f"{name}_calibration.json")
        with open(calibration, "w") as f:
            json.dump([[float(v) for v in prepare(x_train[k:k + 1]).reshape(-1).tolist()]
                       for k in range(NUM_CALIBRATION)], f)
            f.write("\n")
        calibration = os.path.relpath(calibration, out_dir)

    n_params = sum(p.numel() for p in model.parameters())
    meta = {
        "name": name,
        "onnx": f"{name}.onnx",
        "onnx_sha256": hashlib.sha256(onnx_bytes).hexdigest(),
        "onnx_opset": opset_used,
        "input_name": "input",
        "output_name": "logits",
        "input_shape": list(cls.input_shape),
        "output_shape": [1, 10],
        "input_preprocessing": "uint8 pixel / 255 as float32, range [0, 1]; "
                               "no mean/std normalization"
                               + ("; 28x28 image flattened row-major" if name == "mlp" else ""),
        "architecture": str(model),
        "parameter_count": n_params,
        "float_test_accuracy": test_acc,
        "float_test_correct": round(test_acc * x_test.shape[0]),
        "test_set_size": int(x_test.shape[0]),
        "float_train_accuracy": train_acc,
        "classes": CLASSES,
        "dataset": {
            "name": "Fashion-MNIST",
            "source": "Zalando Research (github.com/zalandoresearch/fashion-mnist), "
                      "MIT license",
            "debian_package": "dataset-fashion-mnist",
            "files": DATA_DIR + "/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz",
            "train_size": int(x_train.shape[0]),
            "test_size": int(x_test.shape[0]),
        },
        "training": {
            "seed": SEED,
            "epochs": epochs,
            "batch_size": batch,
            "optimizer": "Adam" if recipe == "adam-cosine" else "AdamW, weight decay 1e-4",
            "learning_rate": lr,
            "lr_schedule": ("cosine annealing to 0 over all steps" if recipe == "adam-cosine"
                            else "one-cycle (torch OneCycleLR), peak at the learning rate"),
            "loss": "cross entropy",
            "torch_threads": THREADS,
            "deterministic_algorithms": True,
            "torch_version": torch.__version__,
            "train_seconds": round(train_seconds, 1),
        },
        "samples": samples,
    }
    if calibration:
        meta["calibration_set"] = {"file": calibration, "images": NUM_CALIBRATION,
                                   "source": f"the first {NUM_CALIBRATION} training images"}
    with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return meta


def main():
    global THREADS
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="mlp,cnn,resnet,vit",
                    help="comma-separated subset of: " + ",".join(MODELS))
    ap.add_argument("--out-dir", default=HERE,
                    help="where to write the .onnx/.json files (default: next to this script)")
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="torch CPU threads (default %(default)s)")
    ap.add_argument("--epochs", default="",
                    help="override epochs, e.g. mlp=3,cnn=4 (for experiments)")
    ap.add_argument("--data-dir", default=DATA_DIR,
                    help="directory with the Fashion-MNIST idx .gz files")
    args = ap.parse_args()
    names = [n for n in args.models.split(",") if n]
    for n in names:
        if n not in MODELS:
            sys.exit(f"train.py: unknown model {n!r}; known: {', '.join(MODELS)}")
    THREADS = args.threads
    for kv in filter(None, args.epochs.split(",")):
        k, v = kv.split("=")
        cls, _, b, lr, recipe, opset = MODELS[k]
        MODELS[k] = (cls, int(v), b, lr, recipe, opset)
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(THREADS)
    t0 = time.time()
    train, test = load_fashion_mnist(args.data_dir)
    print(f"loaded Fashion-MNIST: {train[0].shape[0]} train, {test[0].shape[0]} test "
          f"({time.time() - t0:.1f} s)", flush=True)
    for n in names:
        train_one(n, train, test, args.out_dir)
    print(f"total {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
