#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/.

The seeds are small files of each format, good and bad, from which libFuzzer
mutates: IDX files raw and gzip (idx), control bytes and IDX contents
(gzip), checkpoints of the model checkpoint_fuzz.cpp loads (checkpoint), and
training checkpoints of that model and the optimisers
training_checkpoint_fuzz.cpp loads them with (training_checkpoint).
Run it again after changing the formats; its output is committed.
"""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def idx(shape, values, type_code=0x08):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", s) for s in shape) + bytes(values)


def checkpoint_header(parameters, element_size, version):
    """Magic, version, element size, and each parameter's name and shape."""
    body = b"JANUSNN\0" + struct.pack("<III", version, element_size, len(parameters))
    for name, shape, _ in parameters:
        body += struct.pack("<I", len(name)) + name.encode() + struct.pack("<I", len(shape))
        body += b"".join(struct.pack("<Q", s) for s in shape)
    return body


def floats(values):
    return b"".join(struct.pack("<f", v) for v in values)


def with_crc(body):
    return body + struct.pack("<I", zlib.crc32(body))


def checkpoint(parameters, element_size=4, version=1):
    """The layout documented in include/janus/nn/checkpoint.hpp (version 1)."""
    body = checkpoint_header(parameters, element_size, version)
    for _, _, values in parameters:
        body += floats(values)
    return with_crc(body)


def training_checkpoint(parameters, state, epochs=3, seed=42, shuffles=3, steps=12, learning_rate=0.05):
    """Version 2 of that layout, as save_training() writes it; `state` is a
    list of (kind, one list of values per parameter), in the optimiser's order."""
    body = checkpoint_header(parameters, 4, 2)
    body += struct.pack("<QQQQd", epochs, seed, shuffles, steps, learning_rate)
    body += struct.pack("<I", len(state))
    for kind, _ in state:
        body += struct.pack("<I", len(kind)) + kind.encode()
    for _, _, values in parameters:
        body += floats(values)
    for _, buffers in state:
        for values in buffers:
            body += floats(values)
    return with_crc(body)


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


images = idx([2, 3, 3], range(0, 180, 10))
labels = idx([5], [1, 2, 3, 4, 9])
write("idx", "images", images)
write("idx", "labels", labels)
write("idx", "images.gz", gzip.compress(images, mtime=0))
write("idx", "truncated", images[:-3])
write("idx", "trailing", labels + b"\x07")
write("idx", "float-type", idx([2], [0] * 8, 0x0D))

write("gzip", "images-one-member", bytes([0, 6]) + images)
write("gzip", "labels-three-members", bytes([2, 9]) + labels)
write("gzip", "truncated-two-members", bytes([1, 1]) + images[:-3])

# mlp<float>({3, 2, 2}): linear 3->2, ReLU, linear 2->2.
model = [("0.weight", [2, 3], [0.5, -0.25, 0.125, 1.0, -1.0, 0.0]),
         ("0.bias", [2], [0.1, -0.1]),
         ("2.weight", [2, 2], [2.0, -3.0, 0.75, 1e-3]),
         ("2.bias", [2], [0.0, 1.5])]
write("checkpoint", "model", checkpoint(model))
write("checkpoint", "other-shapes", checkpoint([("0.weight", [3, 3], [0.0] * 9)]))
write("checkpoint", "doubles", checkpoint(model, element_size=8))
write("checkpoint", "truncated", checkpoint(model)[:60])


# The state of each optimiser of training_checkpoint_fuzz.cpp, in the order
# of its state(): SGD with momentum, Adam, plain SGD (none).
def buffers(scale):
    return [[scale * (i + 1) for i in range(len(values))] for _, _, values in model]


momentum = [("velocity", buffers(-0.5))]
adam = [("first_moment", buffers(0.01)), ("second_moment", buffers(0.0625))]
write("training_checkpoint", "sgd-momentum", training_checkpoint(model, momentum))
write("training_checkpoint", "adam", training_checkpoint(model, adam, steps=40, learning_rate=1e-3))
write("training_checkpoint", "sgd-plain", training_checkpoint(model, [], epochs=0, shuffles=0, steps=0))
write("training_checkpoint", "other-shapes",
      training_checkpoint([("0.weight", [3, 3], [0.0] * 9)], [("velocity", [[1.0] * 9])]))
write("training_checkpoint", "truncated", training_checkpoint(model, momentum)[:-20])
