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

Outputs (next to this script unless --out-dir is given):
  <name>.onnx, <name>.json (metadata, test accuracy),
  inputs/<name>_sample<k>.json for the first 3 test images.
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


MODELS = {
    # name: (class, epochs, batch size, learning rate)
    "mlp": (MLP, 4, 128, 3e-3),
    "cnn": (CNN, 3, 128, 8e-3),
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


def train_one(name, train, test, out_dir):
    cls, epochs, batch, lr = MODELS[name]
    set_determinism(SEED)
    model = cls()
    prepare = cls.prepare
    x_train, y_train = train
    x_test, y_test = test
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(
        opt, T_max=epochs * ((x_train.shape[0] + batch - 1) // batch))
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

    # ---- ONNX export: eval mode, opset 13, constant folding, batch size 1.
    onnx_path = os.path.join(out_dir, f"{name}.onnx")
    dummy = torch.zeros(cls.input_shape, dtype=torch.float32)
    torch.onnx.export(model, dummy, onnx_path, opset_version=OPSET,
                      do_constant_folding=True, input_names=["input"],
                      output_names=["logits"], export_params=True,
                      training=torch.onnx.TrainingMode.EVAL)
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

    n_params = sum(p.numel() for p in model.parameters())
    meta = {
        "name": name,
        "onnx": f"{name}.onnx",
        "onnx_sha256": hashlib.sha256(onnx_bytes).hexdigest(),
        "onnx_opset": OPSET,
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
            "optimizer": "Adam",
            "learning_rate": lr,
            "lr_schedule": "cosine annealing to 0 over all steps",
            "loss": "cross entropy",
            "torch_threads": THREADS,
            "deterministic_algorithms": True,
            "torch_version": torch.__version__,
            "train_seconds": round(train_seconds, 1),
        },
        "samples": samples,
    }
    with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return meta


def main():
    global THREADS
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="mlp,cnn",
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
        cls, _, b, lr = MODELS[k]
        MODELS[k] = (cls, int(v), b, lr)
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
